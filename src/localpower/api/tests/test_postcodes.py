"""GET /api/v1/postcodes/{postcode}."""

import pytest

from localpower.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["TE1 1AA", "te11aa", "te1%201aa", "%20TE1%20%201AA%20"])
def test_postcode_written_any_usual_way_finds_its_areas_largest_first(places, api_client, written):
    response = api_client.get(f"/api/v1/postcodes/{written}")
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "TE1 1AA"
    assert [a["slug"] for a in body["areas"]] == ["testshire", "north", "abbey", "abbey-parish"]
    assert body["latitude"] == 51.5 and body["longitude"] == -0.1


def test_areas_on_a_past_date(places, api_client):
    body = api_client.get("/api/v1/postcodes/TE11AA?on=2010-06-01").json()
    assert [a["slug"] for a in body["areas"]] == ["testshire", "north", "old-ward"]
    assert body["on"] == "2010-06-01"


def test_terminated_postcode_is_found_and_says_so(places, api_client):
    body = api_client.get("/api/v1/postcodes/TE99ZZ").json()
    assert body["terminated"] == "2020-01-01" and body["areas"] == []


def test_unknown_postcode_is_not_found_and_named_in_the_message(places, api_client):
    error = assert_error(api_client.get("/api/v1/postcodes/zz99zz"), 404, "not_found")
    assert "ZZ9 9ZZ" in error["message"]


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "12345",
        "TE1",
        "%00",
        "TE1%001AA",
        "%E2%98%83",
        "TE1 1AA" * 500,
        "%F0%9F%8F%A0",
    ],
)
def test_badly_formed_postcode_gets_a_clear_422(places, api_client, text):
    error = assert_error(api_client.get(f"/api/v1/postcodes/{text}"), 422, "validation_error")
    assert "postcode" in error["message"].lower()
    assert error["details"][0]["field"] == "postcode"


def test_bad_date_is_a_validation_error(places, api_client):
    error = assert_error(api_client.get("/api/v1/postcodes/TE11AA?on=2023-13-01"), 422, "validation_error")
    assert error["details"][0]["field"] == "on"
