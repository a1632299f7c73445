"""Smoke test for consultations on the demo borough's data: every page loads with one main heading and passes the
axe checks, signed out, as a resident, and as the staff who run them, at desktop and phone widths.

The demo data is built once per test (it is the slow part), so each test visits many pages: one for the public
(answering "The future of Riverside Library" page by page, checking the answers and sending them), one for the
staff (the North Area Committee's officer runs Castle Park's consultation; the borough's administrator runs the
library's and the call for evidence, whose survey can still change).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser

LIBRARY = "future-of-riverside-library"  # Riverside ward, open, identified, three pages (one conditional)
EVIDENCE = "damp-and-mould-call-for-evidence"  # borough-wide, open, no responses yet
PARK = "castle-park-summer-events"  # Castle ward (North Area Committee), closed, anonymous, responded


@pytest.fixture
def demo(transactional_db):
    from localpower.accounts.demo import DEMO_PASSWORD, build_demo_people
    from localpower.consultations.demo import build_demo_consultations
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    build_demo_consultations(areas)
    return DEMO_PASSWORD


def visit(site, path: str, heading: str | None = None, *, status: int = 200) -> None:
    """Visit ``path`` (checked by axe), with exactly one main heading, containing ``heading`` when given."""
    site.goto(path, expect_status=status)
    one_heading(site, path, heading)


def one_heading(site, where: str, heading: str | None = None) -> None:
    h1 = site.page.locator("h1")
    assert h1.count() == 1, f"{where} has {h1.count()} main headings"
    if heading:
        assert heading in h1.inner_text(), f"{where}: {h1.inner_text()!r}"


PUBLIC_PAGES = [
    ("/consultations/", "Consultations and calls for evidence"),
    ("/consultations/?area=riverside-ward", "Consultations and calls for evidence"),
    (f"/consultations/{LIBRARY}/", "The future of Riverside Library"),
    (f"/consultations/{EVIDENCE}/", "Damp and mould in rented homes"),
    (f"/consultations/{PARK}/", "Castle Park summer events"),
    (f"/consultations/{PARK}/summary/", "What people said"),
    (f"/consultations/{LIBRARY}/summary/", "What people said"),  # not yet: says when
    ("/you-said-we-did/", "You said, we did"),
    ("/have-your-say/", "Have your say"),
    ("/areas/riverside-ward/", "Riverside"),
]


def answer_the_library(site) -> None:
    """Every page of the library's survey: an error first, then answers that show the conditional page."""
    page = site.page
    visit(site, f"/consultations/{LIBRARY}/")
    site.follow(page.get_by_role("button", name="Respond now").click)
    one_heading(site, "page 1", "About you")
    site.follow(page.get_by_role("button", name="Continue").click)  # the required question left out
    expect(page.locator(".govuk-error-summary")).to_contain_text("Do you use Riverside Library?")
    one_heading(site, "page 1 with an error", "About you")
    page.get_by_label("Yes, at least once a month").check()
    page.get_by_label("What is your postcode? (optional)").fill("DB5 1AA")
    site.follow(page.get_by_role("button", name="Continue").click)
    one_heading(site, "page 2", "How you use the library")
    page.get_by_label("Borrowing books").check()
    page.get_by_label("About how many times a month do you visit? (optional)").fill("4")
    site.follow(page.get_by_role("button", name="Continue").click)
    one_heading(site, "page 3", "The options")
    site.follow(page.get_by_role("button", name="Continue").click)  # the ranking left out
    summary_link = page.locator(".govuk-error-summary a").first
    target = summary_link.get_attribute("href")
    assert page.locator(target).count() == 1, f"the error summary links to {target}, which is not on the page"
    page.get_by_label("Share a new building with the GP surgery").select_option("1")
    page.get_by_label("Keep the building, open fewer hours").select_option("2")
    site.follow(page.get_by_role("button", name="Continue").click)
    one_heading(site, "check answers", "Check your answers")
    expect(page.locator("main")).to_contain_text("Share a new building with the GP surgery")
    site.follow(page.get_by_role("button", name="Send your response").click)
    one_heading(site, "confirmation", "Response sent")
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference is")


