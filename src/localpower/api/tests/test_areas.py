"""GET /api/v1/areas and /api/v1/areas/{slug}."""

import datetime

import pytest

from localpower.api.tests.conftest import REVIEW, assert_error
from localpower.places.models import Area, AreaKind

pytestmark = pytest.mark.django_db


def slugs(items):
    return [item["slug"] for item in items]


def test_list_shows_current_areas_largest_kind_first(places, api_client):
    body = api_client.get("/api/v1/areas").json()
    # The ward abolished at the boundary review is not listed today.
    assert slugs(body["items"]) == ["testshire", "north", "south", "abbey", "castle", "abbey-parish"]
    assert body["count"] == 6 and body["pages"] == 1 and body["next"] is None and body["previous"] is None
    abbey = body["items"][3]
    assert abbey["kind"] == "ward" and abbey["kind_label"] == "Ward" and abbey["gss_code"] == "E05000001"
    assert abbey["parent"]["slug"] == "north"
    assert abbey["url"] == "http://localhost/api/v1/areas/abbey"
    assert abbey["web_url"] == "http://localhost/areas/abbey/"
    assert body["items"][1]["gss_code"] is None  # blank codes are null, not ""


def test_filter_by_kind_and_parent(places, api_client):
    assert slugs(api_client.get("/api/v1/areas?kind=ward").json()["items"]) == ["abbey", "castle"]
    assert slugs(api_client.get("/api/v1/areas?parent=north").json()["items"]) == ["abbey"]
    assert slugs(api_client.get("/api/v1/areas?parent=north&kind=parish").json()["items"]) == []


def test_filter_within_an_area_at_any_depth(places, api_client):
    assert slugs(api_client.get("/api/v1/areas?within=north").json()["items"]) == ["abbey", "abbey-parish"]
    assert slugs(api_client.get("/api/v1/areas?within=north&kind=parish").json()["items"]) == ["abbey-parish"]
    assert slugs(api_client.get("/api/v1/areas?within=abbey-parish").json()["items"]) == []
    assert_error(api_client.get("/api/v1/areas?within=atlantis"), 404, "not_found")


def test_filter_by_date_shows_areas_of_that_day(places, api_client):
    before = (REVIEW - datetime.timedelta(days=1)).isoformat()
    assert slugs(api_client.get(f"/api/v1/areas?kind=ward&on={before}").json()["items"]) == ["old-ward"]
    assert slugs(api_client.get(f"/api/v1/areas?kind=ward&on={REVIEW.isoformat()}").json()["items"]) == [
        "abbey",
        "castle",
    ]


def test_pagination_links_walk_every_area_once(places, api_client):
    seen = []
    url = "/api/v1/areas?page_size=4"
    pages = 0
    while url:
        body = api_client.get(url).json()
        pages += 1
        assert body["pages"] == 2 and body["page_size"] == 4
        seen += slugs(body["items"])
        url = body["next"]
    assert pages == 2
    assert len(seen) == len(set(seen)) == 6
    second = api_client.get("/api/v1/areas?page=2&page_size=4").json()
    assert second["previous"] == "http://localhost/api/v1/areas?page=1&page_size=4"


def test_page_past_the_end_is_not_found_with_the_page_count(places, api_client):
    error = assert_error(api_client.get("/api/v1/areas?page=3&page_size=4"), 404, "not_found")
    assert "2 pages" in error["message"]


def test_empty_result_has_one_empty_page(places, api_client):
    body = api_client.get("/api/v1/areas?kind=county").json()
    assert body == {**body, "count": 0, "pages": 1, "items": []}


def test_unknown_parent_is_not_found(places, api_client):
    assert_error(api_client.get("/api/v1/areas?parent=atlantis"), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=castle", "kind"),
        ("on=2024-02-30", "on"),
        ("on=yesterday", "on"),
        ("on=99999-01-01", "on"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=" + "9" * 400, "page"),
        ("page_size=0", "page_size"),
        ("page_size=1000", "page_size"),
        ("parent=" + "x" * 5000, "parent"),
    ],
)
def test_bad_filters_are_validation_errors_naming_the_field(places, api_client, query, field):
    error = assert_error(api_client.get(f"/api/v1/areas?{query}"), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert error["details"][0]["location"] == "query"
    assert field in error["message"]
    assert len(error["message"]) <= 300  # the hostile input is not echoed back


def test_area_detail_has_ancestors_and_current_children(places, api_client):
    body = api_client.get("/api/v1/areas/north").json()
    assert body["name"] == "North Committee" and body["kind"] == "area_committee"
    assert slugs(body["ancestors"]) == ["testshire"]
    assert slugs(body["children"]) == ["abbey"]
    parish = api_client.get("/api/v1/areas/abbey-parish").json()
    assert slugs(parish["ancestors"]) == ["testshire", "north", "abbey"]
    assert parish["children"] == []


def test_area_detail_children_on_a_past_date(places, api_client):
    body = api_client.get("/api/v1/areas/north?on=2010-01-01").json()
    assert slugs(body["children"]) == ["old-ward"]


def test_abolished_area_is_still_found_with_its_end_date(places, api_client):
    body = api_client.get("/api/v1/areas/old-ward").json()
    assert body["valid_to"] == "2022-05-04"


@pytest.mark.parametrize(
    "slug",
    ["atlantis", "%00", "x" * 3000, "caf%C3%A9", "%F0%9F%8F%B0", "abbey%27%20OR%201=1", "..%2F..%2Fetc"],
)
def test_unknown_or_impossible_slug_is_not_found(places, api_client, slug):
    assert_error(api_client.get(f"/api/v1/areas/{slug}"), 404, "not_found")


def test_many_areas_need_few_queries(places, api_client, django_assert_max_num_queries, monkeypatch):
    # Only the endpoint's own queries are counted here, not the rate limiter's.
    monkeypatch.setattr("localpower.api.throttling.ApiThrottle.allow_request", lambda self, request: True)
    for number in range(30):
        Area.objects.create(
            name=f"Ward {number}", slug=f"ward-{number}", kind=AreaKind.WARD, parent=places["south"]
        )
    with django_assert_max_num_queries(4):
        body = api_client.get("/api/v1/areas?kind=ward&page_size=100").json()
    assert body["count"] == 32
