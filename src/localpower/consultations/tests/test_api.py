"""Consultations in the JSON API: list, detail with the survey, summary, outcome and the staff CSV."""

from __future__ import annotations

import pytest
from django.test import Client

from localpower.api.tests.conftest import assert_error
from localpower.consultations.models import ConsultationKind, Outcome
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return Client(HTTP_HOST="localhost")


def bearer(user) -> dict:
    from localpower.accounts.services import create_api_token

    _token, raw = create_api_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def closed(borough, resident):
    consultation = make_consultation(borough["abbey"], "closed", slug="library", title="Library hours")
    q = make_survey(consultation)
    make_response(
        consultation,
        {q["use"]: ["Yes"], q["why"]: "Secret words", q["rating"]: ["Good"], q["visits"]: 4},
        respondent=resident,
    )
    make_response(consultation, {q["use"]: ["No"]})
    return consultation, q


def publish(consultation):
    return Outcome.objects.create(
        consultation=consultation,
        you_said="Longer hours.",
        we_did="Open Sundays.",
        decided_by="Cabinet",
        published_at=consultation.closes_at,
    )


def test_list_filters_by_area_status_and_kind(api_client, borough, closed):
    make_consultation(borough["south"], "open", slug="parks", kind=ConsultationKind.CALL_FOR_EVIDENCE)
    make_consultation(borough["north"], "draft", slug="secret")
    body = api_client.get("/api/v1/consultations").json()
    assert body["count"] == 2 and {i["slug"] for i in body["items"]} == {"library", "parks"}
    item = next(i for i in body["items"] if i["slug"] == "library")
    assert item["status"] == "closed" and item["summary_url"] is None
    assert item["area"]["slug"] == "abbey"
    north = api_client.get("/api/v1/consultations?area=north").json()
    assert [i["slug"] for i in north["items"]] == ["library"]
    assert [i["slug"] for i in api_client.get("/api/v1/consultations?status=open").json()["items"]] == [
        "parks"
    ]
    evidence = api_client.get("/api/v1/consultations?kind=call_for_evidence").json()
    assert [i["slug"] for i in evidence["items"]] == ["parks"]
    publish(closed[0])
    responded = api_client.get("/api/v1/consultations?status=responded").json()["items"]
    assert responded[0]["summary_url"] == "http://localhost/api/v1/consultations/library/summary"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("page=0", 422, "validation_error"),
        ("page=99", 404, "not_found"),
        ("page_size=100000", 422, "validation_error"),
        ("status=draft", 422, "validation_error"),
        ("status=sometime", 422, "validation_error"),
        ("kind=%00", 422, "validation_error"),
        ("area=nowhere", 404, "not_found"),
        ("area=" + "x" * 500, 422, "validation_error"),
        ("area=%27%3B--", 404, "not_found"),
    ],
)
def test_hostile_list_queries_get_clear_errors(api_client, closed, query, status, code):
    assert_error(api_client.get("/api/v1/consultations?" + query), status, code)


def test_detail_has_sections_questions_options_and_conditions(api_client, closed):
    consultation, q = closed
    body = api_client.get("/api/v1/consultations/library").json()
    assert body["title"] == "Library hours" and body["documents"] == []
    first, second = body["sections"]
    assert first["shown_when"] is None
    assert second["shown_when"] == {
        "question": q["use"].pk,
        "options": [q["use"].options.get(text="Yes").pk],
    }
    rating = next(x for x in second["questions"] if x["kind"] == "scale")
    assert [o["text"] for o in rating["options"]][0] == "Very poor"
    visits = next(x for x in second["questions"] if x["kind"] == "number")
    assert (visits["number_min"], visits["number_max"]) == ("0", "365")


@pytest.mark.parametrize("slug", ["nope", "secret", "../../etc", "x" * 300, "%00", "library%0A"])
def test_unknown_or_draft_consultations_are_not_found(api_client, borough, closed, slug):
    make_consultation(borough["north"], "draft", slug="secret")
    for suffix in ("", "/summary", "/outcome"):
        response = api_client.get(f"/api/v1/consultations/{slug}{suffix}")
        assert response.status_code == 404, (slug, suffix)
        assert response["Content-Type"].startswith("application/json")


