"""Rate limits for the API, per token holder or per network address, in fixed one-minute windows.

Limits come from the settings ``API_RATE_LIMIT`` (requests a minute from one network address without a token,
default 300) and ``API_RATE_LIMIT_TOKEN`` (requests a minute for one person using a token or session, default
1200). Over the limit the API answers 429 with the error code ``rate_limited`` and a Retry-After header.
"""

from __future__ import annotations

import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from localpower.core.ratelimit import RateLimiter

WINDOW = 60
DEFAULT_ANONYMOUS = 300
DEFAULT_SIGNED_IN = 1200


def client_address(request) -> str | None:
    """The caller's network address. Behind our own proxy, the address the proxy saw (the last one it added)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR")


class ApiThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        user = getattr(request, "auth", None)
        if user is not None and getattr(user, "pk", None):
            kind, value = "person", str(user.pk)
            limit = int(getattr(settings, "API_RATE_LIMIT_TOKEN", DEFAULT_SIGNED_IN))
        else:
            kind, value = "address", client_address(request)
            limit = int(getattr(settings, "API_RATE_LIMIT", DEFAULT_ANONYMOUS))
        limiter = RateLimiter("api", limit=limit, window=WINDOW)
        allowed = limiter.hit(kind, value) <= limit
        self._local.wait = None if allowed else max(1, limiter.seconds_left(kind, value))
        return allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
