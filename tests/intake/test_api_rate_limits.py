"""The filing API's rate limit: each token has its own allowance, shared by every route it
uses, and a refusal is a problem document with Retry-After (figures named by each test)."""

import re

import pytest
from sqlalchemy import func, select

from core.auth.rules import Role
from core.db import db
from intake import services
from intake.examples import payload
from intake.models import Filing
from tests.factories import make_provider, make_user

WAIT = r"; try again in (\d+ seconds?|1 minute)\."
WITH_TOKEN = re.compile(f"Too many requests with this token{WAIT}")


@pytest.fixture
def tokens(app):
    admin = make_user(Role.ADMIN)
    made = [
        services.issue_token(make_provider(name), label="compliance system", actor=admin)[1]
        for name in ("Redwood GPU Cloud, Inc.", "Lakeshore Servers, Inc.")
    ]
    db.session.commit()
    app.config["RATELIMIT_FILING_API"] = "3 per minute"
    return made


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _status(client, token):
    return client.get("/api/v1/filings/OICTS-2027-000001", headers=_bearer(token))


def _refused(response, refusal=WITH_TOKEN):
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/api/v1/problems/rate-limited")
    assert refusal.fullmatch(response.json["detail"])
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_each_token_is_counted_apart_whatever_address_it_comes_from(client, tokens):
    first, second = tokens
    for _ in range(3):  # refusals roll their request back, and are counted all the same
        assert _status(client, first).status_code == 404
    _refused(_status(client, first))
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    _refused(_status(client, first))
    assert _status(client, second).status_code == 404


def test_filing_and_reading_count_on_one_allowance_and_a_refused_filing_stores_nothing(
    client, tokens
):
    token = tokens[0]

    def file(key):
        return client.post(
            "/api/v1/filings",
            json={"kind": "cip_certification", "payload": payload("cip_certification")},
            headers={**_bearer(token), "Idempotency-Key": key},
        )

    receipt = file("key-1").json["receipt_number"]
    assert client.get(f"/api/v1/filings/{receipt}", headers=_bearer(token)).status_code == 200
    assert _status(client, token).status_code == 404
    _refused(file("key-2"))
    assert db.session.scalar(select(func.count(Filing.id))) == 1


def test_requests_without_a_token_are_counted_by_address(client, tokens):
    for _ in range(3):
        assert client.get("/api/v1/filings/OICTS-2027-000001").status_code == 401
    without = re.compile(f"Too many requests without a token from this address{WAIT}")
    _refused(client.get("/api/v1/filings/OICTS-2027-000001"), without)
    assert _status(client, tokens[0]).status_code == 404
