"""Smoke test for the budget simulators and conversations on the demo borough's data: every page loads with one
main heading and passes the axe checks, signed out, as a resident and as the staff who run them.

The demo data is built once per test (it is the slow part), so each test visits many pages: one for the public
and a resident, one for the staff (the North Area Committee's officer, then the borough's moderator and
administrator).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser

OPEN_SIM = "balancing-next-years-budget"  # borough-wide, open, 300 responses
CLOSED_SIM = "north-area-budget-this-year"  # North Area Committee, closed, public results
CONVERSATION = "town-centre"  # borough-wide, open, 400 participants with an analysis


@pytest.fixture
def demo(transactional_db):
    from localpower.accounts.demo import DEMO_PASSWORD, build_demo_people
    from localpower.conversations.demo import build_demo_conversations
    from localpower.places.demo import build_demo_places
    from localpower.simulator.demo import build_demo_simulators

    areas = build_demo_places()
    build_demo_people(areas)
    build_demo_simulators(areas)
    build_demo_conversations(areas)
    return DEMO_PASSWORD


def visit(site, path: str, heading: str | None = None, *, status: int = 200) -> None:
    """Visit ``path`` (checked by axe), with exactly one main heading, containing ``heading`` when given."""
    site.goto(path, expect_status=status)
    h1 = site.page.locator("h1")
    assert h1.count() == 1, f"{path} has {h1.count()} main headings"
    if heading:
        assert heading in h1.inner_text(), f"{path}: {h1.inner_text()!r}"


def switch_to(site, email: str, password: str) -> None:
    site.page.context.clear_cookies()
    sign_in(site, email, password)


PUBLIC_PAGES = [
    ("/budget-simulators/", "Budget simulators"),
    (f"/budget-simulators/{OPEN_SIM}/", "Balancing next year's budget"),
    (f"/budget-simulators/{OPEN_SIM}/results/", "What people chose"),  # not yet: says when
    (f"/budget-simulators/{CLOSED_SIM}/", "North area budget"),
    (f"/budget-simulators/{CLOSED_SIM}/results/", "What people chose"),
    ("/conversations/", "Conversations"),
    (f"/conversations/{CONVERSATION}/", "How should we make the town centre better?"),
    (f"/conversations/{CONVERSATION}/results/", "What we have found so far"),
    ("/have-your-say/", "Have your say"),
]


def test_public_and_resident_pages(site, demo):
    page = site.page
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
    visit(site, f"/conversations/{CONVERSATION}/results/")
    expect(page.locator("main")).to_contain_text("Each mark is one person")  # the findings' map and table
    # Signed out, the conversation says how to take part rather than showing a statement to vote on.
    visit(site, f"/conversations/{CONVERSATION}/")
    expect(page.locator("main")).to_contain_text("Sign in to vote and add statements.")

    # On a phone: the same pages (wide tables scroll inside a region that takes keyboard focus).
    page.set_viewport_size({"width": 375, "height": 800})
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(site, "resident.castle@demo.example.org", demo)
    for path, heading in PUBLIC_PAGES:
        visit(site, path, heading)
    # The resident lives in the borough: the next statement and the vote buttons are there.
    visit(site, f"/conversations/{CONVERSATION}/")
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_visible()
    number = page.locator("input[name=statement]").first.get_attribute("value")
    visit(site, f"/conversations/{CONVERSATION}/statements/new/", "Add a statement")
    page.get_by_label("Your statement").fill("Open the market on Sundays")
    expect(page.locator("main")).to_contain_text("You have 114 characters remaining")
    visit(site, f"/conversations/{CONVERSATION}/statements/{number}/report/", "Report a statement")
    visit(site, f"/conversations/{CONVERSATION}/about-you/", "About you")
    # The open simulator: balance it (every service at its biggest cut meets the target) and check it.
    visit(site, f"/budget-simulators/{OPEN_SIM}/")
    for group in page.locator("[data-sim-service]").all():
        group.locator("input[type=radio]").first.check()
    expect(page.locator("#sim-totals")).to_contain_text("Balanced")
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator("h1")).to_have_text("Check your budget before you send it")
    site.follow(page.get_by_role("button", name="Send my budget").click)
    expect(page.locator("h1")).to_have_text("Budget sent")
    # Staff pages are not for residents.
    visit(site, "/staff/simulators/", status=403)
    visit(site, "/staff/conversations/", status=403)


STAFF_SIMULATOR_PAGES = [
    ("/staff/simulators/", "Budget simulators you manage"),
    ("/staff/simulators/new/", "Set up a budget simulator"),
    (f"/staff/simulators/{CLOSED_SIM}/", "North area budget"),
    (f"/staff/simulators/{CLOSED_SIM}/edit/", "Change the simulator"),
    (f"/staff/simulators/{CLOSED_SIM}/results/", "Results"),
    (f"/staff/simulators/{CLOSED_SIM}/comments/", "Comments"),
]
STAFF_CONVERSATION_PAGES = [
    ("/staff/conversations/", "Conversations you manage"),
    (f"/staff/conversations/{CONVERSATION}/", "How should we make the town centre better?"),
    (f"/staff/conversations/{CONVERSATION}/statements/", "Statements"),
    (f"/staff/conversations/{CONVERSATION}/moderation/", "Moderation"),
    (f"/staff/conversations/{CONVERSATION}/analysis/", "Analysis and open data"),
]


def test_staff_pages(site, demo):
    page = site.page
    # The North Area Committee's officer runs the North simulator; the borough-wide one is not theirs.
    sign_in(site, "officer@demo.example.org", demo)
    for path, heading in STAFF_SIMULATOR_PAGES:
        visit(site, path, heading)
    visit(site, "/staff/conversations/new/", "Start a conversation")
    visit(site, f"/staff/simulators/{OPEN_SIM}/", status=403)
    visit(site, f"/staff/simulators/{CLOSED_SIM}/")
    site.follow(page.get_by_role("link", name="Back to simulators").click)
    expect(page.locator("h1")).to_have_text("Budget simulators you manage")

    # The borough's moderator: the conversation's moderation pages, not its settings.
    switch_to(site, "moderator@demo.example.org", demo)
    for path, heading in STAFF_CONVERSATION_PAGES:
        visit(site, path, heading)
    # Every statement in the demo is unreported: none is listed as reported.
    visit(site, f"/staff/conversations/{CONVERSATION}/moderation/")
    expect(page.locator("main")).to_contain_text("No open reports.")
    pending = page.get_by_role("link", name="Hide with a reason").first
    site.follow(pending.click)
    expect(page.locator("h1")).to_contain_text("Statement")
    visit(site, f"/staff/conversations/{CONVERSATION}/edit/", status=403)

    # The borough's administrator: everything, including the borough-wide simulator and the settings.
    switch_to(site, "admin@demo.example.org", demo)
    visit(site, f"/staff/conversations/{CONVERSATION}/edit/", "Conversation settings")
    for path in ("", "edit/", "results/", "comments/"):
        visit(site, f"/staff/simulators/{OPEN_SIM}/{path}")
