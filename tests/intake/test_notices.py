"""What arrives from a provider reaches the analysts it concerns: the answer to a request, its
requester; any filing, the owners of the provider's open cases (the analysts who opened them).
Each person once, never the person who keyed it in; the email names no provider."""

from __future__ import annotations

import pytest

from casework import services as casework
from casework.penalties import services as penalties
from casework.rules import AssessmentOrigin
from core import clocks
from core.auth.rules import Role
from intake import services as intake
from intake.ai import services as ai_services
from tests.factories import (
    commit_and_deliver,
    file_report,
    make_filing,
    make_provider,
    make_user,
    notices_of,
    violations_of,
)
from tests.intake.test_requests import PDF_BYTES
from tests.mailcatcher import html_of, text_of

NAME = "Pinecrest Virtual Infrastructure, Inc."


def _told(user) -> list[tuple[str, str]]:
    return [(notice.kind, notice.link) for notice in notices_of(user)]


def _body(message) -> str:
    return message["Subject"] + text_of(message) + html_of(message)


def _assessment(provider, analyst):
    return casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=analyst, today=clocks.office_today(),
    )  # fmt: skip


@pytest.fixture
def provider(mail_app):
    return make_provider(NAME)


def test_a_cip_copy_recorded_by_a_colleague_tells_the_analyst_who_asked(provider, smtp_server):
    asker, colleague = make_user(Role.ANALYST), make_user(Role.ANALYST)
    today = clocks.office_today()
    asked = intake.request_cip_copy(provider, reseller=None, requested_on=today, actor=asker)
    own = intake.request_cip_copy(provider, reseller=None, requested_on=today, actor=colleague)
    commit_and_deliver()

    for request, recorder in ((asked, colleague), (own, colleague)):
        intake.record_response(
            request, filename="cip.pdf", content=PDF_BYTES, responded_on=today, actor=recorder
        )
    commit_and_deliver()

    assert _told(asker) == [("request_answered", f"/intake/requests/{asked.id}")]
    assert _told(colleague) == []  # who records the answer to their own request knows of it
    [message] = smtp_server.to(asker.email)
    assert " ".join(message["Subject"].split()) == f"Request {asked.id} has been answered"
    assert "a copy of the provider's CIP (15 CFR §7.305(a))" in text_of(message)
    assert "Pinecrest" not in _body(message)


def test_a_follow_up_report_tells_its_requester_once_and_the_other_owners_of_open_cases(
    provider, smtp_server
):
    asker, penalty_owner = make_user(Role.ANALYST), make_user(Role.ANALYST)
    today = clocks.office_today()
    report = file_report(provider)
    request = ai_services.request_information(
        report, requested_on=today, note="Explain the quota.", actor=asker, today=today
    )
    _assessment(provider, asker)  # the requester also owns an open case on the provider
    penalties.draft_penalty(
        provider, violations=violations_of("a2"), conduct="Never certified.",
        proposed_amount=10_000, actor=penalty_owner, today=today,
    )  # fmt: skip
    commit_and_deliver()

    follow_up = file_report(
        provider, "ai_follow_up_report", request_number=request.id,
        request_received_on=today.isoformat(),
    )  # fmt: skip
    commit_and_deliver()

    link = f"/intake/filings/{follow_up.receipt_number}"
    assert _told(asker) == [("request_answered", link)]
    assert _told(penalty_owner) == [("filing_for_my_case", link)]
    [answered] = smtp_server.to(asker.email)
    assert f"by filing {follow_up.receipt_number}" in text_of(answered)
    assert "§7.308(e)" in text_of(answered)
    [received] = smtp_server.to(penalty_owner.email)
    assert follow_up.receipt_number in received["Subject"]
    assert "Follow-up report on large AI model training" in text_of(received)
    for message in (answered, received):
        assert "Pinecrest" not in _body(message)


def test_a_filing_reaches_the_owners_of_the_providers_open_cases_only(provider, smtp_server):
    owner, keyer, closed_owner, elsewhere = (make_user(Role.ANALYST) for _ in range(4))
    _assessment(provider, owner)
    _assessment(provider, keyer)
    withdrawn = penalties.draft_penalty(
        provider, violations=violations_of("a2"), conduct="Never certified.",
        proposed_amount=10_000, actor=closed_owner, today=clocks.office_today(),
    )  # fmt: skip
    penalties.withdraw_penalty(
        withdrawn, reasons="Certified after all.", actor=closed_owner, today=clocks.office_today()
    )
    _assessment(make_provider(), elsewhere)
    commit_and_deliver()

    filing = make_filing(provider, "annual_certification", actor=keyer)
    commit_and_deliver()

    assert _told(owner) == [("filing_for_my_case", f"/intake/filings/{filing.receipt_number}")]
    assert _told(keyer) == []  # who keyed the filing in knows of it
    assert _told(closed_owner) == [] and _told(elsewhere) == []
    [message] = smtp_server.to(owner.email)
    assert "Annual CIP certification, 15 CFR §7.304(b)" in text_of(message)
    assert "Pinecrest" not in _body(message)
    assert smtp_server.to(closed_owner.email) == smtp_server.to(elsewhere.email) == []
