"""config/env.py: typed environment readers that fail loudly on bad values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_rate, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("YES", True), ("on", True), ("false", False), ("0", False)],
)
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", True)


def test_unset_variables_give_the_default(monkeypatch):
    monkeypatch.delenv("X_UNSET", raising=False)
    assert env_bool("X_UNSET", True) is True
    assert env_int("X_UNSET", 7) == 7
    assert env_float("X_UNSET", 0.5) == 0.5
    assert env_list("X_UNSET", ["a"]) == ["a"]
    assert env_str("X_UNSET", "d") == "d"
    assert env_rate("X_UNSET", "10/s") == "10/s"


def test_env_int_checks_type_and_minimum(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    assert env_int("X_INT", 0, minimum=1) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_INT", 0)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_INT", 5, minimum=1)


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, b.example ,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


@pytest.mark.parametrize("raw", ["600/min", "10/s", "5/hour", "100/day"])
def test_env_rate_accepts_drf_rates(monkeypatch, raw):
    monkeypatch.setenv("X_RATE", raw)
    assert env_rate("X_RATE", "1/s") == raw


@pytest.mark.parametrize("raw", ["abc", "10", "/min", "10/fortnight", "-1/s"])
def test_env_rate_rejects_typos(monkeypatch, raw):
    monkeypatch.setenv("X_RATE", raw)
    with pytest.raises(ImproperlyConfigured, match="X_RATE"):
        env_rate("X_RATE", "1/s")


def test_env_int_checks_a_maximum(monkeypatch):
    monkeypatch.setenv("X_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="X_PORT=70000 must be at most 65535"):
        env_int("X_PORT", 8000, minimum=1, maximum=65535)


def test_env_choice_accepts_a_listed_value_in_any_case(monkeypatch):
    monkeypatch.setenv("X_FORMAT", "JSON")
    assert env_choice("X_FORMAT", "plain", ("plain", "json")) == "json"
    monkeypatch.setenv("X_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="X_FORMAT='xml' is not one of plain, json"):
        env_choice("X_FORMAT", "plain", ("plain", "json"))
