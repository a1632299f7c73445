"""Voting through the API: POST /api/v1/budgets/{slug}/ballot, and every refusal in the one error shape."""

from __future__ import annotations

import json

import pytest

from localpower.accounts.services import create_api_token
from localpower.accounts.tests.factories import UserFactory
from localpower.api.tests.conftest import assert_error
from localpower.budgets.models import Ballot, ProcessState, VoterRecord
from localpower.budgets.services import cast_ballot
from localpower.budgets.tests.factories import make_process, make_projects, move_to
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/budgets/north-budget/ballot"


def token_for(user) -> str:
    return create_api_token(user=user, name="Voting script")[1]


def post(client, url, body, *, token=None, key="key-1", **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def voting(borough):
    process = make_process(borough["north"], "voting", title="North budget", slug="north-budget")
    make_projects(process, [4000, 3000, 5000])
    return process


@pytest.fixture
def token(resident):
    return token_for(resident)


def project_ids(process) -> list[int]:
    return list(process.projects.order_by("pk").values_list("pk", flat=True))


def test_a_resident_votes_with_a_token_and_gets_a_receipt(api_client, voting, resident, token):
    a, b, _c = project_ids(voting)
    response = post(api_client, URL, {"projects": [b, a]}, token=token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "created" and body["budget"] == "north-budget"
    ballot = Ballot.objects.get(process=voting)
    assert ballot.receipt == body["receipt"] and ballot.content == {"projects": [a, b]}
    assert VoterRecord.objects.filter(process=voting, user=resident).count() == 1
    check = api_client.get(body["check_url"].replace("http://localhost", "")).json()
    assert check["status"] == "counted"


def test_the_same_request_again_changes_nothing_and_gives_the_same_receipt(api_client, voting, token):
    a = project_ids(voting)[0]
    first = post(api_client, URL, {"projects": [a]}, token=token, key="same")
    again = post(api_client, URL, {"projects": [a]}, token=token, key="same")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["status"] == "repeated"
    assert again.json()["receipt"] == first.json()["receipt"]
    assert Ballot.objects.filter(process=voting).count() == 1


def test_the_key_may_come_in_the_body(api_client, voting, token):
    a = project_ids(voting)[0]
    response = post(api_client, URL, {"projects": [a], "idempotency_key": "in-body"}, token=token, key=None)
    assert response.status_code == 201
    again = post(api_client, URL, {"projects": [a]}, token=token, key="in-body")
    assert again.json()["status"] == "repeated"


def test_a_new_key_replaces_the_ballot_when_changes_are_allowed(api_client, voting, token):
    a, b, _c = project_ids(voting)
    first = post(api_client, URL, {"projects": [a]}, token=token, key="one").json()
    second = post(api_client, URL, {"projects": [b]}, token=token, key="two")
    assert second.status_code == 201 and second.json()["status"] == "replaced"
    current = Ballot.objects.get(process=voting, superseded_on__isnull=True)
    assert current.content == {"projects": [b]} and current.receipt == second.json()["receipt"]
    assert api_client.get(f"/api/v1/budgets/receipts/{first['receipt']}").json()["status"] == "replaced"
    assert AuditEntry.objects.filter(action="budgets.ballot.replace").count() == 1


def test_voting_twice_is_refused_when_changes_are_not_allowed(api_client, borough, resident, token):
    process = make_process(borough["north"], "voting", slug="fixed", allow_ballot_change=False)
    (a,) = [p.pk for p in make_projects(process, [100])]
    assert post(api_client, "/api/v1/budgets/fixed/ballot", {"projects": [a]}, token=token).status_code == 201
    response = post(api_client, "/api/v1/budgets/fixed/ballot", {"projects": [a]}, token=token, key="other")
    error = assert_error(response, 409, "already_voted")
    assert error["message"] == "You have already voted. This budget does not let voters change their ballot."
    assert Ballot.objects.filter(process=process).count() == 1


def test_a_ballot_that_breaks_the_rules_gets_the_services_message(api_client, borough, token):
    process = make_process(borough["north"], "voting", slug="knap", ballot_kind="knapsack", max_cost="5000")
    a, b = [p.pk for p in make_projects(process, [4000, 3000])]
    error = assert_error(
        post(api_client, "/api/v1/budgets/knap/ballot", {"projects": [a, b]}, token=token),
        422,
        "validation_error",
    )
    assert error["message"] == (
        "Your projects cost £7,000, which is more than the £5,000 you can spend. Remove a project to continue."
    )
    error = assert_error(
        post(api_client, "/api/v1/budgets/knap/ballot", {"projects": [999999]}, token=token),
        422,
        "validation_error",
    )
    assert error["message"] == "Project 999999 is not on this ballot."
    assert not Ballot.objects.exists()


def test_choices_must_match_the_ballot_kind(api_client, borough, voting, token):
    a = project_ids(voting)[0]
    error = assert_error(post(api_client, URL, {"points": {str(a): 3}}, token=token), 422, "validation_error")
    assert "send your choices in `projects` only" in error["message"]
    process = make_process(
        borough["north"], "voting", slug="points", ballot_kind="cumulative", points_total=5
    )
    (p,) = [x.pk for x in make_projects(process, [100])]
    response = post(api_client, "/api/v1/budgets/points/ballot", {"points": {str(p): 5}}, token=token)
    assert response.status_code == 201
    assert Ballot.objects.get(process=process).content == {"points": {str(p): 5}}
    too_many = post(
        api_client, "/api/v1/budgets/points/ballot", {"points": {str(p): 6}}, token=token, key="k2"
    )
    assert (
        "You gave out 6 points but you have 5" in assert_error(too_many, 422, "validation_error")["message"]
    )


def test_a_ranked_ballot(api_client, borough, token):
    process = make_process(borough["north"], "voting", slug="ranks", ballot_kind="ranked", max_choices=2)
    a, b, c = [p.pk for p in make_projects(process, [100, 200, 300])]
    response = post(api_client, "/api/v1/budgets/ranks/ballot", {"ranking": [c, a]}, token=token)
    assert response.status_code == 201
    assert Ballot.objects.get(process=process).content == {"ranking": [c, a]}
    error = assert_error(
        post(api_client, "/api/v1/budgets/ranks/ballot", {"ranking": [a, b, c]}, token=token, key="k2"),
        422,
        "validation_error",
    )
    assert error["message"] == "Choose no more than 2 projects (you chose 3)."


def test_minimum_age_must_be_confirmed(api_client, borough, token):
    process = make_process(borough["north"], "voting", slug="aged", minimum_age=16)
    (a,) = [p.pk for p in make_projects(process, [100])]
    error = assert_error(
        post(api_client, "/api/v1/budgets/aged/ballot", {"projects": [a]}, token=token),
        422,
        "validation_error",
    )
    assert error["message"] == "Confirm that you are 16 or older to vote."
    assert error["details"][0]["field"] == "confirmed_minimum_age"
    body = {"projects": [a], "confirmed_minimum_age": True}
    assert post(api_client, "/api/v1/budgets/aged/ballot", body, token=token).status_code == 201


def test_the_idempotency_key_is_required_and_checked(api_client, voting, token):
    a = project_ids(voting)[0]
    error = assert_error(
        post(api_client, URL, {"projects": [a]}, token=token, key=None), 422, "validation_error"
    )
    assert "Idempotency-Key" in error["message"]
    differ = post(api_client, URL, {"projects": [a], "idempotency_key": "x"}, token=token, key="y")
    assert "differ" in assert_error(differ, 422, "validation_error")["message"]
    assert_error(
        post(api_client, URL, {"projects": [a]}, token=token, key="x" * 201), 422, "validation_error"
    )
    assert not Ballot.objects.exists()


def test_refusals_from_the_service_keep_their_message(api_client, borough, voting, outsider):
    a = project_ids(voting)[0]
    error = assert_error(
        post(api_client, URL, {"projects": [a]}, token=token_for(outsider)), 403, "forbidden"
    )
    assert error["message"].startswith("Only residents of North")
    unverified = UserFactory(email="new@example.org", email_verified_at=None)
    error = assert_error(
        post(api_client, URL, {"projects": [a]}, token=token_for(unverified)), 403, "forbidden"
    )
    assert error["message"].startswith("Confirm your e-mail address before voting")
    assert not Ballot.objects.exists()


def test_voting_outside_the_voting_phase_is_refused(api_client, voting, resident, token):
    a = project_ids(voting)[0]
    move_to(voting, "counting")
    error = assert_error(post(api_client, URL, {"projects": [a]}, token=token), 403, "forbidden")
    assert error["message"] == "Voting has closed."
    move_to(voting, "voting")
    voting.state = ProcessState.PAUSED
    voting.save(update_fields=["state"])
    error = assert_error(post(api_client, URL, {"projects": [a]}, token=token), 403, "forbidden")
    assert error["message"] == "Voting is paused by the council. Please try again later."


def test_authentication_is_required(api_client, voting):
    a = project_ids(voting)[0]
    assert_error(post(api_client, URL, {"projects": [a]}), 401, "unauthorised")
    assert_error(post(api_client, URL, {"projects": [a]}, token="lp_wrong_token"), 401, "unauthorised")


def test_a_browser_session_needs_the_csrf_token(voting, resident):
    from django.test import Client

    browser = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    browser.force_login(resident)
    a = project_ids(voting)[0]
    error = assert_error(post(browser, URL, {"projects": [a]}), 403, "forbidden")
    assert "CSRF" in error["message"]
    assert not Ballot.objects.exists()


def test_bad_bodies_get_clear_errors(api_client, voting, token):
    for raw in (
        "not json",
        json.dumps({"projects": "all"}),
        json.dumps({"projects": [1], "confirmed_minimum_age": "maybe"}),
    ):
        response = api_client.post(
            URL,
            data=raw,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY="k",
        )
        assert response.status_code in (400, 422), response.content
        assert response.json()["error"]["code"] in ("bad_request", "validation_error")
    assert_error(
        post(api_client, "/api/v1/budgets/nowhere/ballot", {"projects": [1]}, token=token), 404, "not_found"
    )
    assert_error(api_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}"), 405, "method_not_allowed")


def test_a_ballot_cast_on_the_website_and_then_by_api_with_the_same_key_is_one_ballot(
    api_client, voting, resident, token
):
    a = project_ids(voting)[0]
    first = cast_ballot(actor=resident, process=voting, content=[a], idempotency_key="shared")
    response = post(api_client, URL, {"projects": [a]}, token=token, key="shared")
    assert response.status_code == 200 and response.json()["receipt"] == first.receipt
    assert Ballot.objects.filter(process=voting).count() == 1
