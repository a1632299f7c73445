"""The list of budgets, a budget's page (phase, timetable, eligibility) and the area page's panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.accounts.tests.factories import PASSWORD
from localpower.budgets.models import BallotKind, ProcessState
from localpower.budgets.tests.factories import make_process, make_projects

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    assert client.login(email=user.email, password=PASSWORD) or client.force_login(user) is None


@pytest.fixture
def ideas_process(borough):
    return make_process(borough["north"], "ideas", title="North community fund", slug="north-fund")


def test_list_shows_public_budgets_by_phase_and_filters_by_area(client, borough, ideas_process):
    make_process(borough["south"], "delivery", title="South play parks", slug="south-parks")
    make_process(borough["north"], "voting", title="Secret draft", slug="draft", state=ProcessState.DRAFT)
    page = client.get(reverse("budgets:list")).content.decode()
    assert "North community fund" in page and "South play parks" in page
    assert "Secret draft" not in page
    assert (
        page.index("North community fund")
        < page.index("Coming up and finished")
        < page.index("South play parks")
    )
    filtered = client.get(reverse("budgets:list"), {"area": borough["south"].slug}).content.decode()
    assert "South play parks" in filtered and "North community fund" not in filtered


def test_list_marks_the_budgets_of_your_area(client, borough, resident, ideas_process):
    make_process(borough["south"], "ideas", title="South fund", slug="south-fund")
    client.force_login(resident)
    page = client.get(reverse("budgets:list")).content.decode()
    north, south = page.split("North community fund")[1], page.split("South fund")[1]
    assert "Your area" in north.split("lp-process-list__item")[0]
    assert "Your area" not in south.split("lp-process-list__item")[0]


def test_process_page_for_anonymous_shows_timetable_budget_and_sign_in(client, ideas_process):
    response = client.get(reverse("budgets:detail", args=["north-fund"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "£10,000" in page
    assert "Sharing ideas" in page and "Voting" in page and "Timetable" in page
    assert "Tick every project you would like to see funded" in page
    assert "Sign in to take part" in page
    assert reverse("budgets:idea-new", args=["north-fund"]) not in page


def test_process_page_tells_the_eligible_resident_what_to_do(client, resident, ideas_process):
    sign_in(client, resident)
    page = client.get(reverse("budgets:detail", args=["north-fund"])).content.decode()
    assert reverse("budgets:idea-new", args=["north-fund"]) in page
    assert 'id="eligibility"' not in page


def test_process_page_tells_the_outsider_to_confirm_their_postcode(client, outsider, ideas_process):
    sign_in(client, outsider)
    page = client.get(reverse("budgets:detail", args=["north-fund"])).content.decode()
    assert "Confirm your home postcode to take part" in page
    assert reverse("accounts:account-postcode") in page


def test_process_page_tells_a_resident_of_another_area_why_not(client, other_resident, ideas_process):
    sign_in(client, other_resident)
    page = client.get(reverse("budgets:detail", args=["north-fund"])).content.decode()
    assert "Your home postcode is in another area" in page
    assert reverse("budgets:idea-new", args=["north-fund"]) not in page


def test_ballot_kinds_are_explained_with_their_numbers(client, borough):
    make_process(
        borough["north"], "voting", slug="k", ballot_kind=BallotKind.K_APPROVAL, min_choices=2, max_choices=3
    )
    make_process(borough["north"], "voting", slug="sack", ballot_kind=BallotKind.KNAPSACK, max_cost=5000)
    make_process(
        borough["north"],
        "voting",
        slug="pts",
        ballot_kind=BallotKind.CUMULATIVE,
        points_total=10,
        max_points_per_project=4,
        rule="greedy",
        completion="none",
    )
    make_process(
        borough["north"],
        "voting",
        slug="rank",
        ballot_kind=BallotKind.RANKED,
        max_choices=3,
        rule="greedy",
        completion="none",
    )
    text = {
        slug: client.get(reverse("budgets:detail", args=[slug])).content.decode()
        for slug in ("k", "sack", "pts", "rank")
    }
    assert "at least 2 and no more than 3" in text["k"]
    assert "must not be more than £5,000" in text["sack"]
    assert "10 points" in text["pts"] and "at most 4" in text["pts"]
    assert "Put up to 3 projects in order" in text["rank"]


def test_drafts_are_hidden_from_the_public_but_not_from_their_staff(client, borough, officer, resident):
    make_process(borough["north"], "voting", slug="draft", state=ProcessState.DRAFT)
    assert client.get(reverse("budgets:detail", args=["draft"])).status_code == 404
    sign_in(client, resident)
    assert client.get(reverse("budgets:detail", args=["draft"])).status_code == 404
    client.logout()
    sign_in(client, officer)
    assert client.get(reverse("budgets:detail", args=["draft"])).status_code == 200
    assert (
        reverse("budgets:staff-process", args=["draft"])
        in client.get(reverse("budgets:detail", args=["draft"])).content.decode()
    )


def test_voting_page_lists_projects_and_the_vote_button(client, resident, borough):
    process = make_process(borough["north"], "voting", slug="vote-now")
    make_projects(process, [4000, 3000])
    sign_in(client, resident)
    page = client.get(reverse("budgets:detail", args=["vote-now"])).content.decode()
    assert "Project 1" in page and "£4,000" in page
    assert reverse("budgets:vote", args=["vote-now"]) in page


def test_area_page_lists_its_budgets_and_those_of_larger_areas(client, borough, ideas_process):
    page = client.get(borough["north"].get_absolute_url()).content.decode()
    assert "Participatory budgets" in page
    assert reverse("budgets:detail", args=["north-fund"]) in page
    # Castle ward is part of North: its residents take part in North's budget.
    ward = client.get(borough["castle"].get_absolute_url()).content.decode()
    assert (
        reverse("budgets:detail", args=["north-fund"]) in ward and "for all of North Area Committee" in ward
    )
    south = client.get(borough["south"].get_absolute_url()).content.decode()
    assert reverse("budgets:detail", args=["north-fund"]) not in south


def test_area_page_shows_how_funded_projects_are_getting_on(client, borough, officer):
    from localpower.budgets.models import Delivery, DeliveryStatus

    process = make_process(borough["north"], "delivery", slug="done")
    project = make_projects(process, [1000])[0]
    Delivery.objects.create(project=project, status=DeliveryStatus.IN_PROGRESS)
    page = client.get(borough["north"].get_absolute_url()).content.decode()
    assert reverse("budgets:project-detail", args=["done", project.pk]) in page
    assert "Project 1</a>: In progress" in page


def test_navigation_links_to_budgets(client, db):
    page = client.get(reverse("budgets:list")).content.decode()
    assert (
        'govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="/budgets/"'
        in page
    )


def test_unconfirmed_email_and_waiting_postcode_are_explained(client, borough, ideas_process):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    client.force_login(UserFactory(unverified=True, verified_postcode=SMALL_BOROUGH_POSTCODES["castle"]))
    page = client.get(reverse("budgets:detail", args=["north-fund"])).content.decode()
    assert "Confirm your e-mail address to take part" in page and reverse("accounts:account") in page
    client.force_login(UserFactory(home_postcode=SMALL_BOROUGH_POSTCODES["castle"]))
    page = client.get(reverse("budgets:detail", args=["north-fund"])).content.decode()
    assert "The council is checking your home postcode" in page
    assert reverse("budgets:idea-new", args=["north-fund"]) not in page


def test_paused_and_upcoming_budgets_say_so(client, borough, resident):
    make_process(borough["north"], "voting", slug="paused", state=ProcessState.PAUSED)
    make_process(borough["north"], "upcoming", slug="soon")
    client.force_login(resident)
    paused = client.get(reverse("budgets:detail", args=["paused"])).content.decode()
    assert "The council has paused this budget" in paused
    assert reverse("budgets:vote", args=["paused"]) not in paused
    vote = client.get(reverse("budgets:vote", args=["paused"]))
    assert "Voting is paused by the council" in vote.content.decode()
    soon = client.get(reverse("budgets:detail", args=["soon"])).content.decode()
    assert "This budget has not started yet. Ideas open on" in soon
