"""Documents issued to providers: a request's clock starts on the day it reaches the provider,
never before; an undelivered request is flagged and starts nothing; a sending recorded by hand
starts the clock on its day; a penalty notice is served on the day its email is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.penalties import correspondence as casework_sending
from casework.penalties import services as penalties
from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines.models import Deadline
from core.errors import IllegalTransition, InvalidInput
from intake import services as intake
from intake.ai import services as ai_services
from intake.correspondence import requests as sent_requests
from intake.correspondence import services
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind, Delivery, SentBy
from intake.models import DepartmentRequest
from tests.factories import (
    commit_and_deliver,
    file_report,
    log_in,
    make_provider,
    make_user,
    violations_of,
)
from tests.pdftext import pdf_text

TODAY = clocks.office_today()


def _request(provider, analyst, *, days_ago=0, by_hand=False) -> DepartmentRequest:
    return intake.request_cip_copy(
        provider, reseller=None, requested_on=TODAY - timedelta(days=days_ago), actor=analyst,
        today=TODAY, note="Routine", sent_by_hand=by_hand,
    )  # fmt: skip


def _letter(request: DepartmentRequest) -> Correspondence:
    letter = sent_requests.sent_of(request)
    assert letter is not None
    return letter


def test_a_request_is_a_letter_whose_clock_waits_for_it_to_be_sent(app):
    provider, analyst = make_provider("Pinecrest Virtual Infrastructure, Inc."), make_user()
    request = _request(provider, analyst, days_ago=6)
    letter = _letter(request)
    assert request.deadline is None
    assert letter.kind == CorrespondenceKind.CIP_COPY_REQUEST
    assert letter.delivery == Delivery.QUEUED and letter.sent_on is None
    text = pdf_text(letter.document.content)
    assert "15 CFR 7.305(a)" in text
    assert "within 10 calendar days of your receipt of this request" in text
    assert "Pinecrest Virtual Infrastructure, Inc." in text

    sent_on = TODAY - timedelta(days=2)
    services.record_sent(letter, sent_on=sent_on, sent_by=SentBy.EMAIL)
    assert request.deadline.started_on == sent_on  # not the request's date, 6 days ago
    assert request.deadline.due_on == sent_on + timedelta(days=10)
    assert request.deadline.citation == "§7.305(a)"
    # A second word of delivery (the same email reported twice) opens nothing more.
    services.record_sent(letter, sent_on=TODAY, sent_by=SentBy.EMAIL)
    assert request.deadline.started_on == sent_on
    assert letter.sent_by == SentBy.EMAIL


def test_an_undelivered_request_is_flagged_and_starts_no_clock(client):
    provider, analyst = make_provider(), make_user()
    request = _request(provider, analyst)
    letter = _letter(request)
    services.record_undelivered(letter, reason="550 5.1.1 mailbox unavailable")
    db.session.commit()
    assert request.deadline is None
    log_in(client, analyst)
    page = client.get(f"/intake/requests/{request.id}").text
    assert "could not be delivered" in page and "550 5.1.1 mailbox unavailable" in page
    assert "The 10-day clock (§7.305(a)) starts when the request is sent" in page
    assert "could not be delivered" in client.get(f"/intake/providers/{provider.id}").text


def test_a_sending_recorded_by_hand_starts_the_clock_on_its_day(client):
    provider, analyst = make_provider(), make_user()
    request = _request(provider, analyst, days_ago=3)
    letter = _letter(request)
    services.record_undelivered(letter, reason="550 no such user")
    db.session.commit()
    log_in(client, analyst)
    sent_on = TODAY  # the letter was issued today; it went by courier, not three days ago
    page = client.post(
        f"/correspondence/{letter.id}/sent",
        data={"sent_on": sent_on.isoformat(), "note": "By courier to the street address"},
        follow_redirects=True,
    )
    assert f"Sending recorded on {sent_on.isoformat()}." in page.text
    request = db.session.get(DepartmentRequest, request.id)
    assert request.deadline.started_on == sent_on
    assert _letter(request).sent_by == SentBy.HAND
    assert _letter(request).sent_recorded_by_id == analyst.id


def test_a_sending_by_hand_is_neither_before_the_issue_nor_in_the_future(app):
    letter = _letter(_request(make_provider(), make_user()))
    for day, message in (
        (TODAY - timedelta(days=1), "before it was issued"),
        (TODAY + timedelta(days=1), "in the future"),
    ):
        with pytest.raises(InvalidInput, match=message):
            services.record_sent_by_hand(
                letter, sent_on=day, note="By post", actor=make_user(), today=TODAY
            )
    services.record_sent_by_hand(letter, sent_on=TODAY, note="By post", actor=None, today=TODAY)
    with pytest.raises(IllegalTransition, match="reached the provider already"):
        services.record_sent_by_hand(letter, sent_on=TODAY, note="again", actor=None, today=TODAY)


def test_a_request_recorded_as_sent_already_starts_its_clock_on_the_request_date(app):
    request = _request(make_provider(), make_user(), days_ago=4, by_hand=True)
    assert request.deadline.started_on == TODAY - timedelta(days=4)
    assert _letter(request).sent_by == SentBy.HAND


def test_a_request_for_additional_information_starts_its_fifteen_days_when_sent(app):
    provider = make_provider()
    report = file_report(provider)
    request = ai_services.request_information(
        report, requested_on=TODAY, note="The quota limiting the run.", actor=make_user(),
        today=TODAY,
    )  # fmt: skip
    letter = _letter(request)
    assert letter.kind == CorrespondenceKind.INFORMATION_REQUEST
    assert request.deadline is None
    text = pdf_text(letter.document.content)
    assert "15 CFR 7.308(e)" in text and report.receipt_number in text
    assert "The quota limiting the run." in text
    services.record_sent(letter, sent_on=TODAY, sent_by=SentBy.EMAIL)
    assert request.deadline.due_on == TODAY + timedelta(days=15)
    assert request.deadline.citation == "§7.308(c)(3)"


def test_a_document_read_through_the_api_first_is_received_that_day(app):
    provider = make_provider()
    letter = _letter(_request(provider, make_user()))
    token, _ = intake.issue_token(provider, label="Filing system", actor=make_user(Role.ADMIN))
    services.download_by_api(letter, token=token, today=TODAY)
    assert (letter.delivery, letter.sent_on, letter.sent_by) == (Delivery.SENT, TODAY, SentBy.API)


def _approved_penalty(provider):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    case = penalties.draft_penalty(
        provider, violations=violations_of("a2"), conduct="Never certified.",
        proposed_amount=10_000, actor=analyst, today=TODAY,
    )  # fmt: skip
    penalties.submit_penalty(case, actor=analyst)
    penalties.decide_penalty(case, approve=True, comments="", actor=reviewer)
    return case, analyst


def test_a_penalty_notice_sent_by_the_system_is_served_on_the_day_it_is_sent(app):
    case, analyst = _approved_penalty(make_provider())
    notice = casework_sending.serve_penalty_by_email(case, actor=analyst, today=TODAY)
    assert case.served_on is None and case.petition_deadline_id is None
    with pytest.raises(IllegalTransition, match="issued to the provider already"):
        casework_sending.serve_penalty_by_email(case, actor=analyst, today=TODAY)
    services.record_sent(notice, sent_on=TODAY, sent_by=SentBy.EMAIL)
    assert case.served_on == TODAY
    assert case.petition_deadline.due_on == TODAY + timedelta(days=30)
    assert case.petition_deadline.citation == "§7.309(c)(1)(i)"
    assert "30 calendar days" in pdf_text(notice.document.content)


def test_a_penalty_served_by_other_means_first_is_not_served_again_by_its_email(app):
    case, analyst = _approved_penalty(make_provider())
    notice = casework_sending.serve_penalty_by_email(case, actor=analyst, today=TODAY)
    penalties.serve_penalty(case, served_on=TODAY, actor=analyst, today=TODAY)
    served_by_hand = case.petition_deadline_id
    services.record_sent(notice, sent_on=TODAY, sent_by=SentBy.EMAIL)
    clocks_opened = db.session.scalars(
        select(Deadline).where(Deadline.clock_key == "penalty.petition")
    ).all()
    assert [deadline.id for deadline in clocks_opened] == [served_by_hand]


def test_a_request_answered_before_its_letter_is_sent_opens_no_clock_when_it_is(app):
    provider, analyst = make_provider(), make_user()
    request = _request(provider, analyst)
    db.session.commit()  # the letter's email waits in the queue
    intake.record_response(
        request, filename="cip.pdf", content=b"%PDF-1.4\n%%EOF\n", responded_on=TODAY,
        actor=analyst,
    )  # fmt: skip
    commit_and_deliver()
    assert _letter(request).delivery == Delivery.SENT
    assert request.deadline is None
    assert db.session.scalars(select(Deadline)).all() == []
