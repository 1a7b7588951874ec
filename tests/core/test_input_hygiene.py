"""Control characters and numbers past what a column holds, in forms, address segments, JSON
and CSV: a message at the field or row, never a server error. PostgreSQL cannot store U+0000,
so these show their worth on that database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from casework.models import Assessment
from core import clocks
from core.auth.rules import Role
from core.db import db
from intake import services
from intake.ai import services as ai_services
from intake.examples import payload
from intake.models import Accelerator
from special_measures.models import CongressionalNotice
from tests.factories import (
    file_report,
    log_in,
    log_in_admin,
    make_admin,
    make_measure,
    make_provider,
    make_user,
)

REFUSED = "had a control character (U+0000"
# What a PostgreSQL INTEGER column holds.
MAX_INTEGER = 2**31 - 1
TODAY = clocks.office_today()


@pytest.fixture
def provider_token(app):
    provider = make_provider()
    _, token = services.issue_token(provider, label="system", actor=make_user(Role.ADMIN))
    db.session.commit()
    return provider, {"Authorization": f"Bearer {token}"}


def test_a_nul_in_the_sign_in_email_is_refused_at_the_field(client):
    response = client.post(
        "/login", data={"acknowledge": "y", "email": "a\x00b@example.com", "password": "pw"}
    )
    assert response.status_code == 200
    assert REFUSED in response.text
    assert 'value="ab@example.com"' in response.text


def test_a_receipt_number_with_a_control_character_is_no_page(client, provider_token):
    """Every address with a receipt number in it, staff pages and API alike."""
    _, headers = provider_token
    log_in(client, make_user(Role.ANALYST))
    rules = [
        rule
        for rule in client.application.url_map.iter_rules()
        if rule.arguments == {"receipt_number"}
    ]
    assert len(rules) >= 8
    for rule in rules:
        url = rule.rule.replace("<receipt_number>", "OICTS-2026%00-000001")
        method = "GET" if "GET" in rule.methods else "POST"
        answer = client.open(url, method=method, headers=headers)
        assert answer.status_code == 404, (url, answer.status_code)
        if url.startswith("/api/"):
            assert answer.mimetype == "application/problem+json"


def test_a_nul_in_the_search_is_refused_at_the_field(client):
    log_in(client, make_user(Role.ANALYST))
    response = client.post("/intake/search", data={"q": "kestrel\x00"})
    assert response.status_code == 422
    assert REFUSED in response.text


def test_a_nul_in_an_information_request_note_is_taken_out(client):
    report = file_report(make_provider())
    log_in(client, make_user(Role.ANALYST))
    sent = client.post(
        f"/intake/filings/{report.receipt_number}/information-requests",
        data={"requested_on": TODAY.isoformat(), "note": "Explain\x00 the\tquota.\r\nThanks"},
    )
    assert sent.status_code == 302
    (request,) = ai_services.information_requests_of(report)
    assert request.note == "Explain the\tquota.\r\nThanks"


def test_a_nul_in_an_assessment_scope_is_taken_out(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    opened = client.post(
        f"/casework/providers/{provider.id}/assessments/new",
        data={"origin": "REFERRAL", "scope": "The CIP\x00 as filed", "origin_note": "\x1b[2J"},
    )
    assert opened.status_code == 302
    assessment = db.session.execute(select(Assessment)).scalar_one()
    assert assessment.scope == "The CIP as filed"
    assert assessment.origin_note == "[2J"


def test_a_nul_in_a_notice_addressee_is_refused_at_the_field(client):
    case = make_measure(date(2027, 3, 1))
    log_in(client, make_user(Role.ANALYST))
    notice = case.notices[0]
    before = notice.addressee
    response = client.post(
        f"/special-measures/notices/{notice.id}/addressee", data={"addressee": "The Chair\x00"}
    )
    assert response.status_code == 422
    assert REFUSED in response.text
    assert db.session.get(CongressionalNotice, notice.id).addressee == before


ACCELERATOR = {
    "vendor": "Cerulean",
    "model": "CX-9",
    "peak_dense_ops_per_second": "1.2e15",
    "number_format": "BF16 dense",
    "source": "Cerulean CX-9 datasheet (2026)",
}


def test_a_nul_in_an_accelerator_number_format_is_refused_at_the_field(client):
    log_in_admin(client, make_admin())
    response = client.post(
        "/intake/accelerators/new", data=ACCELERATOR | {"number_format": "BF16\x00"}
    )
    assert response.status_code == 422
    assert REFUSED in response.text


def test_an_accelerator_edit_without_its_figure_keeps_the_figure(client):
    log_in_admin(client, make_admin())
    client.post("/intake/accelerators/new", data=ACCELERATOR)
    accelerator = db.session.execute(
        select(Accelerator).where(Accelerator.model == "CX-9")
    ).scalar_one()
    edit = {key: value for key, value in ACCELERATOR.items() if key != "peak_dense_ops_per_second"}
    response = client.post(
        f"/intake/accelerators/{accelerator.id}", data=edit | {"source": "Datasheet rev. 2"}
    )
    assert response.status_code == 302
    db.session.refresh(accelerator)
    assert accelerator.source == "Datasheet rev. 2"
    assert accelerator.peak_dense_ops_per_second == 1.2e15


@pytest.mark.parametrize("figure", ["1e309", "99e999"])
def test_a_figure_past_what_a_number_holds_is_refused_at_the_field(client, figure):
    log_in_admin(client, make_admin())
    response = client.post(
        "/intake/accelerators/new", data=ACCELERATOR | {"peak_dense_ops_per_second": figure}
    )
    assert response.status_code == 422
    assert "Write a positive number" in response.text


def _file(client, headers, body, *, query=""):
    return client.post(
        f"/api/v1/filings{query}",
        data=json.dumps(body),
        headers=headers | {"Idempotency-Key": "k-1"},
        content_type="application/json",
    )


def test_a_control_character_in_supersedes_is_a_field_problem(client, provider_token):
    _, headers = provider_token
    body = {
        "kind": "cip_certification",
        "payload": payload("cip_certification"),
        "supersedes": "OICTS-2026-0\x00",
    }
    answer = _file(client, headers, body)
    assert answer.status_code == 422
    (error,) = answer.json["errors"]
    assert error["field"] == "supersedes"
    assert "control characters (it has U+0000 at character 13)" in error["message"]


def test_a_control_character_in_a_payload_string_is_a_field_problem(client, provider_token):
    _, headers = provider_token
    body = {
        "kind": "cip_certification",
        "payload": payload(
            "cip_certification",
            verification_tools="Document checks.\nLiveness\x00 video.",
            primary_contact_name="Dana\tReyes",
        ),
    }
    answer = _file(client, headers, body)
    assert answer.status_code == 422
    fields = [error["field"] for error in answer.json["errors"]]
    assert fields == ["verification_tools", "primary_contact_name"]
    assert "U+0000 at character 26" in answer.json["errors"][0]["message"]
    assert "U+0009 at character 5" in answer.json["errors"][1]["message"]


def test_a_request_number_past_an_integer_column_is_a_field_problem(client, provider_token):
    provider, headers = provider_token
    file_report(provider)
    data = payload(
        "ai_follow_up_report", request_number=2**40, request_received_on=TODAY.isoformat()
    )
    body = {"kind": "ai_follow_up_report", "payload": data}
    answer = _file(client, headers, body, query="?validate_only=true")
    assert answer.status_code == 422
    (error,) = answer.json["errors"]
    assert error["field"] == "request_number"
    assert error["message"] == f"must be at most {MAX_INTEGER:,}"


def test_every_integer_a_filing_takes_is_bounded_in_the_published_document(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    payloads = {name: schema for name, schema in schemas.items() if name.endswith("Payload")}
    integers = []

    def note_integer(node: dict) -> dict:
        kinds = node.get("type")
        if "integer" in (kinds if isinstance(kinds, list) else [kinds]):
            integers.append(node)
        return node

    json.loads(json.dumps(payloads), object_hook=note_integer)
    assert len(integers) >= 10
    assert all(schema.get("maximum") == MAX_INTEGER for schema in integers), integers


def test_an_ip_log_cell_past_the_csv_field_limit_is_a_row_problem(client, provider_token):
    provider, headers = provider_token
    report = file_report(provider, ip_accesses=[])
    log = (
        "ip_address,accessed_at,action\n"
        "203.0.113.7,2027-01-05T14:00:00-05:00,access\n"
        f"203.0.113.7,{'9' * 131_073},access\n"
        "203.0.113.7,yesterday,access\n"
    )
    received = client.post(
        f"/api/v1/filings/{report.receipt_number}/ip-log",
        data=log.encode(),
        headers=headers,
        content_type="text/csv",
    )
    answer = client.get(received.headers["Location"], headers=headers)
    assert answer.json["status"] == "rejected"
    first, second = answer.json["errors"]
    assert (first["row"], first["field"]) == (3, "")
    assert "has a cell longer than 131,072 characters" in first["message"]
    assert (second["row"], second["field"]) == (4, "accessed_at")


def test_a_control_character_in_an_api_token_name_is_refused_at_the_field(client):
    provider = make_provider()
    log_in_admin(client, make_admin())
    response = client.post(
        "/intake/api-tokens", data={"provider": str(provider.id), "label": "Redwood\x00 system"}
    )
    assert response.status_code == 422
    assert "must not contain control characters (it has U+0000 at character 8)" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/?state=%20",
        "/deadlines/?assignee=%20&module=%20%20&clock=%09",
        "/admin/outbox?state=%20",
        "/admin/audit/?outcome=%20",
    ],
)
def test_a_filter_of_blanks_lists_everything_rather_than_failing(client, path):
    log_in_admin(client, make_admin())
    response = client.get(path)
    assert response.status_code == 200
    assert "Not a valid choice" not in response.text


def test_a_board_printed_with_a_filter_of_blanks_is_the_whole_board(app):
    client = app.test_client()
    log_in(client, make_user(role=Role.ANALYST))
    response = client.post("/deadlines/pdfs", data={"assignee": " ", "module": " "})
    assert response.status_code == 302
    assert "/jobs/" in response.headers["Location"]
