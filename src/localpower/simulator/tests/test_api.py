"""The JSON API: list, detail with levels, responding with a token (idempotent, one per person), results."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from localpower.accounts.services import create_api_token
from localpower.simulator.models import Submission
from localpower.simulator.tests.factories import levels, make_simulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client(HTTP_HOST="localhost")


def send(api, simulator, token, *pcts, key="key-1"):
    body = {"choices": [{"service": pk, "change_pct": p} for pk, p in levels(simulator, *pcts).items()]}
    return api.post(
        f"/api/v1/simulators/{simulator.slug}/responses",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_list_and_detail(api, borough):
    simulator = make_simulator(borough["north"])
    make_simulator(borough["north"], "draft")
    listed = api.get("/api/v1/simulators").json()
    assert [s["slug"] for s in listed["items"]] == [simulator.slug]
    detail = api.get(f"/api/v1/simulators/{simulator.slug}").json()
    assert detail["target_amount"] == "100000.00" and detail["current_total"] == "1000000.00"
    libraries = detail["services"][0]
    assert libraries["name"] == "Libraries"
    assert [lvl["change_pct"] for lvl in libraries["levels"]] == [-30, -20, -10, 0, 10]
    assert libraries["levels"][1]["consequence"] == "Libraries at -10%: fewer hours."
    assert detail["results_url"] is None
    assert api.get("/api/v1/simulators/nope").status_code == 404


def test_respond_with_a_token(api, borough, resident, outsider):
    simulator = make_simulator(borough["north"])
    token = create_api_token(user=resident, name="script")[1]
    unbalanced = send(api, simulator, token, 0, 0, 0)
    assert unbalanced.status_code == 422 and "find another £100,000" in unbalanced.json()["error"]["message"]
    first = send(api, simulator, token, -10, -10, -10)
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = send(api, simulator, token, -10, -10, -10)
    assert again.status_code == 200 and again.json()["status"] == "repeated"
    other = send(api, simulator, token, -30, -30, 0, key="key-2")
    assert other.status_code == 409 and other.json()["error"]["code"] == "already_responded"
    assert Submission.objects.count() == 1
    refused = send(api, simulator, create_api_token(user=outsider, name="x")[1], -10, -10, -10)
    assert refused.status_code == 403
    anonymous = api.post(
        f"/api/v1/simulators/{simulator.slug}/responses", "{}", content_type="application/json"
    )
    assert anonymous.status_code == 401


def test_results_only_once_closed(api, borough, resident):
    from localpower.simulator import services

    simulator = make_simulator(borough["north"])
    services.submit(
        actor=resident, simulator=simulator, choices=levels(simulator, -10, -10, -10), idempotency_key="k"
    )
    assert api.get(f"/api/v1/simulators/{simulator.slug}/results").status_code == 404
    simulator.state = "closed"
    simulator.save()
    body = api.get(f"/api/v1/simulators/{simulator.slug}/results").json()
    assert body["responses"] == 1
    assert body["community_change"] == "-100000.00"
    assert body["services"][0]["distribution"][2] == {"change_pct": -10, "count": 1}
    assert api.get(f"/api/v1/simulators/{simulator.slug}").json()["results_url"].endswith("/results")
