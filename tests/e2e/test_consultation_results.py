"""Browser journey for consultation results, with axe on every page.

An officer reads the summary of a closed consultation, filters it, tags a written answer (with htmx, then
checks the tag is kept), downloads the CSV, writes a "You said, we did" response, previews and publishes it;
then a member of the public sees it on the consultation's summary page and in the list of responses.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def library(borough):
    from localpower.consultations.tests.factories import make_consultation, make_response, make_survey

    consultation = make_consultation(
        borough["north"], "closed", slug="library-hours", title="Library opening hours"
    )
    q = make_survey(consultation)
    make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["why"]: "Please open on Sunday afternoons",
            q["rating"]: ["Poor"],
            q["services"]: ["Books", "Study space"],
            q["order"]: ["Longer hours", "More books", "Better building"],
            q["visits"]: 40,
            q["postcode"]: "TB2 1AA",
            q["where"]: (51.5, -0.1),
        },
    )
    make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["why"]: "More quiet study desks",
            q["rating"]: ["Good"],
            q["services"]: ["Study space"],
            q["order"]: ["Better building", "Longer hours"],
            q["visits"]: 12,
        },
    )
    make_response(consultation, {q["use"]: ["No"], q["why"]: "I did not know it existed"})
    return consultation


def test_officer_analyses_tags_downloads_and_publishes_you_said_we_did(site, library, officer):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.consultations.models import Tag

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/consultations/library-hours/results/")
    expect(page.locator("h1")).to_have_text("Results")
    main = page.locator("main")
    expect(main).to_contain_text("3 sent responses.")
    rating = page.locator(".lp-result", has_text="How good are the opening hours?")
    expect(rating).to_contain_text("2 answers from 2 people asked")
    expect(rating).to_contain_text("Net score")

    # Only the library users.
    page.get_by_label("Only people who answered").select_option(label="No")
    site.follow(page.get_by_role("button", name="Apply filter").click)
    expect(main).to_contain_text("1 sent response matches your filter (of 3).")
    site.follow(page.get_by_role("link", name="Clear the filter").click)

    # Read the written answers to "What would you change?" and tag one.
    site.follow(page.locator(".lp-result", has_text="What would you change?").get_by_role("link").click)
    expect(page.locator("h1")).to_have_text("Written answers")
    answer = page.locator(".lp-answer", has_text="Please open on Sunday afternoons")
    answer.get_by_label("Add a tag").fill("Opening hours")
    answer.get_by_role("button", name="Add tag").click()  # htmx: the tags are swapped in place
    expect(answer.locator(".govuk-tag")).to_have_text("Opening hours")
    site.check()
    assert Tag.objects.get().answers.count() == 1
    # A second tag, removed again: the keyboard focus stays with the answer.
    answer.get_by_label("Add a tag").fill("Sundays")
    answer.get_by_label("Add a tag").press("Enter")
    expect(answer.locator(".govuk-tag")).to_have_count(2)
    answer.get_by_role("button", name="Remove the tag “Sundays”").click()
    expect(answer.locator(".govuk-tag")).to_have_count(1)
    expect(answer.get_by_label("Add a tag")).to_be_focused()
    site.check()
    page.reload()
    site.check()
    frame = page.locator("table", has_text="Not tagged yet")
    expect(frame.get_by_role("row", name="Opening hours")).to_contain_text("1")

    # The tags page lists it, for tidying up later.
    site.follow(page.get_by_role("link", name="Tags", exact=True).click)
    expect(page.locator("#main-content h2")).to_have_text(["Opening hours", "Sundays"])
    page.go_back()
    site.check()

    # Open the full response.
    site.follow(answer.get_by_role("link").first.click)
    expect(page.locator("h1")).to_contain_text("Response ")
    expect(page.locator("main")).to_contain_text("Please open on Sunday afternoons")

    # Download every response as CSV.
    site.goto("/staff/consultations/library-hours/results/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV file").click()
    download = download_info.value
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert any("Please open on Sunday afternoons" in value for row in rows for value in row.values())

    # Write, preview and publish "You said, we did".
    site.follow(page.get_by_role("link", name="You said, we did").first.click)
    site.follow(page.get_by_role("button", name="Publish").click)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("You said").fill("You asked for the library to open on Sunday afternoons.")
    page.get_by_label("We did").fill("From May the library opens 12 to 4 on Sundays.")
    page.get_by_label("Decided by").fill("Cabinet")
    site.follow(page.get_by_role("button", name="Preview").click)
    expect(page.locator(".lp-preview")).to_contain_text("From May the library opens 12 to 4 on Sundays.")
    site.follow(page.get_by_role("button", name="Publish").click)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")

    # Everyone can now see the response and the summary, without what people wrote.
    page.context.clear_cookies()
    site.goto("/consultations/library-hours/summary/")
    expect(page.locator("h1")).to_have_text("What people said")
    main = page.locator("main")
    expect(main).to_contain_text("From May the library opens 12 to 4 on Sundays.")
    expect(main).to_contain_text("How good are the opening hours?")
    expect(main).not_to_contain_text("Please open on Sunday afternoons")
    expect(main).not_to_contain_text("What would you change?")
    site.goto("/you-said-we-did/")
    expect(page.locator("main")).to_contain_text("Library opening hours")
