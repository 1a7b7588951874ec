"""No exemption request is stranded (§7.306(e)): a finding drafted before the agencies were asked
still goes to consultation and on to review, the provider may withdraw at any point before the
finding is made, and a step the request's state refuses says why on the case page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.approvals import services as approvals
from core.approvals.rules import ReviewState
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from core.errors import IllegalTransition, InvalidInput
from exemptions import services
from exemptions.rules import CaseState
from tests.factories import (
    FINDING_REASONS,
    file_exemption_request,
    grant_exemption,
    log_in,
    make_user,
    prepare_finding,
)
from tests.refusals import TAKEN, Step, signed_in, sweep, then

TODAY = office_today()
FINDING_FIELDS = {
    **{f"{key}_assessment": "satisfied" for key in FINDING_REASONS},
    **{f"{key}_reasons": text for key, text in FINDING_REASONS.items()},
    "decision": "grant",
}


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER)


def _draft_before_consulting(analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    services.draft_finding(
        case,
        assessments={key: ("satisfied", text) for key, text in FINDING_REASONS.items()},
        decision="grant",
        actor=analyst,
    )
    db.session.commit()
    return case


def _consult(case, analyst):
    return services.consult_agencies(
        case, summary="Northwind asks to be exempted under §7.306.",
        requested_on=TODAY - timedelta(days=5), respond_by=TODAY + timedelta(days=25),
        optional_agencies=(), actor=analyst,
    )  # fmt: skip


def test_a_finding_drafted_before_consultation_still_goes_to_review_once_the_agencies_answer(
    client, people
):
    analyst, reviewer = people
    case = _draft_before_consulting(analyst)
    log_in(client, analyst)
    page = client.get(f"/exemptions/requests/{case.id}").text
    assert "Request consultation" in page and "Send request" in page
    assert "No recorded position yet from DoD, DOJ, DHS, DNI (§7.306(e)(2))." in page
    assert "Request their positions under “Interagency consultation” above" in page

    forced = client.post(f"/exemptions/requests/{case.id}/finding/submit", follow_redirects=True)
    assert forced.request.path == f"/exemptions/requests/{case.id}"
    assert "No recorded position yet from DoD, DOJ, DHS, DNI" in forced.text
    assert 'class="usa-alert usa-alert--error' in forced.text

    consulted = client.post(
        f"/exemptions/requests/{case.id}/consultations",
        data={"summary": "Northwind asks to be exempted.", "requested_on": TODAY.isoformat(),
              "respond_by": (TODAY + timedelta(days=30)).isoformat()},
        follow_redirects=True,
    )  # fmt: skip
    assert "Consultation requested." in consulted.text
    assert services.get_case(case.id).state_enum is CaseState.IN_CONSULTATION
    for consultation in services.consultations_of(case):
        consultations.record_position(
            consultation, position=Position.CONCUR, comments="", actor=analyst
        )
    db.session.commit()

    sent = client.post(f"/exemptions/requests/{case.id}/finding/submit", follow_redirects=True)
    assert "Finding sent for review." in sent.text
    assert services.get_case(case.id).state_enum is CaseState.IN_REVIEW
    services.decide_finding(case, approve=True, comments="", actor=reviewer, today=TODAY)
    assert case.state_enum is CaseState.GRANTED


def test_an_answer_to_a_question_asked_after_drafting_brings_the_finding_back(people):
    analyst, _ = people
    case = prepare_finding(file_exemption_request(), analyst=analyst, today=TODAY)
    request = services.request_information(
        case, questions="Minutes of the board's approval.", requested_on=TODAY,
        respond_by=TODAY + timedelta(days=14), actor=analyst,
    )  # fmt: skip
    assert case.state_enum is CaseState.INFORMATION_REQUESTED
    services.record_information_response(
        request, responded_on=TODAY, response="Minutes attached.", actor=analyst
    )
    assert case.state_enum is CaseState.FINDING_DRAFTED
    assert services.review_blockers(case) == []


def test_the_provider_withdraws_a_request_in_review_with_its_reasons(client, people):
    analyst, _ = people
    case = prepare_finding(file_exemption_request(), analyst=analyst, today=TODAY)
    review = services.submit_finding(case, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    assert (
        "Record that the provider withdraws its request"
        in client.get(f"/exemptions/requests/{case.id}").text
    )

    blank = client.post(
        f"/exemptions/requests/{case.id}/withdrawal",
        data={"withdrawn_on": (TODAY + timedelta(days=1)).isoformat(), "reasons": "Merging."},
    )
    assert blank.status_code == 422
    assert "The withdrawal cannot be received on a future date." in blank.text
    assert "Merging." in blank.text

    page = client.post(
        f"/exemptions/requests/{case.id}/withdrawal",
        data={"withdrawn_on": TODAY.isoformat(), "reasons": "The provider is being acquired."},
        follow_redirects=True,
    )
    assert "Withdrawal recorded; the request is closed without a finding." in page.text
    assert f"received {TODAY.isoformat()}" in page.text
    assert "The provider is being acquired." in page.text
    case = services.get_case(case.id)
    assert (case.state_enum, case.withdrawn_on) == (CaseState.WITHDRAWN, TODAY)
    assert db.session.get(type(review), review.id).state_enum is ReviewState.VOIDED
    assert review not in approvals.queue()
    event = db.session.execute(
        select(AuditEvent).where(
            AuditEvent.action == "exemption.transition", AuditEvent.subject_id == str(case.id)
        ).order_by(AuditEvent.seq.desc())
    ).scalars().first()  # fmt: skip
    assert '"reasons":"The provider is being acquired."' in event.after_json
    dod = next(c for c in services.consultations_of(case) if c.agency == "DoD")
    assert "withdrew the request" in consultations.position_lock(dod)


def test_a_withdrawal_needs_its_reasons_and_a_decided_request_cannot_be_withdrawn(people):
    analyst, reviewer = people
    case = file_exemption_request()
    with pytest.raises(InvalidInput) as refused:
        services.withdraw(case, received_on=TODAY, reasons="  ", actor=analyst, today=TODAY)
    assert set(refused.value.field_errors) == {"reasons"}
    granted = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    with pytest.raises(IllegalTransition, match="“granted”, from which it cannot move"):
        services.withdraw(granted, received_on=TODAY, reasons="Late.", actor=analyst, today=TODAY)


def _in_state(analyst, reviewer):
    """An exemption request built through the services in each state it can be in."""

    def ready():
        case = prepare_finding(file_exemption_request(), analyst=analyst, today=TODAY)
        db.session.commit()
        return case

    def deny(case):
        services.draft_finding(
            case, assessments={k: ("not satisfied", t) for k, t in FINDING_REASONS.items()},
            decision="deny", actor=analyst,
        )  # fmt: skip

    def decide(case):
        services.submit_finding(case, actor=analyst)
        services.decide_finding(case, approve=True, comments="", actor=reviewer, today=TODAY)

    started = then(file_exemption_request, lambda case: services.start_review(case, actor=analyst))
    asked = then(
        started,
        lambda case: services.request_information(
            case, questions="The board's minutes.", requested_on=TODAY,
            respond_by=TODAY + timedelta(days=14), actor=analyst,
        ),
    )  # fmt: skip
    granted = then(ready, decide)
    revocation_proposed = then(
        granted,
        lambda case: services.propose_revocation(
            case, reasons="The program lapsed.", special_measure_reference="", actor=analyst
        ),
    )
    return {
        "received": file_exemption_request,
        "under review": started,
        "information requested": asked,
        "in consultation": then(started, lambda case: _consult(case, analyst)),
        "finding drafted before consultation": lambda: _draft_before_consulting(analyst),
        "finding drafted": ready,
        "in review": then(ready, lambda case: services.submit_finding(case, actor=analyst)),
        "granted": granted,
        "granted, revocation in review": revocation_proposed,
        "denied": then(then(ready, deny), decide),
        "revoked": then(
            revocation_proposed,
            lambda case: services.decide_revocation(
                case, approve=True, comments="", actor=reviewer, today=TODAY
            ),
        ),
        "withdrawn": then(
            file_exemption_request,
            lambda case: services.withdraw(
                case, received_on=TODAY, reasons="Merging.", actor=analyst, today=TODAY
            ),
        ),
    }


def _open_question(case):
    asked = [r for r in case.information_requests if r.responded_on is None]
    answered = [r for r in case.information_requests if r.responded_on is not None]
    chosen = (asked or answered or [None])[0]
    return (
        None
        if chosen is None
        else (f"/exemptions/requests/{case.id}/information/{chosen.id}/response")
    )


STEPS = {
    "start review": Step("analyst", lambda c: f"/exemptions/requests/{c.id}/start-review", {}),
    "request information": Step(
        "analyst",
        lambda c: f"/exemptions/requests/{c.id}/information",
        {
            "questions": "Minutes of the approval.",
            "requested_on": TODAY.isoformat(),
            "respond_by": (TODAY + timedelta(days=14)).isoformat(),
        },
    ),
    "record a response": Step(
        "analyst", _open_question, {"response": "Minutes sent.", "responded_on": TODAY.isoformat()}
    ),
    "consult": Step(
        "analyst",
        lambda c: f"/exemptions/requests/{c.id}/consultations",
        {
            "summary": "Positions, please.",
            "requested_on": TODAY.isoformat(),
            "respond_by": (TODAY + timedelta(days=30)).isoformat(),
        },
    ),
    "draft the finding": Step(
        "analyst", lambda c: f"/exemptions/requests/{c.id}/finding", FINDING_FIELDS
    ),
    "send for review": Step("analyst", lambda c: f"/exemptions/requests/{c.id}/finding/submit", {}),
    "decide the finding": Step(
        "reviewer",
        lambda c: f"/exemptions/requests/{c.id}/finding/decision",
        {"outcome": "approve"},
    ),
    "record a notice": Step(
        "analyst",
        lambda c: f"/exemptions/requests/{c.id}/notices",
        {"kind": "material change", "received_on": TODAY.isoformat(), "summary": "New owner."},
    ),
    "propose revocation": Step(
        "analyst", lambda c: f"/exemptions/requests/{c.id}/revocation", {"reasons": "Lapsed."}
    ),
    "decide the revocation": Step(
        "reviewer",
        lambda c: f"/exemptions/requests/{c.id}/revocation/decision",
        {"revocation-outcome": "approve"},
    ),
    "withdraw": Step(
        "analyst",
        lambda c: f"/exemptions/requests/{c.id}/withdrawal",
        {"withdrawn_on": TODAY.isoformat(), "reasons": "The provider changed its mind."},
    ),
}


def test_every_step_refused_by_the_state_of_a_request_says_why_and_is_not_offered(app, people):
    analyst, reviewer = people
    clients = signed_in(app, analyst=analyst, reviewer=reviewer)
    outcomes = sweep(
        clients, _in_state(analyst, reviewer), STEPS, lambda c: f"/exemptions/requests/{c.id}"
    )
    assert outcomes[("finding drafted before consultation", "consult")] == TAKEN
    assert outcomes[("finding drafted before consultation", "request information")] == TAKEN
    assert all(
        outcomes[(state, "withdraw")] == TAKEN
        for state in ("received", "information requested", "finding drafted", "in review")
    )
