"""The OpenAPI description and the documentation page."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_json_describes_every_endpoint(api_client):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Local Power API"
    assert set(schema["paths"]) >= {
        "/api/v1/areas",
        "/api/v1/areas/{slug}",
        "/api/v1/postcodes/{postcode}",
        "/api/v1/me",
    }
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {"TokenAuth": []} in me["security"]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    kinds = schema["components"]["schemas"]["AreaKind"]["enum"]
    assert kinds[:2] == ["county", "district"]


def test_docs_page_lists_endpoints_without_external_scripts_or_styles(api_client):
    response = api_client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    for endpoint in [
        "GET /api/v1/areas",
        "GET /api/v1/areas/{slug}",
        "GET /api/v1/postcodes/{postcode}",
        "GET /api/v1/me",
    ]:
        assert endpoint in html
    assert 'href="http://localhost/api/v1/openapi.json"' in html
    # Every script and stylesheet comes from this site, so the Content-Security-Policy allows them.
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    assert html.count("<h1") == 1


def test_docs_page_explains_parameters(api_client):
    html = api_client.get("/api/v1/docs").content.decode()
    assert "one of: county, district, area_committee, ward, parish, neighbourhood" in html
    assert "integer, 1 to 200; default 50" in html
    assert "date (YYYY-MM-DD)" in html


def test_footer_link_reaches_the_docs(api_client):
    home = api_client.get("/").content.decode()
    assert 'href="/api/v1/docs"' in home


def test_docs_page_uses_our_words_for_statuses_and_shows_code(api_client):
    html = api_client.get("/api/v1/docs").content.decode()
    assert "Unprocessable Entity" not in html
    assert "error code validation_error" in html
    assert "<code>on</code> is given" in html  # from the list endpoint's description, `on` in backticks


def test_docs_page_states_the_rate_limits(api_client, settings):
    settings.API_RATE_LIMIT = 77
    html = api_client.get("/api/v1/docs").content.decode()
    assert "may make 77 requests a minute" in html


def test_docs_page_gives_examples_that_work(api_client, places):
    import re as regex

    html = api_client.get("/api/v1/docs").content.decode()
    tries = regex.findall(r'<a class="govuk-link" href="(http://localhost/api/v1/[^"]+)">Try it', html)
    assert len(tries) == 3, tries
    for url in tries:
        response = api_client.get(url.replace("http://localhost", ""))
        assert response.status_code == 200, url
    assert 'curl -H "Authorization: Bearer $TOKEN" "http://localhost/api/v1/me"' in html
