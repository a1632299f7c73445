"""The conversations API: list, detail, next statement for me, voting with a token, analysis and exports."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from localpower.accounts.services import create_api_token
from localpower.conversations import analysis
from localpower.conversations.models import Vote
from localpower.conversations.tests.factories import make_conversation, make_statements, two_camps

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client(HTTP_HOST="localhost")


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='script')[1]}"}


def put(api, url, body, headers):
    return api.put(url, data=json.dumps(body), content_type="application/json", **headers)


def test_list_and_detail(api, conversation, borough):
    make_conversation(borough["north"], "draft", slug="hidden-draft")
    make_statements(conversation, ["Open the café all year round"])
    items = api.get("/api/v1/conversations").json()
    assert [c["slug"] for c in items] == ["castle-park"] and items[0]["phase"] == "open"
    detail = api.get("/api/v1/conversations/castle-park").json()
    assert detail["statements"][0] == {
        "number": 0,
        "text": "Open the café all year round",
        "agrees": 0,
        "disagrees": 0,
        "passes": 0,
        "seed": False,
    }
    assert set(detail["exports"]) == {"comments.csv", "votes.csv", "participants-votes.csv"}
    assert api.get("/api/v1/conversations/hidden-draft").status_code == 404


def test_next_and_vote_with_a_token(api, conversation, resident, outsider):
    a, b = make_statements(conversation, ["First statement here", "Second statement here"])
    headers = auth(resident)
    assert api.get("/api/v1/conversations/castle-park/next").status_code == 401
    first = api.get("/api/v1/conversations/castle-park/next", **headers).json()
    assert first["voted"] == 0 and first["total"] == 2
    number = first["statement"]["number"]
    url = f"/api/v1/conversations/castle-park/statements/{number}/vote"
    assert put(api, url, {"vote": "agree"}, headers).json()["status"] == "created"
    assert put(api, url, {"vote": "agree"}, headers).json()["status"] == "unchanged"
    assert put(api, url, {"vote": "disagree"}, headers).json()["status"] == "replaced"
    assert Vote.objects.get().value == -1
    after = api.get("/api/v1/conversations/castle-park/next", **headers).json()
    assert after["voted"] == 1 and after["statement"]["number"] != number
    assert put(api, url, {"vote": "maybe"}, headers).status_code == 422
    refused = put(api, url, {"vote": "agree"}, auth(outsider))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert (
        put(
            api, "/api/v1/conversations/castle-park/statements/99/vote", {"vote": "agree"}, headers
        ).status_code
        == 404
    )


def test_analysis_and_exports(api, conversation):
    two_camps(conversation)
    analysis.refresh_analysis(conversation)
    body = api.get("/api/v1/conversations/castle-park/analysis").json()
    assert [g["size"] for g in body["groups"]] == [12, 12]
    assert body["consensus"][0]["agree_percent_by_group"] == [100, 100]
    csv = api.get("/api/v1/conversations/castle-park/export/participants-votes.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"participant,group-id,n-comments")
    assert api.get("/api/v1/conversations/castle-park/export/passwords.txt").status_code == 404
