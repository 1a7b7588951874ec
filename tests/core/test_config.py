"""Start-up settings: production refuses to run without its secrets (development makes its own),
and serves its session cookie over HTTPS only."""

import json

import pytest

from app import create_app
from core import config
from core.config import SECRET_NAMES, ConfigurationError


def test_production_without_a_secret_stops_start_up_naming_it(monkeypatch, tmp_path):
    monkeypatch.setenv("OICTS_ENV", "production")
    monkeypatch.delenv("FIELD_ENCRYPTION_KEY")
    monkeypatch.setenv("SEARCH_HASH_KEY", "")
    with pytest.raises(ConfigurationError) as refused:
        config.load(tmp_path)
    assert "FIELD_ENCRYPTION_KEY, SEARCH_HASH_KEY" in str(refused.value)
    assert not (tmp_path / "secrets.json").exists()
    with pytest.raises(ConfigurationError):
        create_app({"TESTING": True})


def test_development_makes_its_missing_secrets_once_and_keeps_them(monkeypatch, tmp_path):
    for name in SECRET_NAMES:
        monkeypatch.delenv(name)
    first = config.load(tmp_path)
    again = config.load(tmp_path)
    assert all(first[name] and first[name] == again[name] for name in SECRET_NAMES)
    assert set(json.loads((tmp_path / "secrets.json").read_text())) == set(SECRET_NAMES)
    assert first["SESSION_COOKIE_SECURE"] is False


def test_production_with_its_secrets_starts_and_sends_the_cookie_over_https_only(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("OICTS_ENV", "production")
    loaded = config.load(tmp_path)
    assert loaded["OICTS_ENV"] == "production"
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secrets.json").exists()


def test_an_unknown_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("OICTS_ENV", "prod")
    with pytest.raises(ConfigurationError, match="development, production"):
        config.load(tmp_path)


def test_the_rate_limits_figures_and_storage_can_be_set_in_the_environment(monkeypatch, tmp_path):
    defaults = config.load(tmp_path)
    assert defaults["RATELIMIT_SIGN_IN_PER_ADDRESS"] == "20 per 15 minutes"
    assert "RATELIMIT_STORAGE_URI" not in defaults  # chosen by database: core/rate_limits
    monkeypatch.setenv("RATELIMIT_SIGN_IN_PER_ADDRESS", "5 per minute")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    loaded = config.load(tmp_path)
    assert loaded["RATELIMIT_SIGN_IN_PER_ADDRESS"] == "5 per minute"
    assert loaded["RATELIMIT_STORAGE_URI"] == "memory://"
