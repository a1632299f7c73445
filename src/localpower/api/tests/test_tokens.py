"""Personal API tokens: ``Authorization: Bearer <token>``, no cookies, no CSRF."""

import pytest
from django.test import Client

from localpower.accounts.models import User
from localpower.accounts.services import create_api_token, revoke_api_token
from localpower.accounts.tests.factories import UserFactory
from localpower.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(places):
    return UserFactory(email="tok@example.org", display_name="Toki", verified_postcode="TE1 1AA")


@pytest.fixture
def token(person):
    return create_api_token(user=person, name="My script")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_with_a_token_shows_the_person_and_their_areas(api_client, person, token):
    response = api_client.get("/api/v1/me", **bearer(token[1]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["email"] == "tok@example.org" and body["display_name"] == "Toki"
    assert body["email_verified"] is True and body["postcode_verified"] is True
    assert body["home_postcode"] == "TE1 1AA"
    assert [a["slug"] for a in body["home_areas"]] == ["testshire", "north", "abbey", "abbey-parish"]


def test_scheme_is_case_insensitive(api_client, token):
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"bearer {token[1]}").status_code == 200


def test_token_sets_no_session_cookie(api_client, token):
    response = api_client.get("/api/v1/me", **bearer(token[1]))
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_revoked_token_is_refused(api_client, person, token):
    revoke_api_token(user=person, token=token[0])
    error = assert_error(api_client.get("/api/v1/me", **bearer(token[1])), 401, "unauthorised")
    assert "not valid" in error["message"]


def test_token_of_a_deactivated_person_is_refused(api_client, person, token):
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert_error(api_client.get("/api/v1/me", **bearer(token[1])), 401, "unauthorised")


@pytest.mark.parametrize(
    "change", [lambda t: t[:-1], lambda t: t + "x", lambda t: t.upper(), lambda t: t[::-1]]
)
def test_altered_token_is_refused(api_client, token, change):
    assert_error(api_client.get("/api/v1/me", **bearer(change(token[1]))), 401, "unauthorised")


def test_token_in_the_wrong_scheme_is_refused_with_a_clear_message(api_client, token):
    error = assert_error(
        api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {token[1]}"), 401, "unauthorised"
    )
    assert "Bearer" in error["message"]


def test_token_use_is_recorded_on_the_token(api_client, token):
    assert token[0].last_used_at is None
    api_client.get("/api/v1/me", **bearer(token[1]))
    token[0].refresh_from_db()
    assert token[0].last_used_at is not None


@pytest.mark.urls("localpower.api.tests.auth_urls")
def test_token_post_needs_no_csrf_token(token):
    # Tokens are never sent by a browser on its own, so there is nothing for CSRF to protect.
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    response = client.post("/api/test/echo", **bearer(token[1]))
    assert response.status_code == 200, response.content
    assert response.json() == {"email": "tok@example.org"}


def test_me_lists_roles_with_their_areas(api_client, person, token, places):
    from localpower.accounts.models import RoleKind
    from localpower.accounts.tests.factories import OrganisationFactory, RoleFactory

    RoleFactory(user=person, kind=RoleKind.OFFICER, area=places["north"])
    group = OrganisationFactory(name="Abbey Friends", area=places["abbey"])
    RoleFactory(user=person, kind=RoleKind.ORGANISATION_MEMBER, organisation=group, area=None)
    roles = api_client.get("/api/v1/me", **bearer(token[1])).json()["roles"]
    by_kind = {role["kind"]: role for role in roles}
    assert by_kind["officer"]["kind_label"] == "Council officer"
    assert by_kind["officer"]["area"]["slug"] == "north" and by_kind["officer"]["organisation"] is None
    assert by_kind["organisation_member"]["organisation"] == "Abbey Friends"
    assert by_kind["organisation_member"]["area"] is None
