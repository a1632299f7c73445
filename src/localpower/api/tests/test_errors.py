"""Every answer under /api/v1/ is JSON, errors in one shape, and bad input never causes a server error."""

import pytest
from django.test import override_settings

from localpower.api.tests.conftest import assert_error
from localpower.api.urls import api

pytestmark = pytest.mark.django_db


def test_root_describes_the_api(api_client):
    body = api_client.get("/api/v1/").json()
    assert body["openapi"] == "http://localhost/api/v1/openapi.json"
    assert body["docs"] == "http://localhost/api/v1/docs"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/areas/abbey/extra",
        "/api/v1/%00",
        "/api/v1/" + "x" * 5000,
        "/api/v1/%E2%98%83",
    ],
)
def test_unknown_address_is_json_not_found(api_client, path):
    assert_error(api_client.get(path), 404, "not_found")


def test_trailing_slash_mistake_suggests_the_right_address(api_client):
    error = assert_error(api_client.get("/api/v1/areas/"), 404, "not_found")
    assert "http://localhost/api/v1/areas?" in error["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/areas", "/api/v1/areas/abbey", "/api/v1/postcodes/TE11AA", "/api/v1/me"]
)
def test_wrong_method_is_json_405_listing_the_allowed_ones(api_client, method, path):
    response = getattr(api_client, method)(path, data="{}", content_type="application/json")
    error = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"
    assert error["details"] == [{"allowed_methods": ["GET", "HEAD"]}]


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/"])
def test_documentation_addresses_refuse_unsafe_methods_as_json(api_client, path):
    # Not a CSRF failure page: these addresses simply only read.
    assert_error(api_client.post(path), 405, "method_not_allowed")


def test_post_to_unknown_address_is_json_not_found_not_a_csrf_page(api_client):
    assert_error(api_client.post("/api/v1/nothing"), 404, "not_found")


def test_head_works_where_get_does(places, api_client):
    response = api_client.head("/api/v1/areas/abbey")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_options_is_answered_with_the_allowed_methods(api_client):
    response = api_client.options("/api/v1/areas")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


HOSTILE = [
    "/api/v1/areas?kind=%00",
    "/api/v1/areas?parent=%00",
    "/api/v1/areas?parent=%F0%9F%8F%B0",
    "/api/v1/areas?on=%00",
    "/api/v1/areas?on=-2024-01-01",
    "/api/v1/areas?on=2024-01-01T25:00",
    "/api/v1/areas?page=1e9",
    "/api/v1/areas?page=%00",
    "/api/v1/areas?page=1&page=-5",
    "/api/v1/areas?page_size=-1",
    "/api/v1/areas?" + "&".join(f"p{i}=x" for i in range(500)),
    "/api/v1/areas/" + "%C3%A9" * 400,
    "/api/v1/postcodes/" + "A" * 10000,
    "/api/v1/postcodes/%27%3B%20DROP%20TABLE%20places_area%3B--",
    "/api/v1/postcodes/TE11AA?on=0000-00-00",
    "/api/v1/me",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_input_never_causes_a_server_error(places, api_client, path):
    response = api_client.get(path)
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert_error(response, response.status_code, response.json()["error"]["code"])


def test_too_many_query_parameters_is_a_bad_request(places, api_client):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) parameters.
    response = api_client.get("/api/v1/areas?" + "&".join(f"p{i}=x" for i in range(1500)))
    error = assert_error(response, 400, "bad_request")
    assert "too many parameters" in error["message"]


def test_hostile_headers_never_cause_a_server_error(places, api_client):
    for header in [
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearer " + "x" * 20000,
        "Bearer \x00\x01",
        "Bearer a b c",
        "ü",
    ]:
        response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "unauthorised")


def test_unexpected_exception_is_a_json_server_error_without_details(api_client, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("localpower.api.areas.find_area", explode)
    with override_settings(DEBUG=False):
        response = api_client.get("/api/v1/areas/abbey")
    error = assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert error["details"] == []
    assert "secret internal detail" in caplog.text  # logged for the people running the service


def test_every_documented_error_response_uses_the_error_schema():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if str(status).startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), (method, path, status)


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v2/areas", "/api/%00"])
def test_addresses_outside_the_current_version_are_json_not_found(api_client, path):
    error = assert_error(api_client.get(path), 404, "not_found")
    assert "http://localhost/api/v1/" in error["message"]
    assert_error(api_client.post(path), 404, "not_found")