def test_summary_is_public_only_after_the_response_and_never_has_free_text(api_client, closed):
    consultation, q = closed
    assert_error(api_client.get("/api/v1/consultations/library/summary"), 404, "not_found")
    assert_error(api_client.get("/api/v1/consultations/library/outcome"), 404, "not_found")
    publish(consultation)
    body = api_client.get("/api/v1/consultations/library/summary").json()
    assert body["responses"] == 2
    kinds = {x["kind"] for x in body["questions"]}
    assert kinds == {"single_choice", "multiple_choice", "scale", "ranking", "number"}
    use = next(x for x in body["questions"] if x["id"] == q["use"].pk)
    assert [(r["label"], r["count"], r["percent"]) for r in use["rows"]] == [
        ("Yes", 1, 50.0),
        ("No", 1, 50.0),
    ]
    rating = next(x for x in body["questions"] if x["id"] == q["rating"].pk)
    assert rating["shown"] == 1 and rating["statistics"]["mean"] == 4
    assert "Secret words" not in str(body) and "resident@example.org" not in str(body)
    outcome = api_client.get("/api/v1/consultations/library/outcome").json()
    assert outcome["we_did"] == "Open Sundays." and outcome["decided_by"] == "Cabinet"


def test_staff_read_the_summary_early_with_a_token(api_client, closed, officer, resident):
    summary = api_client.get("/api/v1/consultations/library/summary", **bearer(officer))
    assert summary.status_code == 200
    kinds = {x["kind"] for x in summary.json()["questions"]}
    assert "long_text" in kinds and "postcode" in kinds
    assert "Secret words" not in summary.content.decode()
    assert_error(
        api_client.get("/api/v1/consultations/library/summary", **bearer(resident)), 404, "not_found"
    )
    bad = api_client.get("/api/v1/consultations/library/summary", HTTP_AUTHORIZATION="Bearer nonsense-token")
    assert_error(bad, 401, "unauthorised")


def test_csv_export_is_for_staff_only_and_recorded(api_client, closed, officer, councillor, resident):
    assert_error(api_client.get("/api/v1/consultations/library/responses.csv"), 401, "unauthorised")
    assert_error(
        api_client.get("/api/v1/consultations/library/responses.csv", **bearer(resident)), 403, "forbidden"
    )
    response = api_client.get("/api/v1/consultations/library/responses.csv", **bearer(officer))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "resident@example.org" in text and "Secret words" in text
    assert_error(  # councillors read summaries, but the file holds names and addresses
        api_client.get("/api/v1/consultations/library/responses.csv", **bearer(councillor)), 403, "forbidden"
    )
    assert AuditEntry.objects.filter(action="consultations.responses_exported").count() == 1


def test_wrong_methods_get_json_405(api_client, closed):
    response = api_client.post("/api/v1/consultations/library")
    assert_error(response, 405, "method_not_allowed")
    assert api_client.head("/api/v1/consultations").status_code == 200


def test_openapi_lists_the_consultation_endpoints(api_client):
    paths = api_client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/consultations",
        "/api/v1/consultations/{slug}",
        "/api/v1/consultations/{slug}/summary",
        "/api/v1/consultations/{slug}/outcome",
        "/api/v1/consultations/{slug}/responses.csv",
    } <= set(paths)
    assert (
        "text/csv"
        in paths["/api/v1/consultations/{slug}/responses.csv"]["get"]["responses"]["200"]["content"]
    )
    docs = api_client.get("/api/v1/docs").content.decode()
    assert "GET /api/v1/consultations/{slug}/summary" in docs


def test_staff_filter_the_summary_and_the_public_may_not(api_client, closed, officer):
    consultation, q = closed
    publish(consultation)
    yes = q["use"].options.get(text="Yes")
    base = "/api/v1/consultations/library/summary"
    assert_error(api_client.get(f"{base}?option={yes.pk}"), 403, "forbidden")
    body = api_client.get(f"{base}?option={yes.pk}", **bearer(officer)).json()
    assert body["responses"] == 1
    assert_error(api_client.get(f"{base}?option=99999999", **bearer(officer)), 422, "validation_error")
    assert_error(api_client.get(f"{base}?option=-1", **bearer(officer)), 422, "validation_error")
    assert_error(
        api_client.get(f"{base}?since=2026-05-01&until=2026-01-01", **bearer(officer)),
        422,
        "validation_error",
    )
    assert_error(api_client.get(f"{base}?since=yesterday", **bearer(officer)), 422, "validation_error")
    assert api_client.get(f"{base}?since=2000-01-01", **bearer(officer)).json()["responses"] == 2
