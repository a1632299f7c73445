import pytest
from django.core.exceptions import ImproperlyConfigured

from localpower.core.env import envbool, envcolour, envint, envlist, envsecret, envstr


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False)]
)
def test_envbool_reads_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("LP_FLAG", raw)
    assert envbool("LP_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["yes", "no", "on", "ture", "2"])
def test_envbool_refuses_anything_else_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("LP_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="LP_FLAG"):
        envbool("LP_FLAG", False)


def test_envbool_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("LP_FLAG", raising=False)
    assert envbool("LP_FLAG", True) is True
    monkeypatch.setenv("LP_FLAG", "")
    assert envbool("LP_FLAG", False) is False


def test_envint_checks_numbers_and_minimum(monkeypatch):
    monkeypatch.setenv("LP_N", "12")
    assert envint("LP_N", 3) == 12
    monkeypatch.setenv("LP_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("LP_N", 3)
    monkeypatch.setenv("LP_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        envint("LP_N", 3, minimum=0)


def test_envlist_and_envstr(monkeypatch):
    monkeypatch.setenv("LP_LIST", " a.example , b.example,, ")
    assert envlist("LP_LIST", []) == ["a.example", "b.example"]
    monkeypatch.delenv("LP_STR", raising=False)
    assert envstr("LP_STR", "fallback") == "fallback"


def test_envsecret_reads_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("LP_SECRET", raising=False)
    monkeypatch.setenv("LP_SECRET_FILE", str(secret))
    assert envsecret("LP_SECRET") == "s3cret"
    monkeypatch.setenv("LP_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="LP_SECRET_FILE"):
        envsecret("LP_SECRET")


def test_envcolour(monkeypatch):
    monkeypatch.setenv("LP_COLOUR", "#ABCDEF")
    assert envcolour("LP_COLOUR", "#000") == "#abcdef"
    monkeypatch.setenv("LP_COLOUR", "blue")
    with pytest.raises(ImproperlyConfigured, match="hex colour"):
        envcolour("LP_COLOUR", "#000")
