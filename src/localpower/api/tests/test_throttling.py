"""Rate limits: too many requests in a minute get a JSON 429 with Retry-After."""

import pytest
from django.test import Client

from localpower.accounts.models import User
from localpower.api.tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_anonymous_caller_over_the_limit_is_rate_limited(settings, places):
    settings.API_RATE_LIMIT = 3
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        assert client.get("/api/v1/areas").status_code == 200
    response = client.get("/api/v1/areas")
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    # Someone else, at another address, is not affected.
    assert Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.2").get("/api/v1/areas").status_code == 200


def test_signed_in_people_have_their_own_limit(settings, places):
    settings.API_RATE_LIMIT = 1
    settings.API_RATE_LIMIT_TOKEN = 5
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.3")
    client.force_login(User.objects.create_user("busy@example.org", "a long enough password"))
    statuses = [client.get("/api/v1/me").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_forwarded_address_is_ignored_unless_behind_our_proxy(settings, places):
    settings.API_RATE_LIMIT = 1
    settings.SECURE_PROXY_SSL_HEADER = None
    first = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert first.get("/api/v1/areas").status_code == 200
    assert second.get("/api/v1/areas").status_code == 429  # a made-up header does not reset the limit


def test_behind_a_proxy_each_forwarded_address_has_its_own_limit(settings, places):
    settings.API_RATE_LIMIT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"HTTP_HOST": "localhost", "REMOTE_ADDR": "10.0.0.1"}
    assert Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").get("/api/v1/areas").status_code == 200
    assert Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.2").get("/api/v1/areas").status_code == 200
    assert Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").get("/api/v1/areas").status_code == 429
