"""The "Have your say" page gathers what is open from every part of the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from localpower.core.hub import HubItem, register_hub_provider, unregister_hub_provider


@pytest.fixture
def provider():
    soon = timezone.now() + dt.timedelta(days=3)
    later = timezone.now() + dt.timedelta(days=30)

    def items(request):
        return [
            HubItem(kind="Surveys", title="Later survey", url="/later/", closes_at=later, order=5),
            HubItem(kind="Surveys", title="Open-ended survey", url="/open/", order=5),
            HubItem(
                kind="Surveys",
                title="Sooner survey",
                url="/soon/",
                closes_at=soon,
                area_name="North",
                order=5,
            ),
            HubItem(kind="Votes", title="A vote", url="/vote/", order=1),
        ]

    register_hub_provider(items)
    register_hub_provider(items)  # registering twice shows each item once
    yield items
    unregister_hub_provider(items)


@pytest.mark.django_db
def test_open_items_are_grouped_by_kind_soonest_closing_first(client, provider):
    page = client.get("/have-your-say/").content.decode()
    assert page.index("A vote") < page.index("Surveys")  # kinds by their order
    assert page.index("Sooner survey") < page.index("Later survey") < page.index("Open-ended survey")
    assert page.count("Sooner survey") == 1
    assert "North" in page


@pytest.mark.django_db
def test_with_nothing_open_the_page_says_so(client):
    page = client.get("/have-your-say/").content.decode()
    assert "Nothing is open for comment or voting at the moment" in page
    for address in (
        "/budgets/",
        "/consultations/",
        "/budget-simulators/",
        "/conversations/",
        "/you-said-we-did/",
    ):
        assert f'href="{address}"' in page  # closed and past ones are a click away


@pytest.mark.django_db
def test_a_budget_open_for_voting_is_listed(client, borough):
    from localpower.budgets.tests.factories import make_process

    make_process(borough["north"], "voting", title="North Community Chest")
    make_process(borough["north"], "results", title="Finished Fund")
    page = client.get("/have-your-say/").content.decode()
    assert "Vote on community budgets" in page and "North Community Chest" in page
    assert "Finished Fund" not in page
