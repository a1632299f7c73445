"""Settings are read in a fresh process, so these tests start Python with a chosen environment."""

import os
import subprocess
import sys

import pytest


def _settings_in(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "localpower.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=60
    )


def test_debug_is_off_unless_set():
    result = _settings_in({"DEBUG": ""}, "settings.DEBUG")
    assert result.stdout.strip() == "False"


def test_a_bad_debug_value_stops_start_up_with_a_clear_message():
    result = _settings_in({"DEBUG": "yes"}, "settings.DEBUG")
    assert result.returncode != 0
    assert "DEBUG must be 'true' or 'false'" in result.stderr


def test_database_url_switches_to_postgresql():
    result = _settings_in(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/somewhere"},
        "settings.DATABASES['default']['ENGINE']",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("site_url", "secure"), [("https://lp.example.org", "True"), ("http://127.0.0.1:8000", "False")]
)
def test_secure_cookies_follow_the_site_address(site_url, secure):
    result = _settings_in({"SITE_URL": site_url}, "settings.SESSION_COOKIE_SECURE")
    assert result.stdout.strip() == secure


def test_a_bad_site_url_is_refused():
    result = _settings_in({"SITE_URL": "localhost"}, "settings.SITE_URL")
    assert result.returncode != 0
    assert "SITE_URL must be a full address" in result.stderr


def test_cache_url_chooses_the_cache():
    result = _settings_in({"CACHE_URL": "locmem://"}, "settings.CACHES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    result = _settings_in({"CACHE_URL": ""}, "settings.CACHES['default']['LOCATION']")
    assert result.stdout.strip() == "localpower_cache"


def test_a_bad_cache_url_is_refused():
    result = _settings_in({"CACHE_URL": "memcached://x"}, "settings.CACHES")
    assert result.returncode != 0
    assert "CACHE_URL must start with" in result.stderr


def test_a_council_can_replace_or_switch_off_the_blocked_words():
    check = "__import__('localpower.core.textcheck', fromlist=['x']).check_text('What a bloody mess the car park is')"
    replaced = _settings_in({"TEXTCHECK_BLOCKED_WORDS": "bloody, blimey"}, f"[p.code for p in {check}]")
    assert replaced.stdout.strip() == "['blocked_word']", replaced.stderr
    off = _settings_in({"TEXTCHECK_BLOCKED_WORDS": "-"}, "settings.TEXTCHECK_BLOCKED_WORDS")
    assert off.stdout.strip() == "[]"
