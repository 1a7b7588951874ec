"""Compliance assessments (§7.305): opened with the risk score kept, information requested through
intake, findings citing §7.302, two-person review, the report, the remediation clock met by a
resubmitted CIP, follow-up, and further actions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework import rules, services
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import DomainError, IllegalTransition
from core.pdf import formal_date
from core.risk import signals_by_provider
from intake.models import Provider
from tests.factories import at_once, log_in, make_filing, make_provider, make_user
from tests.pdftext import pdf_pages, pdf_text

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


def test_analysts_opening_assessments_at_the_same_moment_get_distinct_references(app):
    providers, analyst = [make_provider().id for _ in range(6)], make_user(Role.ANALYST)
    remaining = iter(providers)
    references = at_once(
        app, 6, lambda actor: _open(db.session.get(Provider, next(remaining)), actor).reference,
        actor=analyst,
    )  # fmt: skip
    year = (TODAY - timedelta(days=30)).year
    assert sorted(references) == [f"AS-{year}-{n:04d}" for n in range(1, 7)]


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
    explanations = [line["explanation"] for line in assessment.risk_lines_json]
    assert "No CIP certification has been received." in explanations


def test_an_information_request_opens_intakes_ten_day_clock(app):
    analyst = make_user(Role.ANALYST)
    assessment = _open(make_provider(), analyst)
    # Sent by other means 29 days ago: the clock started then (§7.305(a)).
    services.request_information(
        assessment,
        requested_on=TODAY - timedelta(days=29),
        note="Full CIP.",
        actor=analyst,
        today=TODAY,
        sent_by_hand=True,
    )
    (request,) = assessment.requests
    assert request.deadline.due_on == TODAY - timedelta(days=19)
    assert request.note.startswith(assessment.reference)
    assert assessment.state == rules.AssessmentState.INFORMATION_REQUESTED.value


def test_nobody_approves_their_own_report(client):
    drafter = make_user(Role.ANALYST)
    assessment = _open(make_provider(), drafter)
    _finding(assessment, drafter)
    services.submit_assessment(assessment, resubmission_days=None, actor=drafter)
    drafter.role = Role.REVIEWER.value  # made a reviewer while the report waits
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
    (signal,) = signals_by_provider(office_today())[provider.id]
    # Within their period the findings are no failure to implement yet (§7.305(d)(2)(ii)).
    assert (signal.criterion, signal.kind) == ("§7.305(d)(2)(ii)", rules.IN_REMEDIATION)

    log_in(client, analyst)
    report = " ".join(
        pdf_text(client.get(f"/casework/assessments/{assessment.id}/report.pdf").data).split()
    )
    assert "CUI//PRVCY/PROPIN" in report and assessment.reference in report
    # Table cells wrap side by side in the text, so each cell's opening words are checked.
    assert "§7.302(d)(2) Identity documents are accepted without" in report
    assert "§7.305(f)(1)(i): Adopt" in report
    assert f"by {formal_date(deadline.due_on)} (§7.305(a))" in report
    assert reviewer.full_name in report
    assert "Risk score when opened: 40" in report
    assert "DRAFT" not in report

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


def test_an_approved_report_stands_as_reviewed_and_takes_no_new_finding(app):
    """Once submitted, only the reviewer's return reopens the findings (docs/architecture.md §5)."""
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = _open(make_provider(), analyst)
    _finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    services.decide_assessment(assessment, approve=True, comments="", actor=reviewer)
    with pytest.raises(IllegalTransition, match="its findings are settled"):
        _finding(assessment, analyst)
    assert assessment.state == rules.AssessmentState.APPROVED.value
    services.issue_assessment(assessment, issued_on=TODAY, actor=analyst, today=TODAY)
    assert assessment.state == rules.AssessmentState.ISSUED.value


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


FINDING_FORM = {
    "requirement": "d2",
    "shortcoming": "Identity documents are accepted without checking their validity.",
    "recommendation_kind": "f1i",
    "recommendation": "Adopt documentary verification with validity checks.",
}


def test_a_reviewer_does_not_draft_findings_they_could_then_approve(client):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = _open(make_provider(), analyst)
    db.session.commit()
    log_in(client, reviewer)

    page = client.get(f"/casework/assessments/{assessment.id}")
    assert "Add a finding" not in page.text and "Send for review" not in page.text
    url = f"/casework/assessments/{assessment.id}"
    assert client.post(f"{url}/findings", data=FINDING_FORM).status_code == 403
    assert client.post(f"{url}/submit", data={}).status_code == 403
    assert assessment.findings == [] and assessment.state == rules.AssessmentState.OPEN.value
    with pytest.raises(DomainError, match="Only an analyst drafts the findings"):
        _finding(assessment, reviewer)

    analysts = client.application.test_client()
    log_in(analysts, analyst)
    added = analysts.post(f"{url}/findings", data=FINDING_FORM, follow_redirects=True)
    assert "Finding added." in added.text and "§7.302(d)(2)" in added.text


def _issued(provider, analyst, *, issued_on=TODAY, resubmission_days=None):
    assessment = _open(provider, analyst)
    _finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=resubmission_days, actor=analyst)
    services.decide_assessment(
        assessment, approve=True, comments="", actor=make_user(Role.REVIEWER)
    )
    services.issue_assessment(assessment, issued_on=issued_on, actor=analyst, today=TODAY)
    db.session.commit()
    return assessment


