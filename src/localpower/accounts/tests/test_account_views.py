"""The account page: details, home postcode and API tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.accounts.models import ApiToken
from localpower.accounts.tests.factories import UserFactory
from localpower.accounts.tokens import authenticate_token, hash_token
from localpower.core.models import AuditEntry


def test_account_page_needs_sign_in(client, db):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_account_page_shows_details_roles_and_postcode(client, councillor, resident):
    client.force_login(councillor)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "councillor@example.org" in page
    assert "Councillor for Abbey" in page
    assert "Go to the staff pages" in page
    client.force_login(resident)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "TB2 1AA" in page
    assert "Verified" in page
    assert "Castle" in page


def test_change_name(client, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:account-details"), {"display_name": "  Rosa R  "})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.display_name == "Rosa R"
    assert AuditEntry.objects.filter(action="accounts.details_changed").exists()


def test_declare_a_postcode_then_changing_it_clears_verification(client, resident, borough):
    client.force_login(resident)
    response = client.post(reverse("accounts:account-postcode"), {"postcode": "tb3 1aa"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.home_postcode == "TB3 1AA"
    assert resident.postcode_verified_at is None
    assert resident.home_areas() == []
    entry = AuditEntry.objects.get(action="accounts.postcode_declared")
    assert entry.changes == {"home_postcode": ["TB2 1AA", "TB3 1AA"], "was_verified": True}


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "Enter your home postcode"),
        ("ZZ99 9ZZ", "We could not find this postcode in the council"),
        ("hello", ""),
    ],
)
def test_bad_postcodes_get_a_clear_message(client, borough, postcode, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:account-postcode"), {"postcode": postcode})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    user.refresh_from_db()
    assert user.home_postcode == ""


def test_create_a_token_shown_once_then_revoke_it(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:token-create"), {"name": "Newsletter script"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith("lp_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.prefix, token.token_hash, token.name)
    assert raw.startswith(f"lp_{token.prefix}_")
    assert authenticate_token(raw) == user
    # The account page lists it by name and prefix, never the secret.
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Newsletter script" in page and token.prefix in page and raw not in page

    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert authenticate_token(raw) is None
    assert AuditEntry.objects.filter(action="accounts.api_token_revoked").exists()


def test_a_token_needs_a_name(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(client, db):
    from localpower.accounts import services

    owner = UserFactory()
    token, raw = services.create_api_token(user=owner, name="Mine")
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    assert authenticate_token(raw) == owner
