"""Browser journeys for consultations, with axe on every page.

* Someone without an account answers a two-page survey whose second page appears only after "Yes", saves and
  comes back with the return link, checks their answers, sends them and gets a reference.
* An officer sets up a consultation, adds a page and a question, previews it and publishes it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def library(borough):
    from localpower.consultations.tests.factories import make_consultation, make_survey

    consultation = make_consultation(
        borough["north"],
        "open",
        title="Castle library",
        slug="castle-library",
        summary="Tell us about the library.",
    )
    make_survey(consultation)
    return consultation


def test_a_visitor_answers_saves_comes_back_and_sends(site, library):
    from localpower.consultations.models import Response, ResponseStatus

    page = site.page
    site.goto("/consultations/")
    site.follow(page.get_by_role("link", name="Castle library").click)
    site.follow(page.get_by_role("button", name="Respond now").click)
    expect(page.locator("h1")).to_have_text("About you")

    # Nothing chosen for the required question: the error summary links to it, and typed text stays.
    page.get_by_label("What would you change? (optional)").fill("Longer opening hours")
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select an answer to “Do you use the library?”"
    )
    expect(page.get_by_label("What would you change? (optional)")).to_have_value("Longer opening hours")

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What is your postcode? (optional)").fill("tb2 1aa")
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator("h1")).to_have_text("Using the library")

    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Books", exact=True).check()
    page.get_by_label("Longer hours").select_option("1")
    # With JavaScript, giving a second option the same position swaps them (the server refuses repeats
    # without JavaScript: see the view tests).
    page.get_by_label("More books").select_option("1")
    expect(page.get_by_label("Longer hours")).to_have_value("")
    page.get_by_label("Longer hours").select_option("2")
    expect(page.get_by_label("More books")).to_have_value("1")
    page.get_by_label("How many times did you visit last year? (optional)").fill("400")
    site.follow(page.get_by_role("button", name="Save and come back later").click)
    # A number out of range is refused even when saving, with nothing lost.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number of 365 or less.")
    expect(page.get_by_label("Longer hours")).to_have_value("2")
    page.get_by_label("How many times did you visit last year? (optional)").fill("12")
    site.follow(page.get_by_role("button", name="Save and come back later").click)
    expect(page.locator("h1")).to_have_text("Your answers have been saved")
    link = page.locator(".lp-return-link a").inner_text().strip()
    assert "/consultations/castle-library/resume/" in link

    # Another day, another browser session: the return link brings the answers back.
    page.context.clear_cookies()
    page.goto(link)
    site.check()
    expect(page.locator("h1")).to_have_text("Check your answers before sending your response")
    main = page.locator("main")
    expect(main).to_contain_text("Longer opening hours")
    expect(main).to_contain_text("TB2 1AA")
    expect(main).to_contain_text("1. More books")
    expect(main).to_contain_text("2. Longer hours")

    site.follow(page.get_by_role("link", name="Change Do you use the library?").click)
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    site.follow(page.get_by_role("button", name="Save and go back to your answers").click)
    site.follow(page.get_by_role("button", name="Send your response").click)
    expect(page.locator("h1")).to_have_text("Response sent")
    reference = page.locator(".lp-reference").inner_text().strip()
    assert re.fullmatch(r"CN-[A-Z2-9]{4}-[A-Z2-9]{4}", reference), reference
    sent = Response.objects.get(consultation=library)
    assert sent.status == ResponseStatus.SUBMITTED and sent.reference == reference


def test_an_officer_builds_and_publishes_a_survey(site, borough, officer):
    from django.utils import timezone

    from localpower.accounts.tests.factories import PASSWORD
    from localpower.consultations.models import Consultation, ConsultationState

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/consultations/")
    site.follow(page.get_by_role("button", name="Set up a consultation or call for evidence").click)
    site.follow(page.get_by_role("button", name="Set up the consultation").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date for “Opens on”")

    page.get_by_label("Area", exact=True).select_option(label=str(borough["castle"]))
    page.get_by_label("Title", exact=True).fill("Castle Park play area")
    page.get_by_label("Web address name").fill("castle-play-area")
    page.get_by_label("Summary", exact=True).fill("Help us choose new play equipment.")
    start = timezone.localdate()
    end = start + datetime.timedelta(days=28)
    for name, day in (("opens_at", start), ("closes_at", end)):
        page.locator(f"[name={name}_day]").fill(str(day.day))
        page.locator(f"[name={name}_month]").fill(str(day.month))
        page.locator(f"[name={name}_year]").fill(str(day.year))
    site.follow(page.get_by_role("button", name="Set up the consultation").click)
    expect(page.locator("h1")).to_have_text("Castle Park play area")
    expect(page.locator("#publish-problems")).to_contain_text("Add at least one question.")

    site.follow(page.get_by_role("button", name="Add a section").click)
    page.get_by_label("Section title").fill("Play equipment")
    site.follow(page.get_by_role("button", name="Save the section").click)
    site.follow(page.get_by_role("link", name="Add a question to Play equipment").click)
    page.get_by_label("Choose one").check()
    site.follow(page.get_by_role("button", name="Continue").click)
    page.get_by_label("Question", exact=True).fill("Which would your children use most?")
    page.get_by_label("Options", exact=True).fill("Climbing frame\nZip wire\nSandpit")
    page.get_by_label("An answer is required").check()
    site.follow(page.get_by_role("button", name="Save the question").click)
    expect(page.locator("main")).to_contain_text("Which would your children use most?")

    site.follow(page.get_by_role("button", name="Preview the survey").click)
    expect(page.get_by_label("Zip wire")).to_be_visible()
    site.follow(page.get_by_role("link", name="Back to the consultation").click)
    site.follow(page.get_by_role("button", name="Publish").click)
    expect(page.locator("main")).to_contain_text("The consultation is published.")
    assert Consultation.objects.get(slug="castle-play-area").state == ConsultationState.PUBLISHED

    site.goto("/consultations/castle-play-area/")
    expect(page.get_by_role("button", name="Respond now")).to_be_visible()
