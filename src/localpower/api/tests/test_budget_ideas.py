"""Ideas and delivery in the API: public lists with hidden ideas kept in place, sharing, supporting and commenting
with a token (the website's rules and messages), delivery updates by officers, and no 500 for hostile input."""

from __future__ import annotations

import json

import pytest

from localpower.accounts.services import create_api_token
from localpower.api.tests.conftest import assert_error
from localpower.budgets.models import Category, Comment, DeliveryUpdate, Idea, IdeaSupport
from localpower.budgets.services import (
    cast_ballot,
    comment_on_idea,
    compute_result,
    hide,
    publish_result,
    submit_idea,
)
from localpower.budgets.tests.factories import make_process, make_projects, move_to
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/budgets/north-ideas/ideas"


def token_for(user) -> str:
    return create_api_token(user=user, name="Script")[1]


def post(client, url, body, *, token=None, method="post"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def make_resident(borough):
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    def make(**kwargs):
        return UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], **kwargs)

    return make


@pytest.fixture
def process(borough):
    return make_process(borough["north"], "ideas", slug="north-ideas", title="North ideas")


@pytest.fixture
def idea(process, resident):
    return submit_idea(
        actor=resident, process=process, title="Benches by the pond", description="Somewhere to sit."
    )


@pytest.fixture
def token(resident):
    return token_for(resident)


@pytest.fixture
def funded(borough, officer, make_resident):
    """A budget whose result is published, now in its results phase: two funded projects."""
    process = make_process(
        borough["north"], "voting", title="Done", slug="done-budget", ballot_kind="knapsack"
    )
    a, b = make_projects(process, [3000, 2000])
    for choice in ([a.pk], [b.pk], [a.pk, b.pk]):
        cast_ballot(actor=make_resident(), process=process, content=choice)
    move_to(process, "counting")
    publish_result(actor=officer, result=compute_result(actor=officer, process=process))
    move_to(process, "results")
    return process


class TestReading:
    def test_list_shows_ideas_with_support_and_hides_hidden_content(
        self, api_client, process, idea, moderator, make_resident
    ):
        other = submit_idea(actor=make_resident(), process=process, title="Buy my car", description="Cheap!")
        hide(actor=moderator, idea=other, reason="Advertising")
        body = api_client.get(IDEAS).json()
        assert body["count"] == 2 and body["pages"] == 1 and body["next"] is None
        shown = next(i for i in body["items"] if i["id"] == idea.pk)
        assert shown["title"] == "Benches by the pond" and shown["status"] == "submitted"
        assert shown["hidden"] is False and shown["supporters"] == 0
        assert shown["url"] == f"http://localhost{IDEAS}/{idea.pk}"
        hidden = next(i for i in body["items"] if i["id"] == other.pk)
        assert hidden["hidden"] is True and hidden["hidden_reason"] == "Advertising"
        assert hidden["title"] is None and hidden["author"] is None
        assert (
            "Buy my car" not in json.dumps(body)
            and "Cheap!" not in api_client.get(f"{IDEAS}/{other.pk}").content.decode()
        )

    def test_list_pages_and_filters(self, api_client, process, idea, make_resident):
        for n in range(3):
            submit_idea(actor=make_resident(), process=process, title=f"Idea {n}", description="More")
        page = api_client.get(IDEAS + "?page_size=2&page=2").json()
        assert page["count"] == 4 and page["pages"] == 2 and len(page["items"]) == 2
        assert page["previous"] and page["next"] is None
        assert api_client.get(IDEAS + "?status=feasible").json()["count"] == 0
        assert_error(api_client.get(IDEAS + "?page=3&page_size=2"), 404, "not_found")
        assert_error(api_client.get(IDEAS + "?status=brilliant"), 422, "validation_error")

    def test_detail_has_comments_and_hidden_comments_lose_their_words(
        self, api_client, idea, moderator, make_resident
    ):
        comment_on_idea(actor=make_resident(display_name="Ann"), idea=idea, body="Lovely")
        rude = comment_on_idea(actor=make_resident(), idea=idea, body="Rude words")
        hide(actor=moderator, comment=rude, reason="Personal abuse")
        body = api_client.get(f"{IDEAS}/{idea.pk}").json()
        assert body["description"] == "Somewhere to sit."
        assert [c["body"] for c in body["comments"]] == ["Lovely", None]
        assert body["comments"][0]["author"] == "Ann"
        assert body["comments"][1]["hidden_reason"] == "Personal abuse"
        assert "Rude words" not in json.dumps(body)

    def test_drafts_and_other_budgets_ideas_are_not_found(self, api_client, borough, idea, resident):
        from localpower.budgets.models import ProcessState

        make_process(borough["north"], "ideas", slug="secret", state=ProcessState.DRAFT)
        assert_error(api_client.get("/api/v1/budgets/secret/ideas"), 404, "not_found")
        make_process(borough["north"], "ideas", slug="other")
        assert_error(api_client.get(f"/api/v1/budgets/other/ideas/{idea.pk}"), 404, "not_found")


