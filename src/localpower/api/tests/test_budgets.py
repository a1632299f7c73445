"""Budgets in the API: listing, one budget, receipts, published results and the anonymised exports."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from localpower.api.tests.conftest import assert_error
from localpower.budgets.models import ProcessState
from localpower.budgets.services import cast_ballot, compute_result, publish_result
from localpower.budgets.tests.factories import make_process, make_projects, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_resident(borough):
    """Make verified residents of Castle ward (in the North committee area)."""
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    def make(**kwargs):
        return UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], **kwargs)

    return make


@pytest.fixture
def voting(borough):
    process = make_process(borough["north"], "voting", title="North budget", slug="north-budget")
    make_projects(process, [4000, 3000, 5000])
    return process


@pytest.fixture
def published(borough, officer, make_resident):
    """A finished knapsack budget with five ballots and a published result."""
    process = make_process(
        borough["north"], "voting", title="Done budget", slug="done-budget", ballot_kind="knapsack"
    )
    a, b, c = make_projects(process, [6000, 3000, 2000])
    for choice in ([a.pk], [a.pk], [b.pk, c.pk], [b.pk], [c.pk]):
        cast_ballot(actor=make_resident(), process=process, content=choice)
    move_to(process, "counting")
    publish_result(actor=officer, result=compute_result(actor=officer, process=process))
    return process


def test_list_shows_public_budgets_with_phase_and_filters(api_client, borough, voting):
    make_process(borough["north"], "ideas", title="Ideas budget", slug="ideas-budget")
    make_process(borough["south"], "voting", title="South budget", slug="south-budget")
    make_process(borough["north"], "voting", slug="secret", state=ProcessState.DRAFT)

    body = api_client.get("/api/v1/budgets").json()
    assert body["count"] == 3
    assert {item["slug"] for item in body["items"]} == {"north-budget", "ideas-budget", "south-budget"}
    item = next(i for i in body["items"] if i["slug"] == "north-budget")
    assert item["phase"] == "voting" and item["phase_label"] == "Voting"
    assert item["budget"] == "10000.00" and item["currency"] == "GBP"
    assert item["area"]["slug"] == "north"
    assert item["url"] == "http://localhost/api/v1/budgets/north-budget"

    north = api_client.get("/api/v1/budgets?area=north").json()
    assert {i["slug"] for i in north["items"]} == {"north-budget", "ideas-budget"}
    in_voting = api_client.get("/api/v1/budgets?area=north&phase=voting").json()
    assert [i["slug"] for i in in_voting["items"]] == ["north-budget"]


def test_list_pages_and_refuses_bad_filters(api_client, voting):
    page = api_client.get("/api/v1/budgets?page_size=1").json()
    assert page["pages"] == 1 and page["next"] is None
    assert_error(api_client.get("/api/v1/budgets?page=2"), 404, "not_found")
    assert_error(api_client.get("/api/v1/budgets?phase=sometime"), 422, "validation_error")
    error = assert_error(api_client.get("/api/v1/budgets?area=nowhere"), 404, "not_found")
    assert "no area" in error["message"]


def test_one_budget_has_its_ballot_rules_and_projects(api_client, voting):
    response = api_client.get("/api/v1/budgets/north-budget")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "North budget"
    assert body["ballot"]["kind"] == "approval" and body["ballot"]["allow_ballot_change"] is True
    assert body["rule"] == "mes" and body["completion"] == "add1"
    assert [(p["title"], p["cost"]) for p in body["projects"]] == [
        ("Project 1", "4000.00"),
        ("Project 2", "3000.00"),
        ("Project 3", "5000.00"),
    ]
    assert body["results_url"] is None
    assert body["timetable"]["voting_opens_at"] < body["timetable"]["voting_closes_at"]


def test_drafts_and_unknown_budgets_are_not_found(api_client, borough):
    make_process(borough["north"], "voting", slug="draft-one", state=ProcessState.DRAFT)
    for slug in ("draft-one", "nothing-here", "bad%20slug!"):
        error = assert_error(api_client.get(f"/api/v1/budgets/{slug}"), 404, "not_found")
        assert "no budget" in error["message"]


def test_receipt_check_says_counted_then_replaced(api_client, voting, resident):
    project = voting.projects.first()
    first = cast_ballot(actor=resident, process=voting, content=[project.pk], idempotency_key="a")
    code = first.receipt
    body = api_client.get(f"/api/v1/budgets/receipts/{code.lower().replace('-', '')}").json()
    assert body["receipt"] == code and body["status"] == "counted" and body["counted"] is True
    assert body["budget"]["slug"] == "north-budget"
    assert "email" not in str(body) and resident.email not in str(body)

    cast_ballot(actor=resident, process=voting, content=[project.pk], idempotency_key="b")
    body = api_client.get(f"/api/v1/budgets/receipts/{code}").json()
    assert body["status"] == "replaced" and body["counted"] is False


def test_unknown_or_malformed_receipts_are_not_found(api_client, voting):
    for code in ("AAAA-BBBB-CCCC", "<script>", "x" * 100):
        assert_error(api_client.get(f"/api/v1/budgets/receipts/{code}"), 404, "not_found")


def test_results_before_publication_are_not_found(api_client, voting):
    error = assert_error(api_client.get("/api/v1/budgets/north-budget/results"), 404, "not_found")
    assert error["message"] == "No results have been published for this budget yet."
    for export in ("export.pb", "export.csv"):
        assert_error(api_client.get(f"/api/v1/budgets/north-budget/{export}"), 404, "not_found")


def test_published_results_list_funded_projects_votes_and_hash(api_client, published):
    body = api_client.get("/api/v1/budgets/done-budget/results").json()
    assert body["voters"] == 5 and body["rule"] == "mes" and body["version"] == 1
    votes = {p["title"]: p["votes"] for p in body["projects"]}
    assert votes == {"Project 1": 2, "Project 2": 2, "Project 3": 2}
    funded = {p["title"] for p in body["funded"]}
    assert funded and all(p["funded"] for p in body["funded"])
    assert sum(float(p["cost"]) for p in body["funded"]) == float(body["total_cost"]) <= 10000
    assert isinstance(body["explanation"], dict) and body["explanation"]
    assert body["export_pb"] == "http://localhost/api/v1/budgets/done-budget/export.pb"
    assert api_client.get("/api/v1/budgets/done-budget").json()["results_url"].endswith("/results")

    export = api_client.get("/api/v1/budgets/done-budget/export.pb")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/plain")
    assert hashlib.sha256(export.content).hexdigest() == body["input_sha256"]


def test_exports_recount_to_the_published_outcome_and_name_nobody(api_client, published, make_resident):
    from localpower.tally.pabulib import read_pabulib
    from localpower.tally.rules import run_rule

    text = api_client.get("/api/v1/budgets/done-budget/export.pb").content.decode()
    assert "@" not in text
    results = api_client.get("/api/v1/budgets/done-budget/results").json()
    election, profile = read_pabulib(text)
    outcome = run_rule(results["rule"], election, profile, **results["options"])
    assert sorted(outcome.selected_ids(election)) == sorted(str(p["id"]) for p in results["funded"])

    response = api_client.get("/api/v1/budgets/done-budget/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="done-budget.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "voter_id" and len(rows) == 1 + 5
    assert sorted(int(r[0]) for r in rows[1:]) == [1, 2, 3, 4, 5]


def test_openapi_and_docs_page_describe_the_budget_endpoints(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/budgets",
        "/api/v1/budgets/{slug}",
        "/api/v1/budgets/{slug}/ballot",
        "/api/v1/budgets/receipts/{code}",
        "/api/v1/budgets/{slug}/results",
        "/api/v1/budgets/{slug}/export.pb",
        "/api/v1/budgets/{slug}/export.csv",
    ):
        assert path in paths, path
    ballot = paths["/api/v1/budgets/{slug}/ballot"]["post"]
    assert {"TokenAuth": []} in ballot["security"]
    assert any(p["name"] == "Idempotency-Key" for p in ballot["parameters"])
    assert "text/csv" in paths["/api/v1/budgets/{slug}/export.csv"]["get"]["responses"]["200"]["content"]

    html = api_client.get("/api/v1/docs").content.decode()
    assert "POST /api/v1/budgets/{slug}/ballot" in html
    assert "GET /api/v1/budgets/receipts/{code}" in html
    assert "Idempotency-Key" in html


def test_docs_page_gives_budget_examples_that_work(api_client, published):
    import re

    html = api_client.get("/api/v1/docs").content.decode()
    tries = re.findall(r'<a class="govuk-link" href="(http://localhost/api/v1/budgets[^"]*)">Try it', html)
    assert len(tries) == 5, tries
    for url in tries:
        assert api_client.get(url.replace("http://localhost", "")).status_code == 200, url
