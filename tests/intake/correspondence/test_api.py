"""What the office sent, by the filing API: open requests with their due dates and citations,
a CIP copy uploaded in answer, the documents issued, each as a PDF; another provider's token
gets 404 on every one of them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clocks
from core.auth.rules import Role
from core.db import db
from intake import services as intake
from intake.ai import services as ai_services
from intake.correspondence import requests as sent_requests
from intake.correspondence import services
from intake.correspondence.rules import SentBy
from intake.examples import payload
from intake.models import DepartmentRequest
from tests.factories import file_report, make_provider, make_user
from tests.pdftext import pdf_text

TODAY = clocks.office_today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _token(provider) -> str:
    _, plaintext = intake.issue_token(provider, label="Filing system", actor=make_user(Role.ADMIN))
    db.session.commit()
    return plaintext


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def asked(app):
    """A provider asked for its CIP (sent) and for more about a report (not yet sent), its
    token, and another provider's token."""
    provider = make_provider("Redwood GPU Cloud, Inc.")
    analyst = make_user()
    cip = intake.request_cip_copy(provider, reseller=None, requested_on=TODAY, actor=analyst,
                                  today=TODAY)  # fmt: skip
    services.record_sent(sent_requests.sent_of(cip), sent_on=TODAY, sent_by=SentBy.EMAIL)
    report = file_report(provider)
    information = ai_services.request_information(
        report, requested_on=TODAY, note="The quota.", actor=analyst, today=TODAY
    )
    db.session.commit()
    return cip.id, information.id, _token(provider), _token(make_provider("Elsewhere Cloud"))


def test_open_requests_are_listed_with_their_due_dates_and_how_each_is_answered(client, asked):
    cip_id, information_id, token, _ = asked
    answer = client.get("/api/v1/requests", headers=_auth(token))
    assert answer.status_code == 200
    by_id = {entry["request_id"]: entry for entry in answer.json["requests"]}
    cip = by_id[cip_id]
    assert (cip["kind"], cip["citation"]) == ("cip_copy_request", "§7.305(a)")
    assert cip["sent_on"] == TODAY.isoformat()
    assert cip["due_on"] == (TODAY + timedelta(days=10)).isoformat()
    assert cip["answered_by"]["href"] == f"/api/v1/requests/{cip_id}/response"
    follow_up = by_id[information_id]
    assert (follow_up["citation"], follow_up["sent_on"], follow_up["due_on"]) == (
        "§7.308(e)",
        None,
        None,
    )
    assert follow_up["answered_by"] == {
        "method": "POST",
        "href": "/api/v1/filings",
        "filing_kind": "ai_follow_up_report",
        "description": "File a follow-up report (§7.308(c)(3)) with request_number "
        f"{information_id} and the date the request was received",
    }


def test_a_cip_copy_uploaded_by_api_answers_the_request_and_meets_its_clock(client, asked):
    cip_id, information_id, token, _ = asked
    url = f"/api/v1/requests/{cip_id}/response"
    answer = client.post(url, data=PDF, headers=_auth(token), content_type="application/pdf")
    assert answer.status_code == 201
    assert answer.json["answered_on"] == TODAY.isoformat()
    request = db.session.get(DepartmentRequest, cip_id)
    assert request.response_document.content == PDF
    assert request.deadline.met_on == TODAY
    again = client.post(url, data=PDF, headers=_auth(token), content_type="application/pdf")
    assert again.status_code == 409
    listed = client.get("/api/v1/requests", headers=_auth(token)).json["requests"]
    assert [entry["request_id"] for entry in listed] == [information_id]


def test_a_response_that_is_not_a_cip_copy_is_refused_and_nothing_is_stored(client, asked):
    cip_id, information_id, token, _ = asked
    url = f"/api/v1/requests/{cip_id}/response"
    disguised = client.post(url, data=b"MZ\x90\x00", headers=_auth(token),
                            content_type="application/pdf")  # fmt: skip
    assert disguised.status_code == 422
    assert client.post(url, data=PDF, headers=_auth(token),
                       content_type="text/plain").status_code == 415  # fmt: skip
    follow_up = client.post(f"/api/v1/requests/{information_id}/response", data=PDF,
                            headers=_auth(token), content_type="application/pdf")  # fmt: skip
    assert follow_up.status_code == 409
    assert "follow-up report" in follow_up.json["detail"]
    assert db.session.get(DepartmentRequest, cip_id).responded_on is None
    untyped = client.post(url, data=PDF, headers=_auth(token),
                          content_type="application/octet-stream")  # fmt: skip
    assert untyped.status_code == 201
    assert db.session.get(DepartmentRequest, cip_id).response_document.filename.endswith(".pdf")


def test_documents_issued_are_listed_a_page_at_a_time_and_read_as_pdf(client, asked):
    _, _, token, _ = asked
    listed = client.get("/api/v1/correspondence?per_page=1", headers=_auth(token))
    assert listed.status_code == 200
    assert (listed.json["total"], len(listed.json["correspondence"])) == (2, 1)
    newest = listed.json["correspondence"][0]
    assert newest["kind"] == "information_request" and newest["delivery"] == "queued"
    second = client.get("/api/v1/correspondence?per_page=1&page=2", headers=_auth(token))
    assert second.json["correspondence"][0]["kind"] == "cip_copy_request"
    entry = client.get(newest["links"]["self"], headers=_auth(token))
    assert entry.json == newest
    document = client.get(newest["links"]["document"], headers=_auth(token))
    assert document.mimetype == "application/pdf"
    assert "15 CFR 7.308(e)" in pdf_text(document.data)
    # Read before any email reached the provider: this is its receipt.
    after = client.get(newest["links"]["self"], headers=_auth(token)).json
    assert (after["sent_on"], after["sent_by"]) == (TODAY.isoformat(), "api")
    assert client.get("/api/v1/correspondence?page=0", headers=_auth(token)).status_code == 400


def test_another_providers_token_gets_404_on_every_request_and_document(client, asked):
    cip_id, information_id, token, stranger = asked
    entries = client.get("/api/v1/correspondence", headers=_auth(token)).json["correspondence"]
    assert client.get("/api/v1/requests", headers=_auth(stranger)).json["requests"] == []
    assert client.get("/api/v1/correspondence", headers=_auth(stranger)).json["total"] == 0
    for request_id in (cip_id, information_id):
        refused = client.post(f"/api/v1/requests/{request_id}/response", data=PDF,
                              headers=_auth(stranger), content_type="application/pdf")  # fmt: skip
        assert refused.status_code == 404
    for entry in entries:
        for url in entry["links"].values():
            assert client.get(url, headers=_auth(stranger)).status_code == 404
    assert db.session.get(DepartmentRequest, cip_id).responded_on is None


def test_a_receipt_links_its_pdf(client, asked):
    _, _, token, _ = asked
    filed = client.post(
        "/api/v1/filings", headers={**_auth(token), "Idempotency-Key": "k1"},
        json={"kind": "cip_certification", "payload": payload("cip_certification")},
    )  # fmt: skip
    pdf = client.get(filed.json["links"]["receipt_pdf"], headers=_auth(token))
    assert "Acknowledgement of receipt" in pdf_text(pdf.data)
