"""Browser journeys for participatory budgets, with axe on every page.

* A resident votes: ballot (with the server-side running total) -> check -> receipt -> check the receipt ->
  results once published, including "what happened to my choices".
* An officer sets up a budget (after an empty form shows its errors), turns a resident's idea into a ballot
  project in the review, and counts and publishes the results on the staff results page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def knapsack(borough):
    from localpower.budgets.models import BallotKind
    from localpower.budgets.tests.factories import make_process, make_projects

    process = make_process(
        borough["north"],
        "voting",
        title="North community fund",
        slug="north-fund",
        ballot_kind=BallotKind.KNAPSACK,
        max_cost=6000,
        budget=6000,
        minimum_age=16,
    )
    projects = make_projects(process, [4000, 3000, 1500])
    for project, title in zip(projects, ["Pond benches", "Youth club roof", "Street trees"], strict=True):
        project.title = title
        project.save(update_fields=["title"])
    return process


def test_a_resident_votes_checks_the_receipt_and_sees_the_results(site, knapsack, resident, officer):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.budgets.models import Ballot, VoterRecord
    from localpower.budgets.services import compute_result, publish_result
    from localpower.budgets.tests.factories import move_to

    page = site.page
    sign_in(site, "resident@example.org", PASSWORD)
    site.goto("/budgets/north-fund/")
    site.goto("/budgets/north-fund/vote/")
    expect(page.locator("h1")).to_have_text("Your ballot")

    # Over the limit: the total is worked out on the server and the error is shown in the summary.
    page.get_by_label("Pond benches").check()
    page.get_by_label("Youth club roof").check()
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than the £6,000 you can spend")

    page.get_by_label("Youth club roof").uncheck()
    page.get_by_label("Street trees").check()
    site.follow(page.get_by_role("button", name="Continue").click)
    expect(page.locator("h1")).to_have_text("Check your choices before you vote")
    expect(page.locator("main")).to_contain_text("Pond benches")
    expect(page.locator("main")).to_contain_text("Street trees")

    # The minimum age must be confirmed before the vote is taken.
    site.follow(page.get_by_role("button", name="Confirm and vote").click)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("I am 16 or older").check()
    site.follow(page.get_by_role("button", name="Confirm and vote").click)
    expect(page.locator("h1")).to_have_text("You have voted")
    receipt = page.locator(".lp-receipt").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt), receipt
    assert VoterRecord.objects.filter(process=knapsack, user=resident).count() == 1
    assert Ballot.objects.get(process=knapsack).receipt == receipt

    site.goto("/budgets/receipt/")
    page.get_by_label("Receipt code").fill(receipt.lower())
    page.get_by_label("Budget").select_option("north-fund")
    site.follow(page.get_by_role("button", name="Check").click)
    expect(page.locator(".govuk-panel")).to_contain_text("Counted")

    move_to(knapsack, "counting")
    publish_result(actor=officer, result=compute_result(actor=officer, process=knapsack))
    site.goto("/budgets/north-fund/results/")
    main = page.locator("main")
    expect(main).to_contain_text("Pond benches")
    expect(main).to_contain_text("Street trees")
    # The published result is also in the API, with the ballots file it was counted from.
    body = page.request.get(site.url("/api/v1/budgets/north-fund/results")).json()
    assert {p["title"] for p in body["funded"]} >= {"Pond benches"}


def test_an_officer_counts_and_publishes_the_results(site, knapsack, officer, make_residents, settings):
    from localpower.accounts.tests.factories import PASSWORD
    from localpower.budgets.models import Result
    from localpower.budgets.services import cast_ballot
    from localpower.budgets.tests.factories import move_to

    ids = list(knapsack.projects.order_by("pk").values_list("pk", flat=True))
    for voter, choice in zip(
        make_residents(4), ([ids[0]], [ids[0], ids[2]], [ids[1]], [ids[2]]), strict=True
    ):
        cast_ballot(actor=voter, process=knapsack, content=choice, confirmed_minimum_age=True)
    move_to(knapsack, "counting")
    # The count runs at once here instead of in the background worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/budgets/")
    site.goto("/staff/budgets/north-fund/")
    site.goto("/staff/budgets/north-fund/results/")
    site.follow(page.get_by_role("button", name="Count now").click)
    expect(page.locator("main")).to_contain_text("The count has finished.")
    assert Result.objects.filter(process=knapsack).count() == 1
    site.follow(page.get_by_role("button", name="Publish version 1").click)
    assert Result.objects.get(process=knapsack).published

    site.goto("/budgets/north-fund/results/")
    expect(page.locator("main")).to_contain_text("Pond benches")
    body = page.request.get(site.url("/api/v1/budgets/north-fund/results")).json()
    assert body["voters"] == 4


@pytest.fixture
def make_residents(borough):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    def make(n: int):
        return [UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"]) for _ in range(n)]

    return make


def test_an_officer_sets_up_a_budget_and_turns_an_idea_into_a_ballot_project(
    site, borough, officer, resident
):
    import datetime

    from django.utils import timezone

    from localpower.accounts.tests.factories import PASSWORD
    from localpower.budgets.models import IdeaStatus, Process, Project
    from localpower.budgets.services import submit_idea
    from localpower.budgets.tests.factories import make_process, move_to

    page = site.page
    sign_in(site, "officer@example.org", PASSWORD)
    site.goto("/staff/budgets/new/")
    # Sent empty first: the error summary must pass the checks too.
    site.follow(page.get_by_role("button", name="Set up the budget").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")

    page.get_by_label("Area").select_option(label=str(borough["north"]))
    page.get_by_label("Title").fill("North summer fund")
    page.get_by_label("Budget", exact=True).fill("12000")
    start = timezone.localdate() + datetime.timedelta(days=10)
    for offset, name in enumerate(
        [
            "ideas_open_at",
            "review_opens_at",
            "voting_opens_at",
            "voting_closes_at",
            "results_at",
            "delivery_starts_at",
        ]
    ):
        day = start + datetime.timedelta(days=7 * offset)
        page.locator(f"[name={name}_day]").fill(str(day.day))
        page.locator(f"[name={name}_month]").fill(str(day.month))
        page.locator(f"[name={name}_year]").fill(str(day.year))
    site.follow(page.get_by_role("button", name="Set up the budget").click)
    created = Process.objects.get(title="North summer fund")
    assert created.area == borough["north"] and created.budget == 12000
    expect(page.locator("h1")).to_contain_text("North summer fund")

    # Review: a resident's idea becomes a ballot project with the council's final cost.
    process = make_process(borough["north"], "ideas", title="Castle ideas", slug="castle-ideas")
    idea = submit_idea(
        actor=resident,
        process=process,
        title="Benches by the pond",
        description="Somewhere to sit.",
        estimated_cost=1200,
    )
    move_to(process, "review")
    site.goto("/staff/budgets/castle-ideas/review/")
    site.follow(page.get_by_role("link", name="Benches by the pond").first.click)
    page.get_by_label("Project title").fill("Pond benches")
    page.get_by_label("Final cost").fill("1500")
    site.follow(page.get_by_role("button", name="Make a ballot project").click)
    project = Project.objects.get(process=process)
    assert (project.title, project.cost) == ("Pond benches", 1500)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ON_BALLOT
    expect(page.locator("main")).to_contain_text("Pond benches")
