"""Counts that every worker and machine sees: two applications on one PostgreSQL database (as
two gunicorn workers, or two machines, are) refuse together, with no mock between them."""

import pytest
from flask import Flask

from core.db import db
from tests.conftest import make_app

THREE = "3 per 15 minutes"
ADDRESS = "203.0.113.66"


def _fail_to_sign_in(app: Flask, address: str = ADDRESS) -> int:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post(
        "/login",
        data={"acknowledge": "y", "email": "nobody@oicts.example", "password": "nope-nope-nope"},
    )
    return response.status_code


def _close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_applications_on_one_database_count_together(app, database_url):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite, the embedded single-process set-up, each process counts alone")
    app.config["RATELIMIT_SIGN_IN_PER_ADDRESS"] = THREE
    second = make_app(database_url, RATELIMIT_SIGN_IN_PER_ADDRESS=THREE)
    try:
        assert [_fail_to_sign_in(app) for _ in range(2)] == [200, 200]
        assert _fail_to_sign_in(second) == 200
        assert _fail_to_sign_in(app) == 429  # the third failure was counted by the other
        assert _fail_to_sign_in(second) == 429
        assert _fail_to_sign_in(second, "198.51.100.10") == 200
    finally:
        _close(second)


def test_the_application_role_keeps_the_counters(production_database):
    """The role production connects as may write the counters (`flask db grant-app-role`)."""
    application = make_app(
        production_database.application_url, RATELIMIT_SIGN_IN_PER_ADDRESS="1 per 15 minutes"
    )
    try:
        assert [_fail_to_sign_in(application) for _ in range(2)] == [200, 429]
    finally:
        _close(application)
