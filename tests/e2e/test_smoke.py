"""Every public page loads, has one main heading, uses only its own files and passes the axe checks."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_places(transactional_db):
    from localpower.places.demo import build_demo_places

    return build_demo_places()


PUBLIC_PAGES = [
    ("/", "Have your say in your area"),
    ("/find-your-area/", "Find your area"),
    ("/find-your-area/?postcode=DB1+2AA", "Find your area"),
    ("/areas/", None),
    ("/areas/?include_past=on", None),
    ("/areas/demo-borough/", "Demo Borough Council"),
    ("/areas/north-area-committee/", "North Area Committee"),
    ("/areas/abbey-ward/", "Abbey"),
    ("/areas/abbeyfield-parish/", "Abbeyfield Parish"),
    ("/areas/riverside-and-meadow/", "Riverside and Meadow"),  # a ward abolished in 2023
    ("/sign-in/", "Sign in"),
    ("/sign-up/", "Create an account"),
    ("/password-reset/", None),
    ("/accessibility/", "Accessibility statement"),
    ("/privacy/", "Privacy notice"),
    ("/have-your-say/", "Have your say"),
    ("/api/v1/docs", "API for developers"),
]


def test_every_public_page(site, demo_places):
    """One test visiting every page, so the demo borough is built once."""
    for path, heading in PUBLIC_PAGES:
        site.goto(path)
        h1 = site.page.locator("h1")
        assert h1.count() == 1, f"{path} has {h1.count()} main headings"
        if heading:
            assert heading in h1.inner_text(), f"{path}: {h1.inner_text()!r}"
        title = site.page.title()
        assert title.endswith("– Demo Borough Council") and len(title) > len("– Demo Borough Council") + 3, (
            title
        )
        expect(site.page.locator("html")).to_have_attribute("lang", "en-gb")


def test_not_found_page(site):
    site.goto("/no-such-page/", expect_status=404)
    expect(site.page.locator("h1")).to_have_text("Page not found")


def test_accessibility_statement_and_privacy_notice_from_the_footer(site):
    page = site.page
    site.goto("/")
    footer = page.locator("footer")
    site.follow(footer.get_by_role("link", name="Accessibility statement").click)
    expect(page.locator("h1")).to_contain_text("Accessibility statement")
    main = page.locator("main")
    expect(main).to_contain_text("Web Content Accessibility Guidelines version 2.2 AA")
    expect(main.get_by_role("link", name="localpower@example.org").first).to_have_attribute(
        "href", "mailto:localpower@example.org"
    )

    site.follow(footer.get_by_role("link", name="Privacy notice").click)
    expect(page.locator("h1")).to_have_text("Privacy notice")
    expect(main.get_by_role("heading", name="Cookies")).to_be_visible()
    expect(main.get_by_role("heading", name="Your rights")).to_be_visible()

    site.follow(footer.get_by_role("link", name="API for developers").click)
    expect(page.locator("h1")).to_have_text("API for developers")
    # The link to the machine-readable description works and is the API's own.
    href = page.get_by_role("link", name="Download the OpenAPI description (JSON)").get_attribute("href")
    response = page.context.request.get(href)
    assert response.status == 200 and response.json()["info"]["title"] == "Local Power API"


def test_pages_work_without_javascript(browser, live_server, demo_places, _static_files_without_manifest):
    """The service must work with JavaScript off: find your area by submitting the plain form."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_label("Postcode").fill("DB1 2AA")
        with page.expect_navigation():
            page.get_by_role("button", name="Find your area").click()
        expect(page.locator("h2#result")).to_have_text("DB1 2AA is in")
    finally:
        context.close()


def test_pages_fit_a_narrow_screen_without_scrolling_sideways(site, demo_places):
    """WCAG 1.4.10 Reflow: content fits 320 CSS pixels (a phone, or a desktop zoomed to 400%)."""
    site.page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for path, _heading in PUBLIC_PAGES:
        site.goto(path)
        widths = site.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            too_wide.append(f"{path} is {widths[0]} pixels wide")
    assert not too_wide, "Pages wider than the screen: " + "; ".join(too_wide)