class TestSharing:
    def test_resident_shares_an_idea_with_a_token(self, api_client, process, resident, token):
        garden = Category.objects.create(process=process, name="Green spaces")
        response = post(
            api_client,
            IDEAS,
            {
                "title": "  Wild flowers  ",
                "description": "Plant a meadow.",
                "estimated_cost": "1500",
                "category": garden.pk,
                "location": "Castle park",
            },
            token=token,
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["title"] == "Wild flowers" and body["category"] == "Green spaces"
        assert body["estimated_cost"] == "1500.00" and body["location"] == "Castle park"
        idea = Idea.objects.get(pk=body["id"])
        assert idea.author == resident
        assert AuditEntry.objects.filter(action="budgets.idea.submit", object_id=str(idea.pk)).exists()

    def test_the_forms_messages_come_back(self, api_client, process, token):
        error = assert_error(
            post(api_client, IDEAS, {"title": " ", "description": "x", "estimated_cost": -5}, token=token),
            422,
            "validation_error",
        )
        messages = {d["field"]: d["message"] for d in error["details"]}
        assert messages["title"] == "Enter a title for your idea."
        assert messages["estimated_cost"] == "The cost cannot be negative."
        other = make_process(process.area, "ideas", slug="with-themes")
        Category.objects.create(process=other, name="Roads")
        wrong = Category.objects.create(process=process, name="Elsewhere")
        error = assert_error(
            post(
                api_client,
                "/api/v1/budgets/with-themes/ideas",
                {"title": "T", "description": "D", "category": wrong.pk},
                token=token,
            ),
            422,
            "validation_error",
        )
        assert error["details"][0]["field"] == "category"

    def test_only_residents_while_ideas_are_open(self, api_client, process, outsider, resident):
        assert_error(post(api_client, IDEAS, {"title": "T", "description": "D"}), 401, "unauthorised")
        error = assert_error(
            post(api_client, IDEAS, {"title": "T", "description": "D"}, token=token_for(outsider)),
            403,
            "forbidden",
        )
        assert "verified postcode" in error["message"]
        move_to(process, "review")
        assert_error(
            post(api_client, IDEAS, {"title": "T", "description": "D"}, token=token_for(resident)),
            403,
            "forbidden",
        )
        assert not Idea.objects.exists()

    def test_support_twice_and_withdraw(self, api_client, idea, make_resident):
        token = token_for(make_resident())
        url = f"{IDEAS}/{idea.pk}/support"
        first = post(api_client, url, {}, token=token)
        assert first.status_code == 201 and first.json() == {
            "supported": True,
            "changed": True,
            "supporters": 1,
        }
        again = post(api_client, url, {}, token=token)
        assert again.status_code == 200 and again.json()["changed"] is False
        gone = post(api_client, url, {}, token=token, method="delete")
        assert gone.status_code == 200 and gone.json()["supporters"] == 0
        assert not IdeaSupport.objects.exists()

    def test_support_refusals(self, api_client, idea, outsider, moderator, make_resident):
        assert_error(
            post(api_client, f"{IDEAS}/{idea.pk}/support", {}, token=token_for(outsider)), 403, "forbidden"
        )
        hide(actor=moderator, idea=idea, reason="Advert")
        error = assert_error(
            post(api_client, f"{IDEAS}/{idea.pk}/support", {}, token=token_for(make_resident())),
            422,
            "validation_error",
        )
        assert "hidden by a moderator" in error["message"]

    def test_comment(self, api_client, idea, token, outsider):
        url = f"{IDEAS}/{idea.pk}/comments"
        response = post(api_client, url, {"body": "  Yes please  "}, token=token)
        assert response.status_code == 201, response.content
        assert response.json()["body"] == "Yes please"
        assert Comment.objects.get().body == "Yes please"
        error = assert_error(post(api_client, url, {"body": ""}, token=token), 422, "validation_error")
        assert error["details"][0]["message"] == "Write your comment."
        assert_error(post(api_client, url, {"body": "Hi"}, token=token_for(outsider)), 403, "forbidden")

    def test_a_browser_session_needs_the_csrf_token(self, process, resident):
        from django.test import Client

        browser = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
        browser.force_login(resident)
        response = post(browser, IDEAS, {"title": "T", "description": "D"})
        assert_error(response, 403, "forbidden")
        assert not Idea.objects.exists()


class TestDelivery:
    def test_public_list_of_funded_projects(self, api_client, funded):
        body = api_client.get("/api/v1/budgets/done-budget/delivery").json()
        assert body["budget"] == "done-budget"
        assert len(body["projects"]) >= 1
        assert {p["status"] for p in body["projects"]} == {"planned"}
        assert body["projects"][0]["milestones"] == [] and body["projects"][0]["updates"] == []

    def test_officer_posts_an_update_with_a_token(self, api_client, funded, officer, resident):
        project = funded.projects.filter(delivery__isnull=False).first()
        url = f"/api/v1/budgets/done-budget/delivery/{project.pk}/updates"
        assert_error(
            post(api_client, url, {"status": "in_progress"}, token=token_for(resident)), 403, "forbidden"
        )
        response = post(
            api_client, url, {"status": "in_progress", "note": "Work starts Monday"}, token=token_for(officer)
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "in_progress" and body["updates"][0]["note"] == "Work starts Monday"
        error = assert_error(
            post(api_client, url, {"status": "cancelled"}, token=token_for(officer)), 422, "validation_error"
        )
        assert error["details"][0]["field"] == "cancelled_reason"
        assert DeliveryUpdate.objects.count() == 1
        listing = api_client.get("/api/v1/budgets/done-budget/delivery").json()
        assert any(p["status"] == "in_progress" for p in listing["projects"])

    def test_before_results_there_is_nothing_to_update(self, api_client, process, officer):
        (project,) = make_projects(process, [1000])
        assert api_client.get(f"/api/v1/budgets/{process.slug}/delivery").json()["projects"] == []
        response = post(
            api_client,
            f"/api/v1/budgets/{process.slug}/delivery/{project.pk}/updates",
            {"status": "in_progress"},
            token=token_for(officer),
        )
        assert response.status_code in (403, 422)


def test_openapi_lists_the_endpoints(api_client):
    paths = api_client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/budgets/{slug}/ideas",
        "/api/v1/budgets/{slug}/ideas/{idea_id}",
        "/api/v1/budgets/{slug}/ideas/{idea_id}/support",
        "/api/v1/budgets/{slug}/ideas/{idea_id}/comments",
        "/api/v1/budgets/{slug}/delivery",
        "/api/v1/budgets/{slug}/delivery/{project_id}/updates",
    } <= set(paths)
    submit = paths["/api/v1/budgets/{slug}/ideas"]["post"]
    assert {"TokenAuth": []} in submit["security"]
    assert submit["operationId"] == "submitBudgetIdea"


HOSTILE_TEXT = ["\x00", "<script>alert(1)</script>", "x" * 6000, "'; DROP TABLE x; --", "\ud800", "😀" * 300]


def test_hostile_input_never_gives_a_server_error(api_client, idea, funded, officer, token):
    officer_token = token_for(officer)
    project = funded.projects.first()
    urls = [
        IDEAS,
        f"{IDEAS}/{idea.pk}",
        f"{IDEAS}/{idea.pk}/support",
        f"{IDEAS}/{idea.pk}/comments",
        "/api/v1/budgets/done-budget/delivery",
        f"/api/v1/budgets/done-budget/delivery/{project.pk}/updates",
    ]
    bad_paths = [
        "/api/v1/budgets/%00/ideas",
        "/api/v1/budgets/" + "a" * 500 + "/ideas",
        f"{IDEAS}/99999999999999999999999",
        f"{IDEAS}/-1",
        f"{IDEAS}/0/support",
        f"{IDEAS}/abc/comments",
        "/api/v1/budgets/done-budget/delivery/99999999999/updates",
    ]
    queries = [
        "?page=-1",
        "?page=99999999999",
        "?page_size=0",
        "?page_size=100000",
        "?status=%00",
        "?page=1e3",
    ]
    responses = []
    for url in urls + bad_paths:
        responses.append(api_client.get(url))
        for query in queries:
            responses.append(api_client.get(url + query))
    bodies = [
        "not json",
        "[]",
        "null",
        '{"title": 1}',
        json.dumps({"title": ["a"], "description": {"b": 1}}),
        json.dumps({"estimated_cost": "NaN", "title": "t", "description": "d"}),
        json.dumps({"estimated_cost": "1e400", "title": "t", "description": "d"}),
        json.dumps({"estimated_cost": 1e308, "title": "t", "description": "d"}),
        json.dumps({"category": 2**70, "title": "t", "description": "d"}),
        json.dumps({"category": -1, "title": "t", "description": "d"}),
        json.dumps({"status": "exploded"}),
        json.dumps({"status": "cancelled", "cancelled_reason": "\x00"}),
    ]
    for text in HOSTILE_TEXT:
        bodies.append(json.dumps({"title": text, "description": text, "location": text}))
        bodies.append(json.dumps({"body": text}))
        bodies.append(json.dumps({"status": "in_progress", "note": text}))
    for url in urls + bad_paths:
        for body in bodies:
            for who in (token, officer_token):
                responses.append(
                    api_client.post(
                        url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {who}"
                    )
                )
    assert responses
    for response in responses:
        assert response.status_code < 500, (response.status_code, response.content[:300])
        assert response["Content-Type"].startswith("application/json")


def test_listing_takes_the_same_few_queries_however_many_ideas(api_client, process, make_resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(IDEAS + "?page_size=200").status_code == 200
        return len(queries)

    for n in range(3):
        submit_idea(actor=make_resident(), process=process, title=f"Idea {n}", description="D")
    few = count()
    for n in range(20):
        submit_idea(actor=make_resident(), process=process, title=f"More {n}", description="D")
    assert count() == few
