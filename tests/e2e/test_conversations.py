"""Browser journeys for conversations, with axe on every page.

* A resident votes on statements with the keyboard only (the next statement is swapped in by htmx and focus
  moves to it), adds a statement (which waits for a moderator) and reads the groups table on the findings page.
* A moderator approves the waiting statement from the moderation queue.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def castle_park(borough):
    from localpower.conversations.analysis import refresh_analysis
    from localpower.conversations.tests.factories import make_conversation, two_camps

    conversation = make_conversation(
        borough["north"], title="How should we make Castle Park better?", slug="castle-park"
    )
    two_camps(conversation)
    refresh_analysis(conversation)
    return conversation


def test_a_resident_votes_with_the_keyboard_adds_a_statement_and_sees_the_groups(site, castle_park, resident):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.conversations.models import Statement, Vote

    page = site.page
    sign_in(site, "resident@example.org", PASSWORD)
    site.goto("/conversations/")
    site.follow(page.get_by_role("link", name="How should we make Castle Park better?").click)
    expect(page.locator("#vote-progress")).to_have_text("You have voted on 0 of 8 statements.")
    first = page.locator("#statement-text").inner_text()

    # Keyboard only: focus Agree and press Enter; htmx brings the next statement and focus moves to it.
    page.get_by_role("button", name="Agree", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#vote-progress")).to_have_text("You have voted on 1 of 8 statements.")
    expect(page.locator("#statement-text")).to_be_focused()
    assert page.locator("#statement-text").inner_text() != first
    site.check()
    # From the statement, Tab reaches Agree, then Disagree.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Disagree")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#vote-progress")).to_have_text("You have voted on 2 of 8 statements.")
    site.check()
    assert sorted(Vote.objects.filter(participant__user=resident).values_list("value", flat=True)) == [-1, 1]

    site.follow(page.get_by_role("link", name="Add a statement").click)
    site.follow(page.get_by_role("button", name="Add statement").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write your statement.")
    page.get_by_label("Your statement").fill("The park needs a water fountain by the playground")
    site.follow(page.get_by_role("button", name="Add statement").click)
    expect(page.get_by_role("alert", name="Success")).to_contain_text("waiting for a moderator")
    assert Statement.objects.get(text__startswith="The park needs").status == "pending"

    site.follow(page.get_by_role("link", name="See the groups, what they think and what they agree on").click)
    expect(page.locator("h1")).to_have_text("What we have found so far")
    table = page.get_by_role("table", name="The groups on the map")
    expect(table).to_contain_text("Group A")
    expect(table).to_contain_text("Group B")
    expect(page.get_by_role("img", name="Map of the groups of opinion")).to_be_visible()


def test_a_moderator_approves_a_waiting_statement(site, castle_park, resident, moderator):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.conversations import services

    waiting = services.add_statement(
        actor=resident, conversation=castle_park, text="Put a bandstand back in the park"
    )
    page = site.page
    sign_in(site, "moderator@example.org", PASSWORD)
    site.goto("/staff/conversations/")
    site.follow(page.get_by_role("link", name="How should we make Castle Park better?").click)
    site.follow(page.get_by_role("link", name="Moderation").click)
    expect(page.locator("main")).to_contain_text("Put a bandstand back in the park")
    site.follow(page.get_by_role("button", name=f"Approve statement {waiting.number}").click)
    expect(page.locator("main")).to_contain_text("Nothing is waiting.")
    waiting.refresh_from_db()
    assert waiting.status == "approved"
