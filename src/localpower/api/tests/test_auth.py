"""Who may call the API: browser sessions (with CSRF for unsafe methods) and personal API tokens."""

import pytest
from django.test import Client

from localpower.accounts.models import User
from localpower.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return User.objects.create_user("sam@example.org", "a long enough password", display_name="Sam")


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def test_me_with_a_browser_session(person):
    body = csrf_client(person).get("/api/v1/me").json()
    assert body["email"] == "sam@example.org" and body["display_name"] == "Sam"
    assert body["email_verified"] is False and body["home_postcode"] is None and body["home_areas"] == []


def test_me_without_credentials_is_unauthorised_with_a_bearer_challenge():
    response = csrf_client().get("/api/v1/me")
    error = assert_error(response, 401, "unauthorised")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in error["message"]


def test_inactive_person_with_a_session_is_unauthorised(person):
    client = csrf_client(person)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert_error(client.get("/api/v1/me"), 401, "unauthorised")


def test_bad_authorization_header_is_refused_even_with_a_session(person):
    # A program that sends a wrong token must learn so, not silently act as the browser's user.
    response = csrf_client(person).get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-real-token-at-all")
    error = assert_error(response, 401, "unauthorised")
    assert "token is not valid" in error["message"]


def test_other_authorization_schemes_leave_the_session_alone(person):
    # For example a password-protected test site that adds HTTP Basic credentials to every request.
    response = csrf_client(person).get("/api/v1/me", HTTP_AUTHORIZATION="Basic dGVzdDp0ZXN0")
    assert response.status_code == 200 and response.json()["email"] == "sam@example.org"


@pytest.mark.urls("localpower.api.tests.auth_urls")
def test_session_post_without_csrf_token_is_forbidden(person):
    response = csrf_client(person).post("/api/test/echo")
    error = assert_error(response, 403, "forbidden")
    assert "CSRF" in error["message"]
    assert error["details"] == [{"reason": "csrf_failed"}]


@pytest.mark.urls("localpower.api.tests.auth_urls")
def test_session_post_with_csrf_token_is_allowed(person):
    client = csrf_client(person)
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"  # any 32 letters and digits make a valid CSRF secret
    client.cookies["csrftoken"] = token
    response = client.post("/api/test/echo", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json() == {"email": "sam@example.org"}


@pytest.mark.urls("localpower.api.tests.auth_urls")
def test_anonymous_post_is_unauthorised_not_a_csrf_failure():
    assert_error(csrf_client().post("/api/test/echo"), 401, "unauthorised")
