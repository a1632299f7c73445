"""E-mails to people about their account. Plain text, with full links so they work from any mail program."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from localpower.accounts.tokens import email_verification_max_age, make_email_verification_token


def absolute_url(path: str, request=None) -> str:
    """A full address for ``path``: from the request when there is one, otherwise from SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def _send(user, template: str, subject: str, context: dict) -> None:
    context = {
        "user": user,
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
        **context,
    }
    body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_verification_email(user, *, request=None) -> str:
    """Send the link that confirms the person owns their e-mail address; returns the link."""
    token = make_email_verification_token(user)
    link = absolute_url(reverse("accounts:verify-email", args=[token]), request)
    _send(
        user,
        "accounts/emails/verify_email.txt",
        f"Confirm your e-mail address for {settings.SERVICE_NAME}",
        {"link": link, "hours": email_verification_max_age() // 3600},
    )
    return link


def send_postcode_verified(user, *, request=None) -> None:
    _send(
        user,
        "accounts/emails/postcode_verified.txt",
        f"Your home postcode is verified on {settings.SERVICE_NAME}",
        {"link": absolute_url(reverse("accounts:account"), request)},
    )


def send_postcode_not_verified(user, *, postcode: str, reason: str, request=None) -> None:
    _send(
        user,
        "accounts/emails/postcode_not_verified.txt",
        f"We could not verify your home postcode on {settings.SERVICE_NAME}",
        {
            "postcode": postcode,
            "reason": reason,
            "link": absolute_url(reverse("accounts:account-postcode"), request),
        },
    )
