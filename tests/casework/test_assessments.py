"""Compliance assessments (§7.305): opened with the risk score kept, information requested through
intake, findings citing §7.302, two-person review, the report, the remediation clock met by a
resubmitted CIP, follow-up, and further actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import rules, services
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import DomainError
from core.risk import signals_by_provider
from tests.factories import log_in, make_filing, make_provider, make_user
from tests.pdftext import pdf_text

TODAY = office_today()


def _open(provider, actor, **changes):
    values = {
        "origin": rules.AssessmentOrigin.RISK_QUEUE,
        "scope": "The written CIP and its verification of foreign customers.",
        "origin_note": "",
        "actor": actor,
        "today": TODAY - timedelta(days=30),
        **changes,
    }
    return services.open_assessment(provider, **values)


def _finding(assessment, actor):
    return services.add_finding(
        assessment,
        requirement="d2",
        shortcoming="Identity documents are accepted without checking their validity.",
        recommendation_kind="f1i",
        recommendation="Adopt documentary verification with validity checks.",
        actor=actor,
    )


def test_an_assessment_keeps_the_score_it_was_opened_with(app):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    assessment = _open(provider, analyst)
    assert assessment.reference.startswith("AS-") and assessment.risk_score == 40
    assert "No CIP certification has been received." in assessment.risk_lines_json


def test_an_information_request_opens_intakes_ten_day_clock(app):
    analyst = make_user(Role.ANALYST)
    assessment = _open(make_provider(), analyst)
    services.request_information(
        assessment, requested_on=TODAY - timedelta(days=29), note="Full CIP.", actor=analyst
    )
    (request,) = assessment.requests
    assert request.deadline.due_on == TODAY - timedelta(days=19)
    assert request.note.startswith(assessment.reference)
    assert assessment.state == rules.AssessmentState.INFORMATION_REQUESTED.value


def test_nobody_approves_their_own_report(client):
    drafter = make_user(Role.REVIEWER)
    assessment = _open(make_provider(), drafter)
    _finding(assessment, drafter)
    services.submit_assessment(assessment, resubmission_days=None, actor=drafter)
    db.session.commit()
    log_in(client, drafter)

    page = client.get(f"/casework/assessments/{assessment.id}")
    assert "You drafted this report; another reviewer decides it." in page.text
    refused = client.post(
        f"/casework/assessments/{assessment.id}/decision", data={"decision": "approve"}
    )
    assert refused.status_code == 422
    assert "Nobody may approve or return their own draft." in refused.text
    assert assessment.state == rules.AssessmentState.IN_REVIEW.value


def test_from_findings_to_a_closed_assessment(client):
    provider, analyst, reviewer = make_provider(), make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = _open(provider, analyst)
    _finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=45, actor=analyst)
    services.decide_assessment(assessment, approve=True, comments="", actor=reviewer)
    issued_on = TODAY - timedelta(days=20)
    services.issue_assessment(assessment, issued_on=issued_on, actor=analyst, today=TODAY)
    db.session.commit()
    deadline = assessment.remediation_deadline
    assert (deadline.due_on, deadline.citation) == (issued_on + timedelta(days=45), "§7.305(a)")
    (signal,) = signals_by_provider()[provider.id]
    assert (signal.criterion, signal.kind) == ("§7.305(d)(2)(ii)", "open_findings")

    log_in(client, analyst)
    report = " ".join(
        pdf_text(client.get(f"/casework/assessments/{assessment.id}/report.pdf").data).split()
    )
    assert "CUI//PRVCY/PROPIN" in report and assessment.reference in report
    # Table cells wrap side by side in the text, so each cell's opening words are checked.
    assert "§7.302(d)(2) Identity documents are accepted without" in report
    assert "§7.305(f)(1)(i): Adopt documentary verification" in report
    assert f"by {deadline.due_on}" in report and reviewer.full_name in report
    assert "Risk score when opened: 40" in report

    early = make_filing(provider)  # received today, after the notice
    resubmitted = client.post(
        f"/casework/assessments/{assessment.id}/resubmission",
        data={"receipt_number": early.receipt_number},
        follow_redirects=True,
    )
    assert f"{early.receipt_number}</a>, received {TODAY} (on time)" in resubmitted.text
    assert deadline.met_on == TODAY
    closed = client.post(
        f"/casework/assessments/{assessment.id}/close",
        data={"note": "The resubmitted CIP checks document validity."},
        follow_redirects=True,
    )
    assert 'data-testid="assessment-state">closed<' in closed.text
    follow_up = client.post(
        f"/casework/assessments/{assessment.id}/follow-up", follow_redirects=True
    )
    assert "a follow-up of an earlier assessment" in follow_up.text


def test_a_report_without_findings_closes_on_issue(app):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = _open(make_provider(), analyst)
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    services.decide_assessment(assessment, approve=True, comments="", actor=reviewer)
    services.issue_assessment(assessment, issued_on=TODAY, actor=analyst, today=TODAY)
    assert (assessment.state, assessment.closing_note) == ("closed", "No shortcomings found.")
    assert assessment.remediation_deadline is None


def test_a_finding_after_approval_sends_the_report_back_to_review(app):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = _open(make_provider(), analyst)
    _finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    services.decide_assessment(assessment, approve=True, comments="", actor=reviewer)
    _finding(assessment, analyst)
    assert assessment.state == rules.AssessmentState.DRAFTED.value
    with pytest.raises(DomainError, match="approved as it stands"):
        services.issue_assessment(assessment, issued_on=TODAY, actor=analyst, today=TODAY)


def test_a_resubmission_must_be_the_providers_and_after_the_notice(client):
    provider, analyst, reviewer = make_provider(), make_user(Role.ANALYST), make_user(Role.REVIEWER)
    other_filing = make_filing(make_provider())
    assessment = _open(provider, analyst)
    _finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    services.decide_assessment(assessment, approve=True, comments="", actor=reviewer)
    services.issue_assessment(assessment, issued_on=TODAY, actor=analyst, today=TODAY)
    db.session.commit()
    log_in(client, analyst)
    refused = client.post(
        f"/casework/assessments/{assessment.id}/resubmission",
        data={"receipt_number": other_filing.receipt_number},
    )
    assert refused.status_code == 422 and 'id="receipt_number-error"' in refused.text
    assert f"No filing of {provider.legal_name} has that number." in refused.text
