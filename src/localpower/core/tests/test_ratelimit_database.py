"""The rate limiter on Django's database cache (the default shared cache): one statement for a first attempt,
and counters that the cache itself reads, counts on and expires as its own."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localpower.core.ratelimit import RateLimiter

pytestmark = pytest.mark.django_db

TABLE = "ratelimit_test_cache"


@pytest.fixture
def cache():
    call_command("createcachetable", TABLE, verbosity=0)
    return DatabaseCache(TABLE, {})


def test_a_first_attempt_is_one_statement_and_the_cache_reads_it(cache):
    limiter = RateLimiter("test", limit=2, window=60, cache=cache)
    with CaptureQueriesContext(connection) as queries:
        assert limiter.hit("person", "7") == 1
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    # Stored the way the database cache stores values, so its own get reads the counter.
    count, started = cache.get(limiter._key("person", "7"))
    assert count == 1 and abs(started - time.time()) < 5
    assert limiter.hit("person", "7") == 2
    assert limiter.is_limited("person", "7")
    assert not limiter.is_limited("person", "8")
    assert 55 <= limiter.seconds_left("person", "7") <= 60


def test_an_expired_counter_left_in_the_table_starts_a_new_window(cache):
    limiter = RateLimiter("test", limit=1, window=60, cache=cache)
    key = limiter._key("ip", "192.0.2.1")
    # A counter from an earlier window whose row the cache has not removed yet.
    cache.set(key, (5, time.time() - 3600), 60)
    long_ago = connection.ops.adapt_datetimefield_value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET expires = %s", [long_ago])
    with CaptureQueriesContext(connection) as queries:
        assert limiter.hit("ip", "192.0.2.1") == 1
    # The insert met the old row and did nothing; the limiter then read it as expired and wrote a new window.
    assert queries.captured_queries[0]["sql"].startswith("INSERT") and len(queries.captured_queries) > 1
    assert limiter.is_limited("ip", "192.0.2.1")
    assert cache.get(key)[0] == 1


def test_other_caches_use_their_own_add():
    from django.core.cache.backends.locmem import LocMemCache

    cache = LocMemCache("ratelimit-other", {})
    limiter = RateLimiter("test", limit=1, window=60, cache=cache)
    assert limiter.hit("ip", "192.0.2.9") == 1
    assert limiter.hit("ip", "192.0.2.9") == 2
    assert limiter.is_limited("ip", "192.0.2.9")


def test_the_default_cache_takes_the_one_statement_path_when_it_is_the_database_cache(settings):
    call_command("createcachetable", TABLE, verbosity=0)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE}
    }
    limiter = RateLimiter("test", limit=2, window=60)
    with CaptureQueriesContext(connection) as queries:
        assert limiter.hit("person", "7") == 1
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert limiter.hit("person", "7") == 2
