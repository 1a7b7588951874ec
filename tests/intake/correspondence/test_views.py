"""The pages say what was sent to a provider, when, by which channel and how its delivery
went: the request's page, the provider's, the document's own, and each module's record."""

from __future__ import annotations

from datetime import timedelta

from casework import services as casework
from casework.rules import AssessmentOrigin
from core import clocks
from core.auth.rules import Role
from core.db import db
from intake import services as intake
from intake.correspondence import requests as sent_requests
from tests.factories import file_report, log_in, make_provider, make_user
from tests.pdftext import pdf_text

TODAY = clocks.office_today()


def test_a_request_sent_by_other_means_shows_its_day_channel_and_clock(client):
    provider, analyst = make_provider("Pinecrest Virtual Infrastructure, Inc."), make_user()
    log_in(client, analyst)
    requested_on = TODAY - timedelta(days=3)
    page = client.post(
        f"/intake/providers/{provider.id}/requests",
        data={"reseller": "", "requested_on": requested_on.isoformat(), "sent_by": "hand",
              "note": "Sent by courier"},
        follow_redirects=True,
    )  # fmt: skip
    due_on = requested_on + timedelta(days=10)
    assert f"Request recorded as sent on {requested_on.isoformat()}" in page.text
    assert f"the copy is due by {due_on.isoformat()} (§7.305(a))" in page.text
    request = intake.requests_of(provider)[0]
    letter = sent_requests.sent_of(request)
    assert f"{requested_on.isoformat()} by another means, recorded by hand" in page.text
    detail = client.get(f"/correspondence/{letter.id}").text
    assert "Request for a copy of the customer identification program" in detail
    assert "another means, recorded by hand" in detail
    provider_page = client.get(f"/intake/providers/{provider.id}").text
    assert f"/correspondence/{letter.id}" in provider_page
    document = client.get(f"/correspondence/{letter.id}/document")
    assert "Pinecrest Virtual Infrastructure, Inc." in pdf_text(document.data)


def test_a_viewer_reads_a_document_page_but_records_no_sending(client):
    provider, analyst = make_provider(), make_user()
    request = intake.request_cip_copy(provider, reseller=None, requested_on=TODAY,
                                      actor=analyst, today=TODAY, sent_by_hand=True)  # fmt: skip
    letter = sent_requests.sent_of(request)
    db.session.commit()
    log_in(client, make_user(Role.VIEWER))
    assert client.get(f"/correspondence/{letter.id}").status_code == 200
    refused = client.post(f"/correspondence/{letter.id}/sent", data={"sent_on": TODAY.isoformat()})
    assert refused.status_code == 403


def _sending_paths(analyst) -> list[str]:
    provider = make_provider()
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=analyst, today=TODAY,
    )  # fmt: skip
    report = file_report(provider)
    db.session.commit()
    return [
        f"/intake/providers/{provider.id}/requests",
        f"/intake/filings/{report.receipt_number}/information-requests",
        f"/casework/assessments/{assessment.id}/requests",
    ]


def test_a_request_sent_by_other_means_tomorrow_is_refused_at_its_date(client):
    analyst = make_user()
    log_in(client, analyst)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    for path in _sending_paths(analyst):
        page = client.post(
            path, data={"reseller": "", "requested_on": tomorrow, "sent_by": "hand",
                        "note": "Sent by courier"},
        )  # fmt: skip
        assert page.status_code == 422, path
        assert "in the future" in page.text, path
        assert "Sent by courier" in page.text  # what was typed is kept
