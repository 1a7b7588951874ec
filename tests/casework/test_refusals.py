"""Every casework record can move on or end: a proposed penalty is withdrawn before service
(§7.309(c)(1)), an assessment closes before its report (§7.305(b)); and a step a record's state
refuses says why on its page, never a server error."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework import rules, services
from casework.oversight import rules as oversight_rules
from casework.oversight import services as oversight
from casework.penalties import rules as penalty_rules
from casework.penalties import services as penalties
from core.approvals import services as approvals
from core.approvals.rules import ReviewState
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import IllegalTransition
from tests.factories import (
    log_in,
    make_filing,
    make_provider,
    make_resellers,
    make_user,
    violations_of,
)
from tests.refusals import TAKEN, Step, signed_in, sweep, then

TODAY = office_today()


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER)


def _draft_penalty(analyst):
    return penalties.draft_penalty(
        make_provider(), violations=violations_of("a2"),
        conduct="No annual certification in 2026.",
        proposed_amount=100_000, actor=analyst, today=TODAY - timedelta(days=20),
    )  # fmt: skip


def _open_assessment(analyst):
    return services.open_assessment(
        make_provider(), origin=rules.AssessmentOrigin.REFERRAL, scope="The written CIP.",
        origin_note="", actor=analyst, today=TODAY - timedelta(days=30),
    )  # fmt: skip


def _add_finding(assessment, analyst):
    services.add_finding(
        assessment, requirement="d2", shortcoming="Documents are not checked.",
        recommendation_kind="f1i", recommendation="Check them.", actor=analyst,
    )  # fmt: skip


def _last_transition(subject_type, subject_id):
    return db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.action == f"{subject_type}.transition",
               AuditEvent.subject_id == str(subject_id))
        .order_by(AuditEvent.seq.desc())
    ).scalars().first()  # fmt: skip


def test_a_penalty_waiting_for_review_is_withdrawn_with_its_reasons(client, people):
    analyst, _ = people
    case = _draft_penalty(analyst)
    penalties.submit_penalty(case, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    assert "Withdraw the proposed penalty" in client.get(f"/casework/penalties/{case.id}").text
    blank = client.post(f"/casework/penalties/{case.id}/withdrawal", data={"reasons": " "})
    assert blank.status_code == 422 and "Say why the penalty is withdrawn." in blank.text

    page = client.post(
        f"/casework/penalties/{case.id}/withdrawal",
        data={"reasons": "The certification arrived; it was misfiled."},
        follow_redirects=True,
    )
    assert "Penalty withdrawn; no notice will be served." in page.text
    assert "The certification arrived; it was misfiled." in page.text
    case = penalties.get_penalty(case.id)
    assert (case.state, case.withdrawn_on) == (penalty_rules.PenaltyState.WITHDRAWN.value, TODAY)
    assert approvals.latest_review(penalties.PENALTY, case.id).state_enum is ReviewState.VOIDED
    assert "misfiled" in _last_transition(penalties.PENALTY, case.id).after_json


def test_a_served_penalty_ends_with_the_final_decision_not_a_withdrawal(people):
    analyst, reviewer = people
    case = _draft_penalty(analyst)
    penalties.submit_penalty(case, actor=analyst)
    penalties.decide_penalty(case, approve=True, comments="", actor=reviewer)
    penalties.serve_penalty(case, served_on=TODAY, actor=analyst, today=TODAY)
    with pytest.raises(IllegalTransition, match="“notice served”, from which it cannot move"):
        penalties.withdraw_penalty(case, reasons="Second thoughts.", actor=analyst, today=TODAY)


def test_an_assessment_in_review_closes_without_a_report(client, people):
    analyst, _ = people
    assessment = _open_assessment(analyst)
    _add_finding(assessment, analyst)
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    url = f"/casework/assessments/{assessment.id}"
    assert "Close the assessment without issuing a report" in client.get(url).text
    page = client.post(
        f"{url}/close", data={"note": "The provider was exempted (§7.306(e))."},
        follow_redirects=True,
    )  # fmt: skip
    assert "Assessment closed." in page.text
    assert f"{TODAY.isoformat()}: The provider was exempted" in page.text
    assessment = services.get_assessment(assessment.id)
    assert assessment.state == rules.AssessmentState.CLOSED.value
    review = approvals.latest_review(services.ASSESSMENT, assessment.id)
    assert review.state_enum is ReviewState.VOIDED and review not in approvals.queue()
    assert "exempted" in _last_transition(services.ASSESSMENT, assessment.id).after_json


def _penalties(analyst, reviewer):
    def drafted():
        case = _draft_penalty(analyst)
        db.session.commit()
        return case

    in_review = then(drafted, lambda case: penalties.submit_penalty(case, actor=analyst))
    approved = then(
        in_review,
        lambda case: penalties.decide_penalty(case, approve=True, comments="", actor=reviewer),
    )
    served = then(
        approved,
        lambda case: penalties.serve_penalty(
            case, served_on=TODAY - timedelta(days=12), actor=analyst, today=TODAY
        ),
    )
    petitioned = then(
        served,
        lambda case: penalties.record_petition(
            case, received_on=TODAY, summary="U.S. persons.", actor=analyst, today=TODAY
        ),
    )
    decided = then(
        petitioned,
        lambda case: penalties.record_final_decision(
            case, decided_on=TODAY, decision="Upheld.", final_amount=50_000, actor=reviewer,
            today=TODAY,
        ),
    )  # fmt: skip
    withdrawn = then(
        drafted,
        lambda case: penalties.withdraw_penalty(
            case, reasons="Misfiled.", actor=analyst, today=TODAY
        ),
    )
    return {
        "drafted": drafted,
        "in review": in_review,
        "approved": approved,
        "notice served": served,
        "petition received": petitioned,
        "final decision issued": decided,
        "withdrawn": withdrawn,
    }


def _penalty_step(role, action, data):
    return Step(role, lambda case: f"/casework/penalties/{case.id}/{action}", data)


PENALTY_STEPS = {
    "send for review": _penalty_step("analyst", "submit", {}),
    "decide": _penalty_step("reviewer", "decision", {"decision": "approve"}),
    "serve": _penalty_step("analyst", "serve", {"served_on": TODAY.isoformat()}),
    "record a petition": _penalty_step(
        "analyst", "petition", {"received_on": TODAY.isoformat(), "summary": "U.S. persons."}
    ),
    "record the final decision": _penalty_step(
        "reviewer",
        "final-decision",
        {"decided_on": TODAY.isoformat(), "decision": "Upheld.", "final_amount": "50000"},
    ),
    "withdraw": _penalty_step("analyst", "withdrawal", {"reasons": "Misfiled."}),
}


def _assessments(analyst, reviewer):
    def opened():
        assessment = _open_assessment(analyst)
        db.session.commit()
        return assessment

    def resubmit(assessment):
        receipt = make_filing(assessment.provider).receipt_number
        services.record_resubmission(assessment, receipt_number=receipt, actor=analyst)

    asked = then(
        opened,
        lambda a: services.request_information(
            a, requested_on=TODAY - timedelta(days=29), note="Full CIP.", actor=analyst
        ),
    )
    drafted = then(opened, lambda a: _add_finding(a, analyst))
    in_review = then(
        drafted,
        lambda a: services.submit_assessment(a, resubmission_days=None, actor=analyst),
    )
    approved = then(
        in_review,
        lambda a: services.decide_assessment(a, approve=True, comments="", actor=reviewer),
    )
    issued = then(
        approved,
        lambda a: services.issue_assessment(
            a, issued_on=TODAY - timedelta(days=1), actor=analyst, today=TODAY
        ),
    )
    remediated = then(issued, resubmit)
    closed = then(
        remediated,
        lambda a: services.close_assessment(a, note="Remediated.", actor=analyst, today=TODAY),
    )
    return {
        "open": opened,
        "information requested": asked,
        "findings drafted": drafted,
        "in review": in_review,
        "approved": approved,
        "issued": issued,
        "CIP resubmitted": remediated,
        "closed": closed,
    }


def _assessment_step(role, action, data):
    return Step(role, lambda a: f"/casework/assessments/{a.id}/{action}", data)


def _resubmission(assessment):
    return {"receipt_number": make_filing(assessment.provider).receipt_number}


ASSESSMENT_STEPS = {
    "request information": _assessment_step(
        "analyst", "requests", {"requested_on": TODAY.isoformat(), "note": "Full CIP."}
    ),
    "add a finding": _assessment_step(
        "analyst",
        "findings",
        {
            "requirement": "d2",
            "shortcoming": "Not checked.",
            "recommendation_kind": "f1i",
            "recommendation": "Check them.",
        },
    ),
    "send for review": _assessment_step("analyst", "submit", {}),
    "decide": _assessment_step("reviewer", "decision", {"decision": "approve"}),
    "issue": _assessment_step("analyst", "issue", {"issued_on": TODAY.isoformat()}),
    "record the resubmission": _assessment_step("analyst", "resubmission", _resubmission),
    "close": _assessment_step("analyst", "close", {"note": "Nothing more to do."}),
    "follow up": _assessment_step("analyst", "follow-up", {}),
}


def _oversight(analyst):
    def opened(kind):
        def evidence():
            (reseller,) = make_resellers(make_provider(), 1)
            case = oversight.open_oversight(
                reseller, evidence_kind=kind, evidence="Logs.",
                received_on=TODAY - timedelta(days=10), reported_to_authorities="", actor=analyst,
                today=TODAY,
            )  # fmt: skip
            db.session.commit()
            return case

        return evidence

    evidence = opened(oversight_rules.EvidenceKind.NOT_IMPLEMENTED)
    reporting = opened(oversight_rules.EvidenceKind.REPORT_LATE)

    def step(action, days_ago):
        return lambda case: oversight.record_step(
            case, action, on=TODAY - timedelta(days=days_ago), note="Recorded.", actor=analyst,
            today=TODAY,
        )  # fmt: skip

    notified = then(reporting, step("oversight_notice", 8))
    suspended = then(notified, step("oversight_suspension", 5))

    def outcome(terminated):
        return lambda case: oversight.record_outcome(
            case, terminated=terminated, outcome_on=TODAY, note="", actor=analyst, today=TODAY
        )

    clock_running = then(
        evidence,
        lambda case: oversight.record_knowledge(
            case, knowledge_on=TODAY - timedelta(days=5), actor=analyst, today=TODAY
        ),
    )
    return {
        "evidence received": evidence,
        "termination clock running": clock_running,
        "relationship terminated": then(clock_running, outcome(True)),
        "remediated": then(clock_running, outcome(False)),
        "account closed, clock running": then(clock_running, step("oversight_account_closure", 3)),
        "§7.308(f) evidence received": reporting,
        "reseller notified": notified,
        "provision suspended": suspended,
        "provision resumed on assurances": then(suspended, step("oversight_resumption", 1)),
        "reseller confirmed compliance": then(notified, step("oversight_compliance", 1)),
    }


def _step_of(slug, action):
    return Step(
        "analyst",
        lambda c: f"/casework/oversight/{c.id}/{slug}",
        {f"{action}-on": TODAY.isoformat(), f"{action}-note": "Recorded."},
    )


OVERSIGHT_STEPS = {
    "record knowledge": Step(
        "analyst",
        lambda c: f"/casework/oversight/{c.id}/knowledge",
        {"knowledge_on": TODAY.isoformat()},
    ),
    "record the outcome": Step(
        "analyst",
        lambda c: f"/casework/oversight/{c.id}/outcome",
        {"outcome": "remediated", "outcome_on": TODAY.isoformat()},
    ),
    "close the account": _step_of("account-closure", "oversight_account_closure"),
    "notify the reseller": _step_of("notice", "oversight_notice"),
    "suspend provision": _step_of("suspension", "oversight_suspension"),
    "accept its confirmation": _step_of("compliance", "oversight_compliance"),
    "resume provision": _step_of("resumption", "oversight_resumption"),
}


@pytest.fixture
def clients(app, people):
    analyst, reviewer = people
    return signed_in(app, analyst=analyst, reviewer=reviewer)


def test_every_penalty_step_refused_by_its_state_says_why_and_is_not_offered(clients, people):
    outcomes = sweep(
        clients, _penalties(*people), PENALTY_STEPS, lambda case: f"/casework/penalties/{case.id}"
    )
    assert [state for state in _penalties(*people) if outcomes[(state, "withdraw")] == TAKEN] == [
        "drafted", "in review", "approved",
    ]  # fmt: skip


def test_every_assessment_step_refused_by_its_state_says_why_and_is_not_offered(clients, people):
    outcomes = sweep(
        clients, _assessments(*people), ASSESSMENT_STEPS, lambda a: f"/casework/assessments/{a.id}"
    )
    assert all(
        outcomes[(state, "close")] == TAKEN
        for state in ("open", "information requested", "findings drafted", "in review")
    )


def test_every_oversight_step_refused_by_its_state_says_why_and_is_not_offered(clients, people):
    outcomes = sweep(
        clients, _oversight(people[0]), OVERSIGHT_STEPS, lambda c: f"/casework/oversight/{c.id}"
    )
    # Each paragraph's steps are taken on its own cases only (§7.303(e), §7.308(f)).
    assert outcomes[("§7.308(f) evidence received", "record knowledge")] != TAKEN
    assert outcomes[("§7.308(f) evidence received", "notify the reseller")] == TAKEN
    assert outcomes[("evidence received", "notify the reseller")] != TAKEN
    assert outcomes[("relationship terminated", "close the account")] == TAKEN
    assert outcomes[("account closed, clock running", "close the account")] != TAKEN
