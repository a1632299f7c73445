"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

* One browser for the whole session (fast); a fresh context (cookies, storage) for every test.
* Every page a test visits is checked with axe-core; a serious or critical violation fails the test. The
  ``site`` fixture does the checking: use ``site.goto(path)`` to visit a page and ``site.check()`` after an
  action that loads a new page (submitting a form, following a link). A page that loads without a check
  fails the test at the end, so none can be skipped by accident.
* Problems a person would notice are failures too: JavaScript errors, scripts or styles blocked by the
  Content-Security-Policy, and failed requests for the page's own files.
* The tests skip, saying why, when /usr/bin/chromium or Playwright is missing. A browser is never downloaded.

Set ``E2E_SCREENSHOTS=1`` to save a full-page screenshot of every checked page in test-results/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.test.utils import override_settings

# Playwright's sync API runs an asyncio event loop in the test thread. Django then believes it is in async
# code and refuses ORM calls from the test (SynchronousOnlyOperation), although nothing here is concurrent:
# each Playwright call blocks until it finishes. So the check is switched off. It is set for the whole run,
# not per test, because the browser lives for the session: once it has started, any later test in the same
# process (pytest-xdist mixes browser and other tests on one worker) would see the loop too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-results" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
# Lesser problems do not fail a test; they are listed at the end of the run so they can be fixed too.
MINOR_FINDINGS: dict[tuple[str, str], str] = {}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def _static_files_without_manifest():
    """Serve static files straight from the source folders, so the tests need no collectstatic first.

    The project stores static files with hashed names (ManifestStaticFilesStorage), which needs the
    manifest written by collectstatic. The live server serves /static/ from the source folders through the
    staticfiles finders, which know only the plain names; so the pages must link to the plain names.
    """
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core is missing at {AXE}: run `make test` (or `cd frontend && npm ci`) first.")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is missing: install Debian's chromium package to run the browser tests."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"Accessibility problems on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


class Site:
    """A browser tab on the live server that checks every page it shows."""

    def __init__(self, page, base_url: str, axe_source: str, test_name: str):
        self.page = page
        self.base_url = base_url
        self.axe_source = axe_source
        self.test_name = test_name
        self.checked_urls: list[str] = []
        self.unchecked: str | None = None
        self.missed: list[str] = []
        self.problems: list[str] = []
        # "load" fires once per new document (not for a jump to #fragment on the same page).
        page.on("load", self._loaded)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    # --- events ---
    def _loaded(self, page) -> None:
        if page.url.startswith(("about:", "data:")):
            return
        if self.unchecked:
            self.missed.append(self.unchecked)
        self.unchecked = page.url

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.problems.append(f"Blocked by the Content-Security-Policy on {self.page.url}: {text}")

    def _response(self, response) -> None:
        request = response.request
        if (
            request.resource_type != "document"
            and response.status >= 400
            and response.url.startswith(self.base_url)
        ):
            self.problems.append(f"{response.status} for {response.url} (needed by {self.page.url})")

    # --- actions ---
    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def goto(self, path: str, *, expect_status: int | None = 200):
        response = self.page.goto(self.url(path))
        if expect_status is not None:
            assert response is not None and response.status == expect_status, (
                f"{path} answered {response.status if response else 'nothing'}, expected {expect_status}"
            )
        self.check()
        return response

    def follow(self, action):
        """Do something that loads a new page (click a link, submit a form), wait for it, and check it."""
        with self.page.expect_navigation():
            action()
        return self.check()

    def _run_axe(self) -> list[dict]:
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.axe_source)
        return page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
            " nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})); }"
        )

    def check(self) -> list[dict]:
        """Run axe on the current page; fail on serious or critical violations. Returns every violation."""
        from playwright.sync_api import Error

        page = self.page
        for attempt in range(3):
            try:
                result = self._run_axe()
                break
            except Error as error:
                # A page that was still loading when the check began: check the page it became.
                if "context was destroyed" not in str(error) or attempt == 2:
                    raise
        url = page.url
        self.checked_urls.append(url)
        self.unchecked = None
        if os.environ.get("E2E_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(
                r"[^a-zA-Z0-9]+",
                "-",
                f"{self.test_name}-{len(self.checked_urls)}-{url[len(self.base_url) :]}",
            )
            page.screenshot(path=str(SCREENSHOTS / f"{name.strip('-')[:150]}.png"), full_page=True)
        path = re.sub(r"/\d+/", "/<id>/", url[len(self.base_url) :].split("?")[0])
        for violation in result:
            if violation["impact"] not in BLOCKING_IMPACTS:
                MINOR_FINDINGS.setdefault(
                    (violation["id"], path), f"[{violation['impact']}] {violation['help']}"
                )
        blocking = [v for v in result if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(format_violations(url, blocking), pytrace=False)
        return result

    def finish(self) -> None:
        """Called after the test: every page must have been checked, and nothing may have gone wrong."""
        missed = self.missed + ([self.unchecked] if self.unchecked else [])
        if missed:
            pytest.fail(
                "Pages visited without an accessibility check (call site.check()): " + ", ".join(missed),
                pytrace=False,
            )
        if self.problems:
            pytest.fail("\n".join(self.problems), pytrace=False)


@pytest.fixture
def site(browser, live_server, axe_source, _static_files_without_manifest, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    checker = Site(page, live_server.url, axe_source, request.node.name)
    try:
        yield checker
        if not _failed(request):
            checker.finish()
    finally:
        context.close()


def _failed(request) -> bool:
    report = getattr(request.node, "rep_call", None)
    return report is not None and report.failed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def pytest_terminal_summary(terminalreporter):
    if MINOR_FINDINGS:
        terminalreporter.section("axe: moderate and minor accessibility problems (not failures)")
        for (rule, path), text in sorted(MINOR_FINDINGS.items()):
            terminalreporter.write_line(f"{path}: {rule} {text}")


@pytest.fixture
def mailbox():
    """The e-mails the live server has sent (it runs in this process, with the locmem backend)."""
    from django.core import mail

    mail.outbox.clear()
    return mail.outbox


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text)


def dump(value) -> str:
    return json.dumps(value, indent=1, default=str)
