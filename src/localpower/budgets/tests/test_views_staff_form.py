"""The set-up form shows each ballot kind's limits under its radio (GOV.UK conditional reveal). Without
JavaScript every limit is visible, so the server uses only the chosen kind's limits and ignores the rest."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from localpower.budgets.models import BallotKind, Process
from localpower.budgets.tests.factories import make_process
from localpower.budgets.tests.test_views_staff import new_process_data

pytestmark = pytest.mark.django_db

NEW = reverse("budgets:staff-process-new")


def test_each_kind_reveals_only_its_own_limits(client, officer):
    client.force_login(officer)
    page = client.get(NEW).content.decode()
    conditionals = dict(
        re.findall(
            r'<div class="govuk-radios__conditional[^"]*" id="conditional-(id_ballot_kind_\d)">(.*?)</div>\s*</div>\s*(?=<div class="govuk-radios__(?:item|conditional)|</div>)',
            page,
            re.S,
        )
    )
    assert "budgets/conditional_radios.mjs" in page
    assert page.count('data-lp-reveals="conditional-id_ballot_kind_') == 4  # approval has no limits
    names = {key: set(re.findall(r'name="([a-z_]+)"', html)) for key, html in conditionals.items()}
    assert {"min_choices", "max_choices"} in names.values()
    assert {"max_cost"} in names.values()
    assert {"points_total", "max_points_per_project"} in names.values()
    assert {"ranked_max_choices"} in names.values()
    for name in ("max_choices", "max_cost", "points_total", "ranked_max_choices"):
        assert page.count(f'name="{name}"') == 1


def test_limits_of_other_kinds_are_ignored_whatever_they_hold(client, officer, borough):
    client.force_login(officer)
    data = new_process_data(
        borough["castle"],
        ballot_kind=BallotKind.KNAPSACK,
        max_cost="15000",
        min_choices="abc",
        max_choices="-4",
        points_total="0",
        ranked_max_choices="zz",
    )
    response = client.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    process = Process.objects.get()
    assert process.max_cost == Decimal("15000")
    assert (process.min_choices, process.max_choices, process.points_total) == (None, None, None)


def test_ranked_ballots_use_their_own_box(client, officer, borough):
    client.force_login(officer)
    data = new_process_data(
        borough["castle"], ballot_kind=BallotKind.RANKED, ranked_max_choices="3", max_choices="9", max_cost=""
    )
    assert client.post(NEW, data).status_code == 302
    process = Process.objects.get()
    assert process.max_choices == 3 and process.max_cost is None


def test_a_missing_ranked_limit_is_shown_on_the_ranked_box(client, officer, borough):
    client.force_login(officer)
    data = new_process_data(borough["castle"], ballot_kind=BallotKind.RANKED, max_choices="5")
    page = client.post(NEW, data).content.decode()
    assert 'id="id_ranked_max_choices-error"' in page
    assert "Give the most projects a voter may choose." in page
    assert 'href="#id_ranked_max_choices"' in page
    assert not Process.objects.exists()


def test_a_bad_value_in_the_chosen_kinds_box_is_still_an_error(client, officer, borough):
    client.force_login(officer)
    data = new_process_data(
        borough["castle"], ballot_kind=BallotKind.K_APPROVAL, min_choices="2", max_choices="x"
    )
    page = client.post(NEW, data).content.decode()
    assert 'id="id_max_choices-error"' in page
    assert not Process.objects.exists()


def test_changing_the_kind_before_voting_clears_the_old_limits(client, officer, borough):
    process = make_process(
        borough["north"], "ideas", ballot_kind=BallotKind.KNAPSACK, max_cost=Decimal("5000")
    )
    client.force_login(officer)
    url = reverse("budgets:staff-process-edit", args=[process.slug])
    page = client.get(url).content.decode()
    assert re.search(r'name="max_cost"[^>]*value="5000', page)
    data = new_process_data(
        borough["north"], slug=process.slug, ballot_kind=BallotKind.APPROVAL, max_cost="5000"
    )
    data.pop("area")
    data.pop("categories")
    # Keep the process's own dates (the ideas phase is open).
    for name in (
        "ideas_open_at",
        "review_opens_at",
        "voting_opens_at",
        "voting_closes_at",
        "results_at",
        "delivery_starts_at",
    ):
        day = timezone.localtime(getattr(process, name)).date()
        data |= {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    process.refresh_from_db()
    assert process.ballot_kind == BallotKind.APPROVAL and process.max_cost is None


def test_staff_words_cannot_be_web_address_names(client, officer, borough):
    client.force_login(officer)
    page = client.post(NEW, new_process_data(borough["castle"], slug="moderation")).content.decode()
    assert "used by the staff pages" in page
    assert client.post(NEW, new_process_data(borough["castle"], title="Moderation")).status_code == 302
    assert Process.objects.get().slug == "moderation-2"


def test_account_page_links_to_email_choices(client, resident):
    client.force_login(resident)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("notifications:preferences") in page


def test_an_error_on_a_date_links_to_its_day_box(client, officer, borough):
    """As GOV.UK's date input: the error summary link puts the cursor in the first box, not on a wrapper."""
    client.force_login(officer)
    data = new_process_data(borough["castle"])
    data["voting_opens_at_day"] = "31"
    data["voting_opens_at_month"] = "2"
    page = client.post(NEW, data).content.decode()
    assert 'href="#id_voting_opens_at_0"' in page
    assert 'id="id_voting_opens_at_0"' in page
