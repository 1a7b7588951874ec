"""Providers' systems filing by API: tokens, idempotency, validation-only, clear 4xx answers."""

import json

import pytest
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from intake import services
from intake.ai import services as ai_services
from intake.examples import BY_KIND, payload
from intake.models import Filing
from tests.factories import make_provider, make_user
from tests.pdftext import pdf_text


@pytest.fixture
def token(app):
    provider = make_provider("Redwood GPU Cloud, Inc.")
    _, plaintext = services.issue_token(
        provider, label="Redwood compliance system", actor=make_user(Role.ADMIN)
    )
    db.session.commit()
    return plaintext


def _post(client, token, body, *, key="key-1", query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"/api/v1/filings{query}", data=data, headers=headers, content_type="application/json"
    )


def _count_filings():
    return db.session.scalar(select(func.count(Filing.id)))


def test_a_certification_filed_twice_with_one_key_is_one_filing(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    first = _post(client, token, body)
    assert first.status_code == 201
    receipt = first.json["receipt_number"]
    again = _post(client, token, body)
    assert again.status_code == 200
    assert again.json["receipt_number"] == receipt
    assert again.json["replayed"] is True
    assert _count_filings() == 1
    status = client.get(f"/api/v1/filings/{receipt}", headers={"Authorization": f"Bearer {token}"})
    assert status.json["status"] == "accepted"


def test_the_same_key_with_different_content_is_a_conflict(client, token):
    _post(client, token, {"kind": "cip_certification", "payload": payload("cip_certification")})
    changed = payload("cip_certification", employee_count=1)
    response = _post(client, token, {"kind": "cip_certification", "payload": changed})
    assert response.status_code == 409
    assert response.json["type"].endswith("/api/v1/problems/idempotency-conflict")
    assert "already used" in response.json["detail"]
    assert _count_filings() == 1


def test_validation_only_stores_nothing_and_answers_like_a_filing(client, token):
    good = {"kind": "cip_certification", "payload": payload("cip_certification")}
    checked = _post(client, token, good, key=None, query="?validate_only=true")
    assert checked.status_code == 200
    assert checked.json == {
        "valid": True,
        "stored": False,
        "warnings": [],
        "rules_version": checked.json["rules_version"],
    }
    bad = {"kind": "cip_certification", "payload": payload("cip_certification", customer_count="x")}
    refused = _post(client, token, bad, key=None, query="?validate_only=true")
    assert refused.status_code == 422
    assert refused.json["errors"] == [
        {
            "field": "customer_count",
            "message": "must be a whole number, e.g. 1250",
            "citation": "§7.304(a)(2)(vi)",
        }
    ]
    assert _count_filings() == 0


@pytest.mark.parametrize(
    ("body", "status", "kind", "field"),
    [
        ("{not json", 400, "invalid-request", ""),
        ("[1, 2]", 400, "invalid-request", ""),
        ({"kind": "tax_return", "payload": {}}, 422, "invalid-submission", "kind"),
        ({"kind": "cip_certification", "payload": "text"}, 422, "invalid-submission", ""),
        ({"kind": "cip_certification", "payload": {}, "extra": 1}, 422, "invalid-submission",
         "extra"),
    ],
)  # fmt: skip
def test_bad_requests_get_clear_4xx_answers(client, token, body, status, kind, field):
    response = _post(client, token, body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith(f"/problems/{kind}")
    assert "nothing was stored" in response.json["title"]
    assert field in [error["field"] for error in response.json["errors"]]
    assert _count_filings() == 0


def test_errors_name_the_field_path_and_the_paragraph(client, token):
    data = payload("cip_certification")
    data["unverified_accounts"][0]["provisioned_on"] = "yesterday"
    response = _post(client, token, {"kind": "cip_certification", "payload": data})
    assert response.status_code == 422
    assert {
        "field": "unverified_accounts[0].provisioned_on",
        "message": "must be a date written YYYY-MM-DD, e.g. 2024-02-01",
        "citation": "§7.304(a)(2)(ix)(A)",
    } in response.json["errors"]


def test_missing_unknown_and_revoked_tokens_are_refused(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    missing = _post(client, None, body)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert _post(client, "oicts_not-a-real-token", body).status_code == 401
    issued = db.session.scalars(select(services.ApiToken)).one()
    services.revoke_token(issued, actor=make_user(Role.ADMIN))
    db.session.commit()
    revoked = _post(client, token, body)
    assert revoked.status_code == 401
    assert "revoked" in revoked.json["detail"]


def test_a_filing_needs_an_idempotency_key_and_json(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    assert _post(client, token, body, key=None).status_code == 400
    wrong_type = client.post(
        "/api/v1/filings",
        data="kind=x",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"},
        content_type="application/x-www-form-urlencoded",
    )
    assert wrong_type.status_code == 415


@pytest.mark.parametrize("value", ["null", "", "1", "yes", "True"])
def test_validate_only_other_than_true_or_false_is_refused_and_nothing_is_filed(
    client, token, value
):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    response = _post(client, token, body, query=f"?validate_only={value}")
    assert response.status_code == 400
    assert response.json["errors"] == [
        {"field": "validate_only", "message": "must be true or false, given once", "citation": ""}
    ]
    assert _count_filings() == 0


def test_validate_only_false_files_and_given_twice_is_refused(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    twice = _post(client, token, body, query="?validate_only=true&validate_only=true")
    assert twice.status_code == 400
    assert _post(client, token, body, query="?validate_only=false").status_code == 201
    assert _count_filings() == 1


@pytest.mark.parametrize("query", ["", "?validate_only=true"])
def test_a_blank_idempotency_key_is_refused_even_for_a_check(client, token, query):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    response = _post(client, token, body, key=" ", query=query)
    assert response.status_code == 400
    assert response.json["errors"] == [
        {"field": "Idempotency-Key", "message": "must not be blank", "citation": ""}
    ]
    assert _count_filings() == 0


def test_a_provider_cannot_read_another_providers_filing(client, token):
    other = make_provider("Another Cloud LLC")
    _, other_token = services.issue_token(other, label="other", actor=make_user(Role.ADMIN))
    db.session.commit()
    response = _post(
        client, other_token, {"kind": "cip_certification", "payload": payload("cip_certification")}
    )
    receipt = response.json["receipt_number"]
    peek = client.get(f"/api/v1/filings/{receipt}", headers={"Authorization": f"Bearer {token}"})
    assert peek.status_code == 404


def test_the_openapi_document_validates_and_every_kind_in_it_can_be_filed(client, token):
    document = client.get("/api/v1/openapi.json").json
    validate_openapi(document)
    envelopes = document["paths"]["/filings"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]["oneOf"]
    kinds = [
        document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["properties"]["kind"][
            "enum"
        ][0]
        for ref in envelopes
    ]
    assert set(kinds) == set(BY_KIND)
    filed: dict[str, str] = {}
    for number, kind in enumerate(kinds):
        body = {"kind": kind, "payload": _in_context(kind, filed)}
        if kind == "ai_corrected_report":  # §7.308(c)(4): it names the report it corrects
            body["supersedes"] = filed["ai_initial_report"]
        response = _post(client, token, body, key=f"k-{number}")
        assert response.status_code == 201, response.json
        assert response.json["kind"] == kind
        filed[kind] = response.json["receipt_number"]


def _in_context(kind, filed):
    """The example payload, answering a real request when it is a follow-up report (§7.308(e))."""
    if kind != "ai_follow_up_report":
        return payload(kind)
    today = office_today()
    request = ai_services.request_information(
        services.get_filing(filed["ai_initial_report"]), requested_on=today,
        note="The quota limiting the run.", actor=make_user(Role.ANALYST), today=today,
    )  # fmt: skip
    db.session.commit()
    return payload(kind, request_number=request.id, request_received_on=today.isoformat())


def test_the_api_path_and_the_web_form_give_the_same_errors(client, token):
    bad = payload("irregular_update", new_contact_email="not-an-email")
    api_errors = _post(client, token, {"kind": "irregular_update", "payload": bad}).json["errors"]
    provider = make_provider()
    with pytest.raises(services.FilingRejected) as rejected:
        services.receive_filing(
            provider,
            services.Submission("irregular_update", bad, json.dumps(bad), channel="web"),
        )
    assert api_errors == [problem.as_dict() for problem in rejected.value.problems]


def test_two_requests_racing_with_one_key_get_one_filing_and_the_same_receipt(
    client, token, monkeypatch
):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    first = _post(client, token, body, key="race")
    # The second request looked for the key before the first had committed, so it stores too
    # and meets the unique key: it must answer with the first filing's receipt.
    looked = iter([None])
    original = services._replayed
    monkeypatch.setattr(
        services,
        "_replayed",
        lambda provider, submission: next(looked, None) or original(provider, submission),
    )
    second = _post(client, token, body, key="race")
    assert second.status_code == 200
    assert second.json["receipt_number"] == first.json["receipt_number"]
    assert second.json["replayed"] is True
    assert _count_filings() == 1


def test_a_failure_inside_the_api_answers_json_with_a_reference(client, token, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "receive_filing", broken)
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    response = _post(client, token, body)
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "The system could not complete the request; nothing was stored"
    assert response.json["reference"] == response.headers["X-Request-ID"]
    assert response.json["reference"] in response.json["detail"]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_every_refusal_of_a_filing_is_a_problem_document_naming_what_to_fix(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    filed = _post(client, token, body, key="first")
    answers = {
        400: _post(client, token, body, key=None),
        401: _post(client, None, body),
        404: client.get("/api/v1/filings/OICTS-1999-000001", headers=_bearer(token)),
        409: _post(client, token, {**body, "payload": payload("cip_certification",
                                                                employee_count=3)}, key="first"),
        415: client.post("/api/v1/filings", data="kind=x", headers=_bearer(token),
                         content_type="application/x-www-form-urlencoded"),
        422: _post(client, token, {"kind": "cip_certification", "payload": {}}),
    }  # fmt: skip
    for status, answer in answers.items():
        assert answer.status_code == status
        assert answer.headers["Content-Type"] == "application/problem+json"
        problem = answer.json
        assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem)
        assert (problem["status"], problem["instance"]) == (status, answer.request.path)
    assert answers[400].json["errors"] == [
        {"field": "Idempotency-Key", "message": "is required, so that a retry never files twice",
         "citation": ""}
    ]  # fmt: skip
    assert answers[401].headers["WWW-Authenticate"].startswith("Bearer")
    assert answers[415].json["detail"] == "Send the filing as application/json."
    assert {"field": "customer_count", "message": "is required: Number of IaaS customers",
            "citation": "§7.304(a)(2)(vi)"} in answers[422].json["errors"]  # fmt: skip
    assert _count_filings() == 1 and filed.status_code == 201


def test_a_body_larger_than_the_system_takes_is_a_problem_document(client, token):
    client.application.config["MAX_CONTENT_LENGTH"] = 1000
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    response = _post(client, token, body)
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["detail"] == "The body is larger than the system accepts."


def test_a_provider_downloads_the_acknowledgement_of_its_own_filing(client, token):
    body = {"kind": "cip_certification", "payload": payload("cip_certification")}
    receipt = _post(client, token, body).json["receipt_number"]
    pdf = client.get(f"/api/v1/filings/{receipt}/receipt.pdf", headers=_bearer(token))
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Acknowledgement of receipt" in text
    assert receipt in text
    assert "Redwood GPU Cloud, Inc." in text
    event = db.session.scalars(select(AuditEvent).filter_by(action="export.receipt")).one()
    assert (event.actor_label, event.subject_id) == ("api token Redwood compliance system",
                                                     receipt)  # fmt: skip

    other = make_provider("Another Cloud LLC")
    _, stranger = services.issue_token(other, label="other", actor=make_user(Role.ADMIN))
    db.session.commit()
    hidden = client.get(f"/api/v1/filings/{receipt}/receipt.pdf", headers=_bearer(stranger))
    assert hidden.status_code == 404
    assert hidden.headers["Content-Type"] == "application/problem+json"
    assert hidden.json["detail"] == "No filing of yours has that receipt number."
    assert client.get(f"/api/v1/filings/{receipt}/receipt.pdf").status_code == 401
