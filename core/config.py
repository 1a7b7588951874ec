"""Configuration from the environment. In development, missing secrets are generated once under
``instance/``; in production (``OICTS_ENV=production``) a missing secret stops start-up, since a
generated one would leave the encrypted fields and the audit seals of another machine unreadable.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.auth.rules import ABSOLUTE_TIMEOUT
from core.notifications.transport import mail_settings

SECRET_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "SEARCH_HASH_KEY", "AUDIT_CHAIN_KEY")
ENVIRONMENTS = ("development", "production")


class ConfigurationError(RuntimeError):
    """A setting the application cannot start without; the message says which and how."""


def _listed(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _new_secret(name: str) -> str:
    if name == "FIELD_ENCRYPTION_KEY":
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    return secrets.token_urlsafe(48)


def _instance_secrets(instance_path: Path) -> dict[str, str]:
    """Secrets for a development instance, made once and kept outside git in ``instance/``.

    Production sets every one of SECRET_NAMES in the environment instead.
    """
    path = instance_path / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in SECRET_NAMES if name not in stored]
    if missing:
        stored.update({name: _new_secret(name) for name in missing})
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


# The figures of the rate limits (core/rate_limits), each a rate such as "20 per 15 minutes".
# After 20 failed sign-ins in its window an address is refused, so one address locks at most
# four accounts (five failures each, core/auth/rules.py) before it is slowed, while an office
# behind one address keeps room for its typing mistakes. An account is refused after twice the
# failures that lock it, so guessing at a locked account stops costing a password hash a try.
RATE_LIMITS = {
    "RATELIMIT_SIGN_IN_PER_ADDRESS": "20 per 15 minutes",
    "RATELIMIT_SIGN_IN_PER_ACCOUNT": "10 per 15 minutes",
    "RATELIMIT_FILING_API": "120 per minute",
    "RATELIMIT_PUBLIC_FEED": "60 per minute",
    # "Forgot password?" sends an email each time: a few an hour for one account is plenty for
    # its owner and too few to fill their mailbox; an office behind one address has room.
    "RATELIMIT_PASSWORD_RESET_PER_ADDRESS": "10 per hour",
    "RATELIMIT_PASSWORD_RESET_PER_ACCOUNT": "3 per hour",
    # Reports of violations from the public page (§7.310), per address: a reporter with more to
    # say sends a few; an office behind one address has room; a script filling the queue stops.
    "RATELIMIT_VIOLATION_REPORTS": "10 per hour",
}


def _rate_limits(env: Mapping[str, str]) -> dict[str, str]:
    """The limits' figures, and where they are counted when the environment names it (else
    core/rate_limits/rules.py chooses by database)."""
    chosen = {name: env.get(name, figure) for name, figure in RATE_LIMITS.items()}
    if env.get("RATELIMIT_STORAGE_URI"):
        chosen["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
    return chosen


def load(instance_path: Path) -> dict[str, Any]:
    env = os.environ
    environment = env.get("OICTS_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(f"OICTS_ENV must be one of {', '.join(ENVIRONMENTS)}.")
    production = environment == "production"
    config: dict[str, Any] = {
        "OICTS_ENV": environment,
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'oicts.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Production serves HTTPS only, so the session cookie is never sent in clear.
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "1" if production else "0")
        == "1",
        "SESSION_COOKIE_NAME": "oicts_session",
        "PERMANENT_SESSION_LIFETIME": ABSOLUTE_TIMEOUT,
        "WTF_CSRF_TIME_LIMIT": int(timedelta(hours=1).total_seconds()),
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        # Set to the number of reverse proxies in front of the app, so that client addresses
        # and HTTPS are read from their headers.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "OFFICE_NAME": "Office of Information and Communications Technology and Services",
        # Keys that sealed audit events before AUDIT_CHAIN_KEY replaced them, comma-separated:
        # kept so that the older events still verify.
        "AUDIT_CHAIN_RETIRED_KEYS": _listed(env.get("AUDIT_CHAIN_RETIRED_KEYS", "")),
        # Earlier FIELD_ENCRYPTION_KEYs, comma-separated: still read, never written with, until
        # `flask keys rotate` has sealed every field with the current key.
        "FIELD_ENCRYPTION_RETIRED_KEYS": _listed(env.get("FIELD_ENCRYPTION_RETIRED_KEYS", "")),
        # Where `flask audit checkpoint` appends the signed head of the audit chain; the
        # operator ships this file off the database's machine (see the README).
        "AUDIT_CHECKPOINT_PATH": env.get(
            "AUDIT_CHECKPOINT_PATH", str(instance_path / "audit-checkpoints")
        ),
        # The job queue (core.jobs.queue): immediate, sqlite or postgresql; by default the
        # database's own kind. A worker silent this long is taken to have died and its job is
        # run again.
        "JOB_QUEUE": env.get("JOB_QUEUE", ""),
        "JOB_QUEUE_PATH": env.get("JOB_QUEUE_PATH", ""),
        "JOB_LEASE_SECONDS": float(env.get("JOB_LEASE_SECONDS", "30")),
        **_rate_limits(env),
        # Where people open the application, for the links in email (core.notifications).
        "PUBLIC_URL": env.get("PUBLIC_URL", f"http://127.0.0.1:{env.get('PORT', '8000')}"),
        **mail_settings(env),
        # Daily runs moved from their usual time, office time: "risk_snapshot=06:30,...".
        "DAILY_RUN_TIMES": env.get("DAILY_RUN_TIMES", ""),
    }
    missing = [name for name in SECRET_NAMES if not env.get(name)]
    if production and missing:
        raise ConfigurationError(
            f"OICTS_ENV=production needs {', '.join(missing)} in the environment; none is "
            "generated in production. See the README, Configuration."
        )
    if not missing:
        config.update({name: env[name] for name in SECRET_NAMES})
    else:
        config.update(_instance_secrets(instance_path))
        config.update({name: env[name] for name in SECRET_NAMES if env.get(name)})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgres://", "postgresql+psycopg://", 1
        )
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    return config
