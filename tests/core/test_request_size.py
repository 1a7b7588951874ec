"""Bodies over the size limit answer 413 through a real HTTP server, also when they are sent
chunked (no Content-Length), and nothing of them is stored."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core.auth.rules import Role
from core.db import db
from intake import services
from intake.ai import ip_logs
from intake.ai import services as ai_services
from intake.examples import payload
from intake.models import Filing
from tests.factories import file_report, make_provider, make_user

LIMIT = 4000


@pytest.fixture
def server(live_server):
    application, base_url = live_server
    application.config["MAX_CONTENT_LENGTH"] = LIMIT
    return urlsplit(base_url)


@pytest.fixture
def token(server) -> str:
    _, plaintext = services.issue_token(
        make_provider(), label="compliance system", actor=make_user(Role.ADMIN)
    )
    db.session.commit()
    return plaintext


def _pieces(body: bytes, size: int = 500) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _send_chunked(server, path: str, body: bytes, headers: dict[str, str]):
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
    try:
        connection.request("POST", path, body=_pieces(body), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


def _filing_body(padding: int) -> bytes:
    """A valid filing followed by white space: still valid JSON if it were cut anywhere after
    the filing itself, so only the size can refuse it."""
    envelope = {"kind": "cip_certification", "payload": payload("cip_certification")}
    return json.dumps(envelope).encode() + b" " * padding


def _filings() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Filing.id)))


def test_a_chunked_filing_over_the_limit_is_refused_with_a_problem_document(server, token):
    body = _filing_body(LIMIT)
    assert len(body) > LIMIT
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
               "Idempotency-Key": "chunked-1"}  # fmt: skip
    status, content_type, answer = _send_chunked(server, "/api/v1/filings", body, headers)
    assert status == 413
    assert content_type == "application/problem+json"
    assert json.loads(answer)["detail"] == "The body is larger than the system accepts."
    assert _filings() == 0


def test_a_chunked_filing_within_the_limit_is_filed(server, token):
    body = _filing_body(LIMIT - len(_filing_body(0)))
    assert len(body) == LIMIT
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
               "Idempotency-Key": "chunked-2"}  # fmt: skip
    status, _, answer = _send_chunked(server, "/api/v1/filings", body, headers)
    assert status == 201, answer
    assert _filings() == 1


def test_a_chunked_form_over_the_limit_shows_the_error_page(server):
    body = b"email=someone%40example.gov&password=" + b"x" * LIMIT
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, content_type, answer = _send_chunked(server, "/login", body, headers)
    assert status == 413
    assert content_type.startswith("text/html")
    assert "The upload is larger than this system accepts." in answer.decode()


def test_an_ip_log_may_be_larger_than_other_bodies(server, token):
    provider = services.token_for(token).provider
    report = file_report(provider, ip_accesses=[])
    rows = ["203.0.113.7,2027-01-05T14:00:00-05:00,administration"] * 100
    log = ("ip_address,accessed_at,action\n" + "\n".join(rows) + "\n").encode()
    assert LIMIT < len(log) < ip_logs.MAX_IP_LOG_BYTES
    headers = {"Content-Type": "text/csv", "Authorization": f"Bearer {token}"}
    path = f"/api/v1/filings/{report.receipt_number}/ip-log"
    status, _, answer = _send_chunked(server, path, log, headers)
    assert status == 202, answer
    assert json.loads(answer)["size_bytes"] == len(log)
    assert ai_services.access_summary(report).count == 100  # its job ran as the request ended
