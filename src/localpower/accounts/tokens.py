"""API tokens and e-mail verification links.

API tokens look like ``lp_<8 characters>_<43 characters>``. The first part (the prefix) is shown on the account
page so a person can tell their tokens apart; the database keeps only the SHA-256 hash of the whole token, so a
stolen database does not reveal usable tokens. A token is shown once, when created.

E-mail verification links carry a signed, time-limited value naming the account and the address it was sent to,
so a link stops working when the address changes.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

TOKEN_START = "lp_"
# Writing "last used" on every request would turn each API read into a write; once a minute is enough.
LAST_USED_GRANULARITY = timedelta(minutes=1)

EMAIL_VERIFICATION_SALT = "localpower.accounts.verify-email"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_token() -> tuple[str, str]:
    """A new (raw token, prefix). The raw token is never stored."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}", prefix


def authenticate_token(raw: str | None):
    """The active person owning this API token, or None (unknown, revoked, badly formed or inactive account)."""
    from localpower.accounts.models import ApiToken, User

    if not raw or not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw.startswith(TOKEN_START) or len(raw) > 200:
        return None
    # Plain SQL: every API call with a token runs this, and building it with the ORM costs more than running it.
    tokens, users = ApiToken._meta.db_table, User._meta.db_table
    found = User.objects.raw(
        f"SELECT u.*, t.id AS api_token_id, t.last_used_at AS api_token_last_used_at FROM {tokens} t "
        f"JOIN {users} u ON u.id = t.user_id WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active",
        [hash_token(raw)],
    )
    user = next(iter(found), None)
    if user is None:
        return None
    now = timezone.now()
    last_used = user.api_token_last_used_at  # SQLite gives a naive time in UTC
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, datetime.UTC)
    if last_used is None or now - last_used >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=user.api_token_id).update(last_used_at=now)
    return user


def email_verification_max_age() -> int:
    """Seconds an e-mail verification link stays valid (3 days unless EMAIL_VERIFICATION_MAX_AGE says)."""
    return int(getattr(settings, "EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 60 * 60))


def make_email_verification_token(user) -> str:
    return signing.dumps({"id": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT, compress=True)


class VerificationLinkError(Exception):
    """The link is not valid. ``expired`` tells apart an old link from a broken or tampered one."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def read_email_verification_token(token: str):
    """The person a verification link is for. Raises VerificationLinkError."""
    from localpower.accounts.models import User

    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=email_verification_max_age())
    except signing.SignatureExpired as error:
        raise VerificationLinkError(expired=True) from error
    except signing.BadSignature as error:
        raise VerificationLinkError(expired=False) from error
    if not isinstance(data, dict):
        raise VerificationLinkError(expired=False)
    user = User.objects.filter(pk=data.get("id"), is_active=True).first()
    if user is None or user.email != data.get("email"):
        raise VerificationLinkError(expired=False)
    return user
