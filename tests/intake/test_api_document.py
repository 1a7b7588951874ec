"""What the document says each answer holds is what the server answers: a client generated from
it sees every field, and a field added or dropped on one side only fails the contract check."""

import pytest

from core.auth.rules import Role
from core.db import db
from intake import api, services
from intake.examples import payload
from tests.api_contract import ContractViolation
from tests.factories import file_report, make_provider, make_user
from tests.intake.resellers.test_import import csv_file, reseller


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _shapes(document, schema):
    """The sets of fields each branch of a (possibly oneOf) response schema lists."""
    schema = _resolve(document, schema)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return [shape for branch in schema[key] for shape in _shapes(document, branch)]
    return [set(schema.get("properties", {}))]


def _documented_shapes(document, path, method, status):
    content = document["paths"][path][method]["responses"][status]["content"]
    return _shapes(document, content["application/json"]["schema"])


@pytest.fixture
def system(app):
    provider = make_provider("Redwood GPU Cloud, Inc.")
    _, token = services.issue_token(provider, label="system", actor=make_user(Role.ADMIN))
    db.session.commit()
    return provider, {"Authorization": f"Bearer {token}"}


def _file(client, headers, query="", key="k-1"):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    return client.post(
        f"/api/v1/filings{query}", json=body, headers={**headers, "Idempotency-Key": key}
    )


def test_every_answer_holds_the_fields_the_document_lists(client, system):
    provider, headers = system
    document = client.get("/api/v1/openapi.json").get_json()
    receipt = _file(client, headers)
    checked = _file(client, headers, query="?validate_only=true", key="k-2")
    report = file_report(provider, ip_accesses=[])
    log = "ip_address,accessed_at,action\r\n203.0.113.7,2027-01-05T14:00:00-05:00,access\r\n"
    received = client.post(f"/api/v1/filings/{report.receipt_number}/ip-log", data=log,
                           headers=headers, content_type="text/csv")  # fmt: skip
    attached = client.get(received.headers["Location"], headers=headers)
    queued = client.post("/api/v1/reseller-certifications", data=csv_file([reseller()]),
                         headers=headers, content_type="text/csv")  # fmt: skip
    imported = client.get(queued.headers["Location"], headers=headers)
    feed = client.get("/api/v1/special-measures")
    answers = [
        (receipt, "/filings", "post", "201"),
        (checked, "/filings", "post", "200"),
        (received, "/filings/{receipt_number}/ip-log", "post", "202"),
        (attached, "/ip-logs/{ip_log_id}", "get", "200"),
        (queued, "/reseller-certifications", "post", "202"),
        (imported, "/reseller-certifications/{import_id}", "get", "200"),
        (feed, "/special-measures", "get", "200"),
    ]
    for answer, path, method, status in answers:
        assert str(answer.status_code) == status, answer.get_json()
        shapes = _documented_shapes(document, path, method, status)
        assert set(answer.get_json()) in shapes, f"{method} {path}"
    (receipt_shape,) = _shapes(document, {"$ref": "#/components/schemas/Receipt"})
    assert set(imported.get_json()["receipt"]) == receipt_shape


def test_an_answer_that_drifts_from_the_document_fails_the_contract_check(
    client, system, monkeypatch
):
    _, headers = system
    original = api._receipt
    monkeypatch.setattr(api, "_receipt", lambda filing, **kw: {**original(filing, **kw), "fee": 0})
    with pytest.raises(ContractViolation, match="POST /api/v1/filings answered 201"):
        _file(client, headers)
    monkeypatch.setattr(
        api, "_receipt", lambda filing, **kw: original(filing, **kw) | {"kind": None}
    )
    with pytest.raises(ContractViolation):
        _file(client, headers, key="k-2")