def test_only_a_filing_that_certifies_the_cip_meets_the_remediation_clock(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    assessment = _issued(provider, analyst)
    update = make_filing(provider, "irregular_update")
    log_in(client, analyst)
    url = f"/casework/assessments/{assessment.id}/resubmission"

    page = client.get(f"/casework/assessments/{assessment.id}")
    assert "A filing that certifies the CIP (§7.305(a)): CIP certification form (§7.304(a))" in (
        page.text
    )
    refused = client.post(url, data={"receipt_number": update.receipt_number})
    assert refused.status_code == 422 and 'id="receipt_number-error"' in refused.text
    assert f"{update.receipt_number} (Irregular update, §7.304(c)) does not certify a CIP" in (
        refused.text
    )
    assert "Annual CIP certification (§7.304(b))" in refused.text
    assert assessment.state == rules.AssessmentState.ISSUED.value
    assert assessment.remediation_deadline.met_on is None

    annual = make_filing(provider, "annual_certification")
    met = client.post(url, data={"receipt_number": annual.receipt_number}, follow_redirects=True)
    assert f"{annual.receipt_number}</a>, received {TODAY} (on time)" in met.text
    assert assessment.remediation_deadline.met_on == TODAY


def test_a_follow_up_opens_only_once_the_report_is_issued(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    drafting = _open(provider, analyst)
    db.session.commit()
    log_in(client, analyst)

    page = client.get(f"/casework/assessments/{drafting.id}")
    assert "Open a follow-up assessment" not in page.text
    refused = client.post(f"/casework/assessments/{drafting.id}/follow-up", follow_redirects=True)
    assert refused.request.path == f"/casework/assessments/{drafting.id}"
    assert "checks the remediation of findings already issued (§7.305(e)(2))" in refused.text
    assert services.assessments_of(provider.id) == [drafting]

    issued = _issued(provider, analyst)
    opened = client.post(f"/casework/assessments/{issued.id}/follow-up", follow_redirects=True)
    assert "a follow-up of an earlier assessment" in opened.text
    assert f">{issued.reference}</a>)" in opened.text


@pytest.mark.parametrize(
    ("action", "shown"),
    [
        ("audit", f"Audit requested (§7.305(e)(3))</dt><dd>{TODAY}: Independent audit"),
        ("transaction_review", f"transaction review (§7.305(f)(2))</dt><dd>{TODAY}: Independent"),
        ("special_measure", f"special-measure evaluation</dt><dd>{TODAY}: Independent audit"),
    ],
)
def test_further_action_is_recorded_on_the_assessment_and_audited(client, action, shown):
    analyst = make_user(Role.ANALYST)
    assessment = _open(make_provider(), analyst)
    db.session.commit()
    log_in(client, analyst)
    url = f"/casework/assessments/{assessment.id}/further-action"

    blank = client.post(url, data={"action": "", "note": ""})
    assert blank.status_code == 422 and "Choose the action." in blank.text
    note = "Independent audit of the verification workflow, 2026 accounts."
    done = client.post(url, data={"action": action, "note": note}, follow_redirects=True)
    assert "Recorded." in done.text and shown in done.text
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == f"assessment.{action}")
    ).scalar_one()
    assert event.actor_id == analyst.id
    assert json.loads(event.after_json) == {
        "citation": rules.FURTHER_ACTIONS[action][0],
        "note": note,
    }


def test_findings_not_remediated_in_their_period_weigh_more(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    make_filing(provider)
    assessment = _issued(
        provider, analyst, issued_on=TODAY - timedelta(days=20), resubmission_days=10
    )
    due_on = TODAY - timedelta(days=10)
    assert assessment.remediation_deadline.due_on == due_on

    line = next(
        line
        for line in services.score_provider(provider.id, TODAY).lines
        if line.criterion == "§7.305(d)(2)(ii)"
    )
    assert (line.kind, line.count, line.weight, line.points) == ("overdue_findings", 1, 20, 20)
    log_in(client, analyst)
    page = client.get(f"/casework/risk/providers/{provider.id}")
    assert f"1 finding(s) of {assessment.reference} not remediated by {due_on}." in page.text
    assert "Failure to implement recommended measures" in page.text

    resubmitted = make_filing(provider)
    services.record_resubmission(
        assessment, receipt_number=resubmitted.receipt_number, actor=analyst
    )
    db.session.commit()
    lines = services.score_provider(provider.id, TODAY).lines
    assert [line for line in lines if line.criterion == "§7.305(d)(2)(ii)"] == []


def test_a_report_printed_before_approval_is_marked_draft_on_every_page(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    assessment = _open(provider, analyst)
    _finding(assessment, analyst)
    db.session.commit()
    log_in(client, analyst)
    pages = pdf_pages(client.get(f"/casework/assessments/{assessment.id}/report.pdf").data)
    assert pages and all("DRAFT: not approved by a reviewer" in page for page in pages)


def test_a_finding_as_long_as_the_form_allows_goes_on_over_the_pages_of_the_report(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    assessment = _open(provider, analyst)
    sentences = [
        f"Sample {number} of the accounts opened was not verified." for number in range(180)
    ]
    shortcoming = " ".join(sentences)[:10_000]
    services.add_finding(
        assessment, requirement="d2", shortcoming=shortcoming, recommendation_kind="f1i",
        recommendation="Verify every account again.", actor=analyst,
    )  # fmt: skip
    db.session.commit()
    log_in(client, analyst)

    answer = client.get(f"/casework/assessments/{assessment.id}/report.pdf")

    assert answer.status_code == 200
    pages = pdf_pages(answer.data)
    assert len(pages) >= 2
    text = " ".join(pdf_text(answer.data).split())
    assert "Sample 0 of the accounts" in text and "Sample 170 of the accounts" in text
