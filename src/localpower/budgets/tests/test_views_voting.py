"""The ballot pages for every ballot kind: running total without JavaScript, errors, review, receipt, changes,
double submissions, the minimum age, rate limiting, and checking a receipt."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from localpower.budgets.models import Ballot, BallotKind, VoterRecord
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.budgets.views.voting import BALLOT_LIMITER

pytestmark = pytest.mark.django_db


def ids(process):
    return list(process.projects.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def process(borough):
    process = make_process(borough["north"], "voting", slug="north-vote")
    make_projects(process, [4000, 3000, 5000, 2000])
    return process


def review(client, process, data):
    """Post the ballot with "Continue"; returns the review page response."""
    return client.post(reverse("budgets:vote", args=[process.slug]), {**data, "action": "continue"})


def confirm_data(page: str) -> dict:
    ballot = re.search(r'name="ballot" value="([^"]*)"', page).group(1).replace("&quot;", '"')
    key = re.search(r'name="key" value="([^"]*)"', page).group(1)
    return {"ballot": ballot, "key": key}


def vote(client, process, data, **extra):
    page = review(client, process, data).content.decode()
    return client.post(reverse("budgets:vote-check", args=[process.slug]), {**confirm_data(page), **extra})


def test_anonymous_is_sent_to_sign_in(client, process):
    response = client.get(reverse("budgets:vote", args=[process.slug]))
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_outsider_and_other_resident_are_told_why_not(client, process, outsider, other_resident):
    client.force_login(outsider)
    response = client.get(reverse("budgets:vote", args=[process.slug]))
    assert response.status_code == 403
    assert "Confirm your home postcode to take part" in response.content.decode()
    client.force_login(other_resident)
    response = client.post(reverse("budgets:vote-check", args=[process.slug]), {"ballot": "{}", "key": "x"})
    assert response.status_code == 403
    assert "another area" in response.content.decode()
    assert not VoterRecord.objects.exists()


def test_approval_vote_review_receipt_and_check(client, process, resident):
    client.force_login(resident)
    page = client.get(reverse("budgets:vote", args=[process.slug])).content.decode()
    assert page.count('type="checkbox"') == 4 and "Update total" in page
    p = ids(process)
    check = review(client, process, {"projects": [p[0], p[2]]})
    assert check.status_code == 200
    text = check.content.decode()
    assert (
        "Check your choices" in text
        and "Project 1" in text
        and "Project 3" in text
        and "Project 2" not in text
    )
    assert not Ballot.objects.exists()  # nothing is recorded before the voter confirms
    done = client.post(reverse("budgets:vote-check", args=[process.slug]), confirm_data(text))
    assert done.status_code == 302 and done["Location"] == reverse("budgets:vote-done", args=[process.slug])
    receipt_page = client.get(done["Location"]).content.decode()
    ballot = Ballot.objects.get()
    assert ballot.content == {"projects": sorted([p[0], p[2]])}
    assert ballot.receipt in receipt_page
    assert resident.email not in receipt_page and resident.display_name in receipt_page  # only the header
    # The receipt is never kept on the server next to the person: not in their session.
    session = client.session
    assert not any(ballot.receipt in str(v) for v in session.values())
    # Anyone can check the code: counted.
    client.logout()
    result = client.get(
        reverse("budgets:receipt"), {"process": process.slug, "receipt": ballot.receipt.lower()}
    )
    assert "Counted" in result.content.decode()
    unknown = client.get(reverse("budgets:receipt"), {"process": process.slug, "receipt": "AAAA-BBBB-CCCC"})
    assert "Not found" in unknown.content.decode()
    bad = client.get(reverse("budgets:receipt"), {"process": process.slug, "receipt": "abc"})
    assert bad.status_code == 400 and "12 letters and numbers" in bad.content.decode()


def test_empty_ballot_shows_an_error(client, process, resident):
    client.force_login(resident)
    response = review(client, process, {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Choose at least one project." in page
    assert 'href="#id_projects_0"' in page


def test_double_submission_records_one_ballot_with_one_receipt(client, process, resident):
    client.force_login(resident)
    page = review(client, process, {"projects": [ids(process)[1]]}).content.decode()
    data = confirm_data(page)
    url = reverse("budgets:vote-check", args=[process.slug])
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Ballot.objects.count() == 1 and VoterRecord.objects.count() == 1
    assert client.cookies["lp_ballot_receipt"].value  # the receipt page still shows the one receipt
    assert (
        Ballot.objects.get().receipt
        in client.get(reverse("budgets:vote-done", args=[process.slug])).content.decode()
    )


def test_changing_the_ballot_replaces_it(client, process, resident):
    client.force_login(resident)
    p = ids(process)
    vote(client, process, {"projects": [p[0]]})
    page = client.get(reverse("budgets:vote", args=[process.slug])).content.decode()
    assert "Change your ballot" in page
    vote(client, process, {"projects": [p[1], p[3]]})
    current = Ballot.objects.get(superseded_on__isnull=True)
    assert current.content == {"projects": [p[1], p[3]]}
    assert Ballot.objects.count() == 2
    done = client.get(reverse("budgets:vote-done", args=[process.slug])).content.decode()
    assert "Your ballot has been changed" in done and current.receipt in done


def test_no_change_allowed_means_a_clear_page(client, borough, resident):
    process = make_process(borough["north"], "voting", slug="once", allow_ballot_change=False)
    make_projects(process, [1000])
    client.force_login(resident)
    vote(client, process, {"projects": ids(process)})
    response = client.get(reverse("budgets:vote", args=[process.slug]))
    assert "does not let voters change their ballot" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_knapsack_running_total_without_javascript_and_over_budget(client, borough, resident):
    process = make_process(
        borough["north"], "voting", slug="sack", ballot_kind=BallotKind.KNAPSACK, max_cost=6000
    )
    make_projects(process, [4000, 3000, 1500])
    p = ids(process)
    client.force_login(resident)
    url = reverse("budgets:vote", args=[process.slug])
    ok = client.post(url, {"projects": [p[0], p[2]], "action": "update"}).content.decode()
    assert "You have chosen £5,500 of the £6,000 you can spend." in ok and "£500 left." in ok
    assert "Check your choices" not in ok and "checked" in ok
    over = client.post(url, {"projects": [p[0], p[1]], "action": "update"})
    assert over.status_code == 400
    text = over.content.decode()
    assert "You have chosen £7,000" in text and "£1,000 too much" in text
    assert "more than the £6,000 you can spend" in text
    assert client.post(url, {"projects": [p[0], p[1]], "action": "continue"}).status_code == 400


def test_k_approval_limits(client, borough, resident):
    process = make_process(
        borough["north"], "voting", slug="k", ballot_kind=BallotKind.K_APPROVAL, min_choices=2, max_choices=2
    )
    make_projects(process, [100, 200, 300])
    client.force_login(resident)
    p = ids(process)
    assert (
        "Choose at least 2 projects (you chose 1)"
        in review(client, process, {"projects": [p[0]]}).content.decode()
    )
    assert (
        "no more than 2 projects (you chose 3)" in review(client, process, {"projects": p}).content.decode()
    )
    assert review(client, process, {"projects": p[:2]}).status_code == 200


def test_cumulative_points_total_and_errors(client, borough, resident):
    process = make_process(
        borough["north"],
        "voting",
        slug="pts",
        ballot_kind=BallotKind.CUMULATIVE,
        points_total=10,
        max_points_per_project=6,
        rule="greedy",
        completion="none",
    )
    make_projects(process, [100, 200, 300])
    p = ids(process)
    client.force_login(resident)
    url = reverse("budgets:vote", args=[process.slug])
    page = client.post(
        url, {f"points_{p[0]}": "4", f"points_{p[1]}": "3", "action": "update"}
    ).content.decode()
    assert "You have given 7 of your 10 points." in page and "3 points left." in page
    over = client.post(
        url, {f"points_{p[0]}": "6", f"points_{p[1]}": "6", "action": "update"}
    ).content.decode()
    assert "You gave out 12 points but you have 10" in over
    cap = client.post(url, {f"points_{p[0]}": "7", "action": "continue"}).content.decode()
    assert "at most 6 points to one project" in cap
    bad = client.post(url, {f"points_{p[0]}": "two", "action": "continue"}).content.decode()
    assert "must be a whole number" in bad
    vote(client, process, {f"points_{p[0]}": "6", f"points_{p[2]}": "4"})
    assert Ballot.objects.get().content == {"points": {str(p[0]): 6, str(p[2]): 4}}


def test_ranked_ballot_keeps_the_order_and_refuses_repeats(client, borough, resident):
    process = make_process(
        borough["north"],
        "voting",
        slug="rank",
        ballot_kind=BallotKind.RANKED,
        max_choices=2,
        rule="greedy",
        completion="none",
    )
    make_projects(process, [100, 200, 300])
    p = ids(process)
    client.force_login(resident)
    page = client.get(reverse("budgets:vote", args=[process.slug])).content.decode()
    assert page.count("<select") == 2 and "Choice 1" in page
    same = review(client, process, {"rank_1": p[1], "rank_2": p[1]}).content.decode()
    assert "chosen more than once" in same
    vote(client, process, {"rank_1": p[2], "rank_2": p[0]})
    assert Ballot.objects.get().content == {"ranking": [p[2], p[0]]}


def test_minimum_age_must_be_confirmed(client, borough, resident):
    process = make_process(borough["north"], "voting", slug="age", minimum_age=16)
    make_projects(process, [100])
    client.force_login(resident)
    page = review(client, process, {"projects": ids(process)}).content.decode()
    assert "I am 16 or older" in page
    assert re.search(r'<input[^>]*class="govuk-checkboxes__input"[^>]*id="id_confirmed_minimum_age"', page)
    url = reverse("budgets:vote-check", args=[process.slug])
    refused = client.post(url, confirm_data(page))
    assert (
        refused.status_code == 400 and "Confirm that you are 16 or older to vote." in refused.content.decode()
    )
    assert not Ballot.objects.exists()
    assert client.post(url, {**confirm_data(page), "confirmed_minimum_age": "on"}).status_code == 302
    assert VoterRecord.objects.get().confirmed_minimum_age == 16


def test_tampered_ballot_is_refused_with_a_message(client, process, resident):
    client.force_login(resident)
    url = reverse("budgets:vote-check", args=[process.slug])
    response = client.post(url, {"ballot": json.dumps({"projects": [999999]}), "key": "k"})
    assert response.status_code == 400 and "is not on this ballot" in response.content.decode()
    response = client.post(url, {"ballot": "not json", "key": "k"}, follow=True)
    assert "could not be read" in response.content.decode()
    assert not Ballot.objects.exists()


def test_ballot_submission_is_rate_limited_per_person(client, process, resident):
    client.force_login(resident)
    for _ in range(BALLOT_LIMITER.limit):
        BALLOT_LIMITER.hit("user", str(resident.pk))
    page = review(client, process, {"projects": [ids(process)[0]]}).content.decode()
    response = client.post(reverse("budgets:vote-check", args=[process.slug]), confirm_data(page))
    assert response.status_code == 429 and "too many times" in response.content.decode()
    assert not Ballot.objects.exists()


def test_voting_pages_when_voting_is_not_open(client, borough, resident):
    process = make_process(borough["north"], "ideas", slug="later")
    client.force_login(resident)
    response = client.get(reverse("budgets:vote", args=[process.slug]))
    assert response.status_code == 200 and "Voting has not opened yet" in response.content.decode()
    assert client.get(reverse("budgets:vote-check", args=[process.slug])).status_code == 302


def test_ranked_ballot_has_no_total_to_update(client, borough, resident):
    process = make_process(
        borough["north"],
        "voting",
        slug="r2",
        ballot_kind=BallotKind.RANKED,
        max_choices=2,
        rule="greedy",
        completion="none",
    )
    make_projects(process, [100, 200])
    client.force_login(resident)
    assert "Update total" not in client.get(reverse("budgets:vote", args=[process.slug])).content.decode()


def test_no_page_puts_a_voter_next_to_their_ballot(client, process, resident, make_resident, officer):
    """The receipt is the only link: it is shown once to the voter, and nowhere with a name or e-mail."""
    client.force_login(resident)
    vote(client, process, {"projects": [ids(process)[0]]})
    neighbour = make_resident(display_name="Nia Neighbour")
    client.force_login(neighbour)
    vote(client, process, {"projects": [ids(process)[1]]})
    assert Ballot.objects.count() == 2
    # A fresh browser (no receipt cookie) of the same voter sees no receipt on the receipt page.
    client.cookies.clear()
    client.force_login(resident)
    page = client.get(reverse("budgets:vote-done", args=[process.slug])).content.decode()
    assert "You have voted" in page
    assert not any(r in page for r in Ballot.objects.values_list("receipt", flat=True))
    # Checking a receipt says only whether it counts: no name, no e-mail, no choices.
    client.logout()
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        page = client.get(
            reverse("budgets:receipt"), {"process": process.slug, "receipt": receipt}
        ).content.decode()
        assert "Counted" in page
        for person in (resident, neighbour):
            assert person.email not in page and person.display_name not in page
        assert "Project 1" not in page and "Project 2" not in page
    # Staff see the same public pages; the budget page shows only how many people voted.
    client.force_login(officer)
    page = client.get(reverse("budgets:detail", args=[process.slug])).content.decode()
    assert not any(r in page for r in Ballot.objects.values_list("receipt", flat=True))
    assert resident.email not in page and "Nia Neighbour" not in page


def test_running_total_partial_for_htmx(client, borough, resident):
    process = make_process(
        borough["north"], "voting", slug="sack2", ballot_kind=BallotKind.KNAPSACK, max_cost=5000
    )
    make_projects(process, [4000, 3000])
    client.force_login(resident)
    response = client.post(
        reverse("budgets:vote", args=[process.slug]),
        {"projects": ids(process), "action": "update"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert (
        'id="running-total"' in text
        and "You have chosen £7,000 of the £5,000" in text
        and "£2,000 too much" in text
    )
    assert not Ballot.objects.exists()
