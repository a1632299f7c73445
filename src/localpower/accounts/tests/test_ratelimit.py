import time

from django.core.cache.backends.locmem import LocMemCache

from localpower.core.ratelimit import RateLimiter


def _limiter(limit=3, window=60, clock=None):
    extra = {"clock": clock} if clock else {}
    return RateLimiter("test", limit=limit, window=window, cache=LocMemCache("ratelimit-test", {}), **extra)


def test_limits_after_the_allowed_number_of_attempts():
    limiter = _limiter(limit=3)
    for expected in (1, 2, 3):
        assert not limiter.is_limited("email", "a@example.org")
        assert limiter.hit("email", "a@example.org") == expected
    assert limiter.is_limited("email", "a@example.org")
    # Other values and other kinds have their own counters.
    assert not limiter.is_limited("email", "b@example.org")
    assert not limiter.is_limited("ip", "a@example.org")


def test_reset_clears_the_counter():
    limiter = _limiter(limit=1)
    limiter.hit("ip", "192.0.2.1")
    assert limiter.is_limited("ip", "192.0.2.1")
    limiter.reset("ip", "192.0.2.1")
    assert not limiter.is_limited("ip", "192.0.2.1")


def test_the_window_ends():
    now = [time.time()]
    limiter = _limiter(limit=1, window=900, clock=lambda: now[0])
    limiter.hit("email", "a@example.org")
    assert limiter.is_limited("email", "a@example.org")
    assert limiter.seconds_left("email", "a@example.org") == 900
    now[0] += 899
    assert limiter.is_limited("email", "a@example.org")
    now[0] += 1
    assert not limiter.is_limited("email", "a@example.org")
    assert limiter.hit("email", "a@example.org") == 1


def test_empty_values_are_never_counted():
    limiter = _limiter(limit=1)
    assert limiter.hit("ip", None) == 0
    assert not limiter.is_limited("ip", None)
