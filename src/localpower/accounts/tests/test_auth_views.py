"""Signing up, confirming the e-mail address, signing in and out, and resetting a password, through the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from localpower.accounts.models import User
from localpower.accounts.tests.factories import PASSWORD, UserFactory
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new garden path"


def _link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_sign_up_then_follow_the_emailed_link(client):
    response = client.post(
        reverse("accounts:sign-up"),
        {
            "email": "New.Person@Example.org",
            "display_name": "New Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:sign-up-sent")
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.email_verified_at is None
    assert user.check_password(PASSWORD)

    # Signed in but not yet able to take part: the account page shows the banner.
    page = client.get(reverse("accounts:account"))
    assert "Confirm your e-mail address to take part" in page.content.decode()
    assert not page.wsgi_request.user.has_perm("accounts.take_part")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    link = _link_in(mail.outbox[0])
    assert link.startswith("http://testserver/verify-email/")

    client.post(reverse("accounts:sign-out"))
    response = client.get(link)
    assert response.status_code == 200
    assert "E-mail address confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert user.has_perm("accounts.take_part")
    assert AuditEntry.objects.filter(action="accounts.email_verified", object_id=str(user.pk)).exists()


def test_sign_up_refuses_mismatched_passwords_and_a_taken_address(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("accounts:sign-up"),
        {
            "email": "TAKEN@example.org",
            "display_name": "X",
            "password1": PASSWORD,
            "password2": PASSWORD + "!",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "An account with this e-mail address already exists" in page
    assert "The passwords do not match" in page
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_sign_up_refuses_a_weak_password(client):
    response = client.post(
        reverse("accounts:sign-up"),
        {"email": "a@example.org", "display_name": "A", "password1": "password", "password2": "password"},
    )
    assert "This password is too short" in response.content.decode()
    assert not User.objects.exists()


def test_a_tampered_or_expired_link_does_not_verify(client, settings):
    user = UserFactory(unverified=True)
    from localpower.accounts.tokens import make_email_verification_token

    token = make_email_verification_token(user)
    response = client.get(reverse("accounts:verify-email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "The link does not work" in response.content.decode()

    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.get(reverse("accounts:verify-email", args=[token]))
    assert response.status_code == 400
    assert "The link has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_link_stops_working_when_the_address_changes(client):
    user = UserFactory(unverified=True)
    from localpower.accounts.tokens import make_email_verification_token

    token = make_email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="other@example.org")
    assert client.get(reverse("accounts:verify-email", args=[token])).status_code == 400


def test_resend_the_verification_link(client):
    user = UserFactory(unverified=True)
    client.force_login(user)
    response = client.post(reverse("accounts:resend-verification"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    client.get(_link_in(mail.outbox[0]))
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_sign_in_with_any_letter_case_and_go_to_next(client):
    UserFactory(email="sam@example.org")
    response = client.post(
        reverse("accounts:sign-in") + "?next=/staff/", {"email": "SAM@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/staff/"
    assert client.get(reverse("accounts:account")).status_code == 200


def test_sign_in_ignores_an_outside_next_address(client):
    UserFactory(email="sam@example.org")
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": "sam@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("accounts:account")


def test_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="sam@example.org")
    response = client.post(reverse("accounts:sign-in"), {"email": "sam@example.org", "password": "wrong"})
    assert response.status_code == 400
    assert "The e-mail address or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unverified_person_can_sign_in_and_is_reminded(client):
    UserFactory(email="new@example.org", unverified=True)
    response = client.post(
        reverse("accounts:sign-in"), {"email": "new@example.org", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert page.count("Confirm your e-mail address to take part") == 1
    assert response.wsgi_request.user.is_authenticated
    # The banner follows them around the site until they confirm.
    assert "Confirm your e-mail address to take part" in client.get(reverse("core:home")).content.decode()
    User.objects.filter(email="new@example.org").update(email_verified_at=timezone.now())
    assert "Confirm your e-mail address to take part" not in client.get(reverse("core:home")).content.decode()


def test_sign_in_is_rate_limited_per_email_address(client, settings):
    settings.SIGN_IN_RATE_LIMIT = 3
    UserFactory(email="sam@example.org")
    # Each guess from a different network address: the limit on the e-mail address still applies.
    statuses = [
        client.post(
            reverse("accounts:sign-in"),
            {"email": "sam@example.org", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{number}",
        ).status_code
        for number in range(3)
    ]
    assert statuses == [400, 400, 429]
    # Even the right password is refused now, with the GOV.UK message, from any network address.
    for address in ("127.0.0.1", "192.0.2.7"):
        response = client.post(
            reverse("accounts:sign-in"),
            {"email": "SAM@example.org", "password": PASSWORD},
            REMOTE_ADDR=address,
        )
        assert response.status_code == 429
        assert "Too many attempts. Wait 15 minutes and try again." in response.content.decode()
        assert "_auth_user_id" not in client.session
    # One audit entry when the limit was reached; the refused attempts after it do not flood the log.
    entry = AuditEntry.objects.get(action="accounts.sign_in_rate_limited")
    assert entry.changes == {"email": "sam@example.org", "limited_by": ["email"]}
    assert entry.ip_address == "198.51.100.2"


def test_sign_in_is_rate_limited_per_network_address(client, settings):
    settings.SIGN_IN_RATE_LIMIT = 3
    UserFactory(email="victim@example.org")
    for number in range(3):
        client.post(reverse("accounts:sign-in"), {"email": f"guess{number}@example.org", "password": "wrong"})
    response = client.post(reverse("accounts:sign-in"), {"email": "victim@example.org", "password": PASSWORD})
    assert response.status_code == 429
    # Another network address is not affected.
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": "victim@example.org", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_count_for_the_address(client, settings):
    settings.SIGN_IN_RATE_LIMIT = 3
    UserFactory(email="sam@example.org")
    for _ in range(2):
        client.post(
            reverse("accounts:sign-in"),
            {"email": "sam@example.org", "password": "wrong"},
            REMOTE_ADDR="192.0.2.1",
        )
    assert (
        client.post(
            reverse("accounts:sign-in"), {"email": "sam@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )
    client.post(reverse("accounts:sign-out"))
    for _ in range(2):
        client.post(
            reverse("accounts:sign-in"),
            {"email": "sam@example.org", "password": "wrong"},
            REMOTE_ADDR="192.0.2.2",
        )
    assert (
        client.post(
            reverse("accounts:sign-in"), {"email": "sam@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_sign_out_needs_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_reset_a_forgotten_password(client):
    user = UserFactory(email="sam@example.org", unverified=True)
    response = client.post(reverse("accounts:password-reset"), {"email": "Sam@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1
    link = _link_in(mail.outbox[0])
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is not None  # following the link proved the address
    assert AuditEntry.objects.filter(action="accounts.password_reset").exists()


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_change_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:change-password"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(
        reverse("accounts:change-password"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in after the change.
    assert client.get(reverse("accounts:account")).status_code == 200


def test_password_reset_links_are_rate_limited_without_saying_so(client):
    UserFactory(email="sam@example.org")
    for _ in range(5):
        response = client.post(reverse("accounts:password-reset"), {"email": "sam@example.org"})
        assert response.url == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 3


def test_resending_the_verification_link_is_rate_limited(client):
    client.force_login(UserFactory(unverified=True))
    for _ in range(5):
        client.post(reverse("accounts:resend-verification"))
    assert len(mail.outbox) == 3
    response = client.post(reverse("accounts:resend-verification"), follow=True)
    assert "Wait an hour and try again" in response.content.decode()
