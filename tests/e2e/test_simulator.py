"""Browser journeys for the budget simulator, with axe on every page.

* A resident balances the budget with the keyboard: live totals and consequences as they choose (JavaScript),
  an error summary saying how far off the target an unbalanced budget is, the check page, sending, thanks.
* The same without JavaScript: "Update totals" keeps the choices and shows the new totals.
* An officer sees the results (distribution, community budget) and the comments.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def simulator(borough):
    from localpower.simulator.tests.factories import make_simulator

    return make_simulator(borough["north"], title="Balancing next year", slug="balancing-next-year")


def test_a_resident_balances_the_budget_with_the_keyboard(site, simulator, resident):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.simulator.models import Choice, Submission

    page = site.page
    sign_in(site, "resident@example.org", PASSWORD)
    site.goto("/budget-simulators/balancing-next-year/")
    expect(page.locator("h1")).to_have_text("Balancing next year")
    totals = page.locator("#sim-totals")
    expect(totals).to_contain_text("Not balanced yet: find another £100,000.")
    # With JavaScript the totals update as choices change, so the "Update totals" button in the box is hidden.
    expect(totals.get_by_role("button", name="Update totals")).to_be_hidden()

    # Libraries: from "No change", two steps down with the arrow keys (radios move like a slider).
    libraries = page.get_by_role("group", name="Libraries")
    libraries.get_by_label("No change").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(libraries.get_by_label("−20%")).to_be_checked()
    expect(totals).to_contain_text("find another £60,000")
    expect(page.locator("[data-sim-service]").first.locator("[data-sim-consequence]")).to_have_text(
        "Libraries at -10%: fewer hours."
    )
    page.get_by_role("textbox", name="Why? (optional) Your reasons for Libraries").fill(
        "Volunteers can help."
    )

    # Not yet balanced: the server says how far off it is.
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("find another £60,000")
    # Nothing typed was lost.
    expect(page.get_by_role("group", name="Libraries").get_by_label("−20%")).to_be_checked()
    expect(page.get_by_role("textbox", name="Why? (optional) Your reasons for Libraries")).to_have_value(
        "Volunteers can help."
    )

    roads = page.get_by_role("group", name="Roads")
    roads.get_by_label("No change").focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(totals).to_contain_text("Balanced: your budget meets the target.")
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator("h1")).to_have_text("Check your budget before you send it")
    expect(page.locator("main")).to_contain_text("Volunteers can help.")
    site.follow(page.get_by_role("button", name="Send my budget").click)
    expect(page.locator("h1")).to_have_text("Budget sent")
    submission = Submission.objects.get(simulator=simulator)
    assert submission.user is None
    assert Choice.objects.get(submission=submission, service__name="Libraries").change_pct == -20
    assert Choice.objects.get(submission=submission, service__name="Roads").change_pct == -20


def test_update_totals_without_javascript(
    browser, live_server, _static_files_without_manifest, simulator, resident
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/budget-simulators/balancing-next-year/")
        page.get_by_role("group", name="Parks").get_by_label("−30%").check()
        page.get_by_role("textbox", name="Why? (optional) Your reasons for Parks").fill("Fewer flower beds.")
        with page.expect_navigation():
            page.locator("#sim-totals").get_by_role("button", name="Update totals").click()
        expect(page.locator("#sim-totals")).to_contain_text("find another £10,000")
        expect(page.get_by_role("group", name="Parks").get_by_label("−30%")).to_be_checked()
        expect(page.get_by_role("textbox", name="Why? (optional) Your reasons for Parks")).to_have_value(
            "Fewer flower beds."
        )
        expect(page.locator("[data-sim-service]").nth(1).locator("[data-sim-consequence]")).to_have_text(
            "Parks at -30%: big changes."
        )
    finally:
        context.close()


def test_an_officer_sees_the_results_and_comments(site, simulator, officer):
    from localpower.accounts.tests.factories import PASSWORD, UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES
    from localpower.simulator import services
    from localpower.simulator.tests.factories import levels

    for i, pcts in enumerate([(-30, -20, 0), (-10, -10, -10), (0, 0, -20)]):
        user = UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"])
        choices = levels(simulator, *pcts)
        services.submit(
            actor=user,
            simulator=simulator,
            choices=choices,
            comments={next(iter(choices)): f"Comment number {i}"},
            idempotency_key=f"k{i}",
        )
    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/simulators/")
    site.follow(page.get_by_role("link", name="Balancing next year").click)
    expect(page.locator("main")).to_contain_text("People have already responded")
    site.follow(page.get_by_role("link", name="Results").first.click)
    expect(page.locator("main")).to_contain_text("3 people sent a balanced budget.")
    expect(page.get_by_role("heading", name="The community budget")).to_be_visible()
    site.follow(page.get_by_role("link", name="Read the comments on Libraries").click)
    expect(page.locator("main")).to_contain_text("Comment number 0")

    # Closing makes the results public.
    site.follow(page.get_by_role("link", name="Overview").click)
    site.follow(page.get_by_role("button", name="Close now").click)
    expect(page.locator("h1")).to_have_text("Are you sure you want to close the simulator now?")
    site.follow(page.get_by_role("button", name="Yes, close it now").click)
    expect(page.locator("main")).to_contain_text("Closed. The results are now public.")
    page.context.clear_cookies()
    site.goto("/budget-simulators/")
    site.follow(page.get_by_role("link", name="Balancing next year").click)
    expect(page.locator("h1")).to_have_text("What people chose")
    expect(page.get_by_role("table", name="Changes to each service")).to_contain_text("Libraries")


def test_an_officer_sets_up_and_publishes_a_simulator(site, officer, borough):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.simulator.models import Simulator

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/simulators/")
    site.follow(page.get_by_role("button", name="Set up a simulator").click)
    # An empty form first: the error summary names what is missing.
    site.follow(page.get_by_role("button", name="Set up the simulator").click)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Title").fill("Balancing 2027")
    page.get_by_label("Web address name").fill("balancing-2027")
    page.get_by_role("group", name="Opens").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Opens").get_by_label("Month").fill("1")
    page.get_by_role("group", name="Opens").get_by_label("Year").fill("2026")
    page.get_by_role("group", name="Closes").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Closes").get_by_label("Month").fill("1")
    page.get_by_role("group", name="Closes").get_by_label("Year").fill("2030")
    page.get_by_label("Save at least an amount").check()
    page.get_by_label("Target amount in pounds").fill("50000")
    page.get_by_label("Verified residents of the area only").check()
    site.follow(page.get_by_role("button", name="Set up the simulator").click)
    expect(page.locator("h1")).to_have_text("Balancing 2027")

    for name, spend in (("Libraries", "200000"), ("Parks", "300000")):
        site.follow(page.get_by_role("button", name="Add a service").click)
        page.get_by_label("Service", exact=True).fill(name)
        page.get_by_label("Current spend in pounds").fill(spend)
        page.get_by_label("What would happen at −30%").fill(f"{name}: much less")
        site.follow(page.get_by_role("button", name="Save the service").click)
    expect(page.locator("main")).to_contain_text("£500,000")
    site.follow(page.get_by_role("button", name="Publish").click)
    expect(page.locator("main")).to_contain_text("Published.")
    assert Simulator.objects.get(slug="balancing-2027").status == "open"
    site.follow(page.get_by_role("link", name="Public page").click)
    expect(page.locator("h1")).to_have_text("Balancing 2027")


def test_the_demo_simulator_pages(site, transactional_db):
    """The demo: the borough's open simulator (ten services) and the North's closed one with its public results."""
    from localpower.places.demo import build_demo_places
    from localpower.simulator.demo import NORTH_RESPONSES, NORTH_SLUG, SLUG, build_demo_simulators

    build_demo_simulators(build_demo_places())
    page = site.page
    site.goto(f"/budget-simulators/{SLUG}/")
    expect(page.locator("#sim-totals")).to_contain_text("find another £4,200,000")
    site.goto("/budget-simulators/")
    site.follow(page.get_by_role("link", name="North area budget: keeping within £1.2 million").click)
    assert page.url.endswith(f"/budget-simulators/{NORTH_SLUG}/results/")
    expect(page.locator("main")).to_contain_text(f"{NORTH_RESPONSES} people sent a balanced budget.")
