"""Building and sending notification e-mails. Plain text, full links, and an unsubscribe link in every one."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from localpower.notifications.tokens import make_unsubscribe_token


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(user, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[make_unsubscribe_token(user, kind)]))


def build(user, *, kind: str, subject: str, template: str, context: dict) -> EmailMessage:
    link = unsubscribe_url(user, kind)
    body = render_to_string(
        template,
        {
            "user": user,
            "service_name": settings.SERVICE_NAME,
            "council_name": settings.COUNCIL_NAME,
            "unsubscribe_url": link,
            "preferences_url": absolute(reverse("notifications:preferences")),
            **context,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        # One-click unsubscribe in mail programs (RFC 8058): they POST to the link.
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_all(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
