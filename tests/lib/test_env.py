"""accord.lib.env: settings read from the environment fail early and say which variable is wrong."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accord.lib.env import env_bool, env_int, env_list, env_secret, env_str


def test_booleans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_X", raising=False)
    assert env_bool("ACCORD_X", default=True) is True
    for value, expected in [("true", True), ("1", True), ("Off", False), ("no", False)]:
        monkeypatch.setenv("ACCORD_X", value)
        assert env_bool("ACCORD_X") is expected
    monkeypatch.setenv("ACCORD_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ACCORD_X must be true or false, not 'maybe'"):
        env_bool("ACCORD_X")


def test_integers_strings_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_N", raising=False)
    assert env_int("ACCORD_N", 5) == 5
    monkeypatch.setenv("ACCORD_N", "12")
    assert env_int("ACCORD_N", 5) == 12
    monkeypatch.setenv("ACCORD_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="ACCORD_N must be a whole number"):
        env_int("ACCORD_N", 5)
    monkeypatch.setenv("ACCORD_HOSTS", " a.example, ,b.example ")
    assert env_list("ACCORD_HOSTS") == ["a.example", "b.example"]
    assert env_str("ACCORD_UNSET_FOR_TEST", "fallback") == "fallback"


def test_secrets_come_from_the_variable_or_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ACCORD_S", raising=False)
    monkeypatch.delenv("ACCORD_S_FILE", raising=False)
    assert env_secret("ACCORD_S", "default") == "default"
    monkeypatch.setenv("ACCORD_S", "inline")
    assert env_secret("ACCORD_S") == "inline"
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("ACCORD_S_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="set ACCORD_S or ACCORD_S_FILE, not both"):
        env_secret("ACCORD_S")
    monkeypatch.delenv("ACCORD_S")
    assert env_secret("ACCORD_S") == "from-file"
    monkeypatch.setenv("ACCORD_S_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="ACCORD_S_FILE: cannot read"):
        env_secret("ACCORD_S")
