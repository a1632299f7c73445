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
    conversation.tags.create(label="Under 25", order=0)
    conversation.tags.create(label="I walk my dog in the park", order=1)
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

    # Saying something about yourself, and reporting a statement.
    site.goto("/conversations/castle-park/")
    site.follow(page.get_by_role("link", name="Tell us a little about yourself").click)
    page.get_by_label("I walk my dog in the park").check()
    site.follow(page.get_by_role("button", name="Save").click)
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Your answers have been saved")
    site.follow(page.get_by_role("link", name="Report this statement").click)
    page.get_by_label("What is wrong with it?").fill("It names a neighbour")
    site.follow(page.get_by_role("button", name="Send report").click)
    expect(page.get_by_role("alert", name="Success")).to_contain_text("A moderator will look")


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


def test_an_officer_sets_up_a_conversation_publishes_it_and_refreshes_the_analysis(site, borough, officer):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.conversations.models import Conversation

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/conversations/")
    site.follow(page.get_by_role("button", name="Start a conversation").click)
    site.follow(page.get_by_role("button", name="Save as a draft").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the question.")
    page.get_by_label("Area", exact=True).select_option(label="North Area Committee")
    page.get_by_label("Question", exact=True).fill("What should happen to the old library?")
    page.locator("[name=opens_at_day]").fill("1")
    page.locator("[name=opens_at_month]").fill("1")
    page.locator("[name=opens_at_year]").fill("2026")
    page.get_by_label("Tags people can choose about themselves (optional)").fill(
        "Under 25\nI use the library"
    )
    site.follow(page.get_by_role("button", name="Save as a draft").click)
    expect(page.locator("h1")).to_have_text("What should happen to the old library?")
    conversation = Conversation.objects.get()
    assert conversation.state == "draft" and conversation.tags.count() == 2

    site.follow(page.get_by_role("link", name="Statements").click)
    page.get_by_label("Starting statement").fill("The building should become a community hub")
    site.follow(page.get_by_role("button", name="Add statement").click)
    expect(page.locator("main")).to_contain_text("The building should become a community hub")

    site.follow(page.get_by_role("link", name="Overview").click)
    site.follow(page.get_by_role("button", name="Publish").click)
    conversation.refresh_from_db()
    assert conversation.phase == "open"
    site.follow(page.get_by_role("link", name="Analysis and open data").click)
    site.follow(page.get_by_role("button", name="Refresh the analysis now").click)
    expect(page.locator("main")).to_contain_text("Nobody has voted yet")
    site.follow(page.get_by_role("link", name="Overview").click)
    site.follow(page.get_by_role("button", name="Close the conversation").click)
    conversation.refresh_from_db()
    assert conversation.phase == "closed"
