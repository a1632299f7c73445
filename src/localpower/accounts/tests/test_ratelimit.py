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


class CountingCache(LocMemCache):
    """An in-memory cache that records which calls reach it (each is a round trip with a shared cache)."""

    def __init__(self):
        super().__init__("ratelimit-counting", {})
        self.calls = []

    def get(self, *args, **kwargs):
        self.calls.append("get")
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        self.calls.append("set")
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        self.calls.append("add")
        return super().add(*args, **kwargs)


def test_the_first_attempt_in_a_window_is_one_cache_call():
    cache = CountingCache()
    limiter = RateLimiter("test", limit=3, window=60, cache=cache)
    assert limiter.hit("person", "7") == 1
    assert cache.calls == ["add"]
    cache.calls.clear()
    assert limiter.hit("person", "7") == 2
    assert cache.calls == ["add", "get", "set"]


def test_a_counter_left_in_the_cache_after_its_window_starts_a_new_window():
    now = [time.time()]
    limiter = _limiter(limit=2, window=60, clock=lambda: now[0])
    assert limiter.hit("ip", "192.0.2.1") == 1
    assert limiter.hit("ip", "192.0.2.1") == 2
    assert limiter.is_limited("ip", "192.0.2.1")
    # The cache still holds the counter (its own clock has not moved), but the window is over.
    now[0] += 61
    assert limiter.hit("ip", "192.0.2.1") == 1
    assert not limiter.is_limited("ip", "192.0.2.1")
    assert limiter.seconds_left("ip", "192.0.2.1") == 60
