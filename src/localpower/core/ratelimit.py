"""A small fixed-window rate limiter kept in Django's cache, for sign-in and any other action that needs one.

Usage::

    limiter = RateLimiter("sign-in", limit=5, window=15 * 60)
    if limiter.is_limited("email", address) or limiter.is_limited("ip", ip):
        ...refuse...
    limiter.hit("email", address)  # count an attempt (e.g. a failed sign-in)
    limiter.reset("email", address)  # e.g. after a successful sign-in

Each (scope, kind, value) has its own counter; the window starts at the first counted attempt and the counter
disappears with it. Values are hashed before becoming cache keys, so e-mail addresses are not stored in clear and
any text is a valid key.
"""

from __future__ import annotations

import base64
import hashlib
import math
import pickle
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router


class RateLimiter:
    def __init__(self, scope: str, *, limit: int, window: int, cache=None, clock=time.time):
        if limit < 1 or window < 1:
            raise ValueError("A rate limit needs a limit and a window of at least 1.")
        self.scope = scope
        self.limit = limit
        self.window = window
        self.cache = cache or default_cache
        self.clock = clock

    def _key(self, kind: str, value: str) -> str:
        digest = hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}"

    def _read(self, kind: str, value: str) -> tuple[int, float]:
        entry = self.cache.get(self._key(kind, value))
        if not entry:
            return 0, 0.0
        count, started = entry
        if self.clock() - started >= self.window:
            return 0, 0.0
        return count, started

    def count(self, kind: str, value: str) -> int:
        return self._read(kind, value)[0]

    def is_limited(self, kind: str, value: str | None) -> bool:
        """True when this value has used up its attempts in the current window."""
        if not value:
            return False
        return self.count(kind, value) >= self.limit

    def hit(self, kind: str, value: str | None) -> int:
        """Count one attempt and return the number counted so far in the window."""
        if not value:
            return 0
        key = self._key(kind, value)
        now = self.clock()
        # The first attempt in a window (the usual case) is one cache call: ``add`` writes only when no counter
        # exists. An expired counter still in the cache makes ``add`` fail, and is restarted below.
        if _add(self.cache, key, (1, now), self.window):
            return 1
        count, started = self._read(kind, value)
        if not count:
            started = now
        count += 1
        remaining = max(1, math.ceil(started + self.window - now))
        self.cache.set(key, (count, started), remaining)
        return count

    def reset(self, kind: str, value: str | None) -> None:
        if value:
            self.cache.delete(self._key(kind, value))

    def seconds_left(self, kind: str, value: str | None) -> int:
        """How long until the window for this value ends (0 when it is not counting)."""
        if not value:
            return 0
        count, started = self._read(kind, value)
        if not count:
            return 0
        return max(0, math.ceil(started + self.window - self.clock()))


def _add(cache, key: str, value, timeout: int) -> bool:
    """``cache.add``: store ``value`` only if ``key`` holds nothing; True when it was stored.

    Django's database cache makes an ``add`` five round trips (count the rows, begin, look for the key, insert,
    commit). On PostgreSQL and SQLite one ``INSERT ... ON CONFLICT DO NOTHING`` does the same in one, writing the
    row exactly as that cache does, so its ``get``, ``set`` and culling read it as their own. A row left behind
    by an expired counter makes this return False, as the rate limiter expects (it then restarts the window).
    """
    if cache is default_cache:
        cache = caches[DEFAULT_CACHE_ALIAS]  # the proxy stands for this thread's own cache object
    if not isinstance(cache, DatabaseCache):
        return cache.add(key, value, timeout)
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    if connection.vendor not in ("postgresql", "sqlite"):
        return cache.add(key, value, timeout)
    key = cache.make_and_validate_key(key)
    expires = datetime.fromtimestamp(
        cache.get_backend_timeout(timeout), tz=UTC if settings.USE_TZ else None
    ).replace(microsecond=0)
    stored = base64.b64encode(pickle.dumps(value, cache.pickle_protocol)).decode("latin1")
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(cache._table)} ({quote('cache_key')}, {quote('value')}, {quote('expires')}) "
        f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, stored, connection.ops.adapt_datetimefield_value(expires)])
        return cursor.rowcount == 1
