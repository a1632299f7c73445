"""Browser journey for moderation, with axe on every page: a resident reports an idea; a moderator finds it in
the queue, hides it with a reason, and the public idea page shows the reason in place of the idea."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reported_idea(borough, resident):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.budgets.services import report, submit_idea
    from localpower.budgets.tests.factories import make_process
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    process = make_process(borough["north"], "ideas", title="North ideas fund", slug="north-ideas")
    idea = submit_idea(
        actor=resident, process=process, title="Cheap sofas for sale", description="Call 0123 for sofas."
    )
    neighbour = UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])
    report(actor=neighbour, idea=idea, reason="It is an advert for a shop")
    return idea


def test_a_moderator_hides_a_reported_idea(site, reported_idea, moderator):
    from localpower.accounts.tests.factories import PASSWORD

    page = site.page
    sign_in(site, "moderator@example.org", PASSWORD)
    site.goto("/staff/budgets/moderation/")
    expect(page.locator("h1")).to_have_text("Moderation")
    main = page.locator("main")
    expect(main).to_contain_text("It is an advert for a shop")
    site.follow(page.get_by_role("link", name="Cheap sofas for sale").click)
    expect(page.locator("h1")).to_have_text("Moderate an idea")

    # A reason is needed: the error summary says so and nothing is hidden.
    site.follow(page.get_by_role("button", name="Hide it").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for hiding it")
    page.get_by_label("Reason for hiding, shown to everyone").fill("Advertising is not allowed")
    site.follow(page.get_by_role("button", name="Hide it").click)
    expect(page.locator("#hidden-state")).to_contain_text("Advertising is not allowed")
    reported_idea.refresh_from_db()
    assert reported_idea.is_hidden

    site.follow(page.get_by_role("link", name="See it as residents do").click)
    expect(page.locator("h1")).to_have_text("Hidden idea")
    expect(page.locator("main")).to_contain_text("Advertising is not allowed")
    expect(page.locator("main")).not_to_contain_text("Call 0123 for sofas.")
    site.goto("/staff/budgets/moderation/?show=hidden")
    expect(page.locator("main")).to_contain_text("Cheap sofas for sale")


def test_the_set_up_form_reveals_only_the_chosen_ballot_kinds_limits(site, officer):
    """Beside moderation, the other staff form this work changed: each ballot kind reveals its own limits."""
    from localpower.accounts.tests.factories import PASSWORD

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/budgets/new/")
    expect(page.locator("[name=max_cost]")).to_be_hidden()
    expect(page.locator("[name=points_total]")).to_be_hidden()
    page.get_by_label("Choose projects up to a total cost", exact=False).check()
    expect(page.locator("[name=max_cost]")).to_be_visible()
    expect(page.locator("[name=points_total]")).to_be_hidden()
    page.locator("[name=ballot_kind][value=cumulative]").check()
    expect(page.locator("[name=max_cost]")).to_be_hidden()
    expect(page.locator("[name=points_total]")).to_be_visible()
    site.check()