def test_public_and_resident_pages(site, demo):
    page = site.page
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
    # Signed out, at phone width too: the lists, summary tables and survey pages fit.
    page.set_viewport_size({"width": 375, "height": 800})
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} pixels wide on a phone"
    answer_the_library(site)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A resident who has not responded yet: the same journey, then their own response.
    sign_in(site, "resident.market@demo.example.org", demo)
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
    answer_the_library(site)
    visit(site, f"/consultations/{LIBRARY}/respond/yours/")
    expect(page.locator("main")).to_contain_text("Share a new building with the GP surgery")
    # Staff pages are not for residents.
    visit(site, "/staff/consultations/", status=403)
    visit(site, f"/staff/consultations/{PARK}/results/", status=403)


STAFF_PAGES = [  # (path, heading); the overview's heading is the consultation's title, the preview's its page's
    ("", "TITLE"),
    ("edit/", "Change the details"),
    ("preview/", None),
    ("results/", "Results"),
    ("results/responses/", "Written answers"),
    ("results/tags/", "Tags"),
    ("you-said-we-did/", "You said, we did"),
]


def test_staff_pages(site, demo):
    from localpower.consultations.models import Consultation, QuestionKind, Response, ResponseStatus

    page = site.page
    # The North Area Committee's officer runs Castle Park's consultation; the library is not theirs.
    sign_in(site, "officer@demo.example.org", demo)
    visit(site, "/staff/consultations/", "Consultations you manage")
    visit(site, "/staff/consultations/new/", "Set up a consultation")
    for path, heading in STAFF_PAGES:
        visit(
            site,
            f"/staff/consultations/{PARK}/{path}",
            heading.replace("TITLE", "Castle Park summer events") if heading else None,
        )
    reference = Response.objects.filter(consultation__slug=PARK, status=ResponseStatus.SUBMITTED).first()
    visit(site, f"/staff/consultations/{PARK}/results/responses/{reference.reference}/", reference.reference)
    expect(page.locator("main")).not_to_contain_text("@demo.example.org")  # anonymous: no one is named
    visit(site, f"/staff/consultations/{LIBRARY}/", status=403)

    # The borough's administrator: the library's results, and the call for evidence's survey builder.
    page.context.clear_cookies()
    sign_in(site, "admin@demo.example.org", demo)
    for path, heading in STAFF_PAGES:
        visit(
            site,
            f"/staff/consultations/{LIBRARY}/{path}",
            heading.replace("TITLE", "Riverside Library") if heading else None,
        )
    library = Consultation.objects.get(slug=LIBRARY)
    last_page = library.sections.order_by("order").last()
    visit(site, f"/staff/consultations/{LIBRARY}/preview/{last_page.pk}/", last_page.title)
    evidence = Consultation.objects.get(slug=EVIDENCE)
    section = evidence.sections.order_by("order").first()
    question = section.questions.order_by("order").first()
    base = f"/staff/consultations/{EVIDENCE}/"
    visit(site, base, "Damp and mould")
    visit(site, base + "documents/new/", "Add a document")
    visit(site, base + "sections/new/", "Add a section")
    visit(site, base + f"sections/{section.pk}/", "Change a section")
    visit(site, base + f"sections/{section.pk}/questions/new/", "Add a question")
    for kind in QuestionKind.values:
        visit(site, base + f"sections/{section.pk}/questions/new/?kind={kind}", "Add a question")
    visit(site, base + f"questions/{question.pk}/", "Change a question")
    visit(site, base + "results/", "Results")  # nothing sent yet
    page.set_viewport_size({"width": 375, "height": 800})
    visit(site, "/staff/consultations/", "Consultations you manage")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, (
        "the staff list is too wide on a phone"
    )
    for path, heading in STAFF_PAGES:
        visit(
            site,
            f"/staff/consultations/{LIBRARY}/{path}",
            heading.replace("TITLE", "Riverside Library") if heading else None,
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} pixels wide on a phone"
