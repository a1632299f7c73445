"""Signed unsubscribe tokens: they name a person and a kind of e-mail, so the link works without signing in.

The token is signed with the server key (``django.core.signing``, its own salt) and does not expire: an old
e-mail's link must still work. It can only turn e-mails off, never on, so a leaked link does little harm.
"""

from __future__ import annotations

from django.core import signing

from localpower.notifications.models import Kind

SALT = "localpower.notifications.unsubscribe"


def make_unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None when the token is not one of ours or has been altered."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in Kind.values or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]
