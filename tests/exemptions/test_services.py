"""Working an exemption case through the services, on each database (§7.306)."""

from datetime import date

import pytest
from sqlalchemy import select

from core.approvals.models import Review
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from core.deadlines import services as deadlines
from core.errors import DomainError, IllegalTransition
from exemptions import services
from exemptions.rules import CaseState, NoticeKind
from intake import registry as provider_registry
from intake import services as intake
from intake.rules import check_filing
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    make_provider,
    make_resellers,
    make_user,
    prepare_finding,
)

TODAY = date(2027, 3, 1)


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER)


def test_a_filed_request_opens_a_case_with_its_receipt(people):
    case = file_exemption_request()
    assert case.state_enum is CaseState.RECEIVED
    assert case.filing.receipt_number.startswith("OICTS-")
    assert case.scope == "provider"
    assert [item.addressed for item in services.checklist(case)].count(False) == 0


def test_a_reseller_request_names_the_reseller_and_needs_its_name():
    result = check_filing("exemption_request", {"scope": "foreign_reseller"})
    assert {p.path for p in result.errors} >= {"requester_name", "program_summary"}
    from intake.examples import payload

    problems = check_filing(
        "exemption_request", payload("exemption_request", scope="foreign_reseller")
    )
    assert [(p.path, p.citation) for p in problems.errors] == [
        ("reseller_name", "§7.306(e)"),
        ("reseller_jurisdiction", "§7.306(e)"),
    ]


def test_information_request_and_response_move_the_case(people):
    analyst, _ = people
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    asked = services.request_information(
        case,
        questions="Send the Risk Committee's minutes approving the program.",
        requested_on=date(2027, 1, 4),
        respond_by=date(2027, 1, 25),
        actor=analyst,
    )
    assert case.state_enum is CaseState.INFORMATION_REQUESTED
    with pytest.raises(services.ExemptionRefused, match="cannot come before"):
        services.record_information_response(
            asked, responded_on=date(2027, 1, 1), response="x", actor=analyst
        )
    services.record_information_response(
        asked, responded_on=date(2027, 1, 20), response="Minutes of 30 June.", actor=analyst
    )
    assert case.state_enum is CaseState.UNDER_REVIEW
    assert asked.responded_on == date(2027, 1, 20)


def test_finding_cannot_go_to_review_while_a_position_is_missing(people):
    analyst, _ = people
    case = file_exemption_request()
    prepare_finding(case, analyst=analyst, silent=("DNI",))
    with pytest.raises(services.ExemptionRefused, match="DNI"):
        services.submit_finding(case, actor=analyst)
    assert case.state_enum is CaseState.FINDING_DRAFTED


def test_the_drafter_cannot_approve_and_another_reviewer_grants(people):
    analyst, reviewer = people
    case = file_exemption_request()
    prepare_finding(case, analyst=analyst, optional_agencies=("State",))
    services.submit_finding(case, actor=analyst)
    with pytest.raises(services.ExemptionRefused):
        services.decide_finding(case, approve=True, comments="", actor=analyst, today=TODAY)
    services.decide_finding(case, approve=True, comments="", actor=reviewer, today=TODAY)
    db.session.commit()
    assert case.state_enum is CaseState.GRANTED
    assert case.decided_on == TODAY
    clock = services.annual_clock(case)
    assert (clock.started_on, clock.due_on, clock.citation) == (
        TODAY,
        date(2028, 3, 1),
        "§7.306(f)",
    )


def test_a_returned_finding_goes_back_to_the_drafter(people):
    analyst, reviewer = people
    case = file_exemption_request()
    prepare_finding(case, analyst=analyst, optional_agencies=("State",))
    services.submit_finding(case, actor=analyst)
    with pytest.raises(services.ExemptionRefused, match="Say what must change"):
        services.decide_finding(case, approve=False, comments="", actor=reviewer, today=TODAY)
    services.decide_finding(
        case, approve=False, comments="Explain factor (iii).", actor=reviewer, today=TODAY
    )
    assert case.state_enum is CaseState.FINDING_DRAFTED
    assert services.annual_clock(case) is None


def test_annual_notification_meets_the_clock_and_opens_the_next(people):
    analyst, reviewer = people
    case = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    first = services.annual_clock(case)
    services.record_notice(
        case,
        kind=NoticeKind.ANNUAL,
        received_on=date(2028, 2, 20),
        summary="Program updated for new accelerator offerings.",
        actor=analyst,
    )
    services.record_notice(
        case,
        kind=NoticeKind.MATERIAL_CHANGE,
        received_on=date(2028, 4, 2),
        summary="Acquired a reseller in Brazil.",
        actor=analyst,
    )
    db.session.commit()
    assert first.met_on == date(2028, 2, 20)
    assert services.annual_clock(case).due_on == date(2029, 2, 20)
    assert [n.kind for n in case.notices] == ["annual notification", "material change"]


def test_an_overdue_notification_is_listed_for_the_risk_score_and_the_board(people):
    analyst, reviewer = people
    case = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    assert services.overdue_annual_notifications(date(2028, 3, 1)) == []
    overdue = services.overdue_annual_notifications(date(2028, 3, 2))
    assert [(o.case_id, o.due_on) for o in overdue] == [(case.id, date(2028, 3, 1))]
    board = deadlines.board(deadlines.BoardFilter(module="exemptions"), date(2028, 3, 2))
    assert [row.deadline.clock_key for row in board] == ["exemption.annual_notification"]


def test_exemption_waives_intake_expectations_until_revoked(people):
    analyst, reviewer = people
    provider = make_provider()
    assert provider_registry.expectations_of(provider, TODAY).certification_missing
    case = grant_exemption(file_exemption_request(provider), analyst=analyst, reviewer=reviewer)
    expected = provider_registry.expectations_of(provider, TODAY)
    assert not expected.certification_missing
    assert "exempt since 2027-03-01" in expected.certification_waiver.reason
    assert provider not in [
        row.provider for row in provider_registry.providers_missing_certification(TODAY)
    ]

    with pytest.raises(services.ExemptionRefused, match="reasons"):
        services.propose_revocation(case, reasons=" ", special_measure_reference="", actor=analyst)
    services.propose_revocation(
        case,
        reasons="Program no longer maintained.",
        special_measure_reference="SM-2027-004",
        actor=analyst,
    )
    assert case.state_enum is CaseState.GRANTED  # not until a reviewer approves
    services.decide_revocation(case, approve=True, comments="", actor=reviewer, today=TODAY)
    db.session.commit()
    assert case.state_enum is CaseState.REVOKED
    assert case.revocation_reference == "SM-2027-004"
    assert provider_registry.expectations_of(provider, TODAY).certification_missing
    assert provider in [
        row.provider for row in provider_registry.providers_missing_certification(TODAY)
    ]
    assert services.annual_clock(case) is None


def test_an_exempt_reseller_is_not_expected_in_compiled_certifications(people):
    analyst, reviewer = people
    provider = make_provider()
    resellers = make_resellers(provider, 3)
    chosen = resellers[1]
    case = file_exemption_request(
        provider,
        scope="foreign_reseller",
        # Written as the filer wrote it: another case, doubled spaces.
        reseller_name="  ".join(chosen.name.upper().split()),
        reseller_jurisdiction=chosen.jurisdiction,
    )
    assert case.reseller_id == chosen.id
    grant_exemption(case, analyst=analyst, reviewer=reviewer)
    expected = intake.resellers_expected_in_certification(provider)
    assert chosen not in expected and len(expected) == 2
    # A reseller's exemption does not lift the provider's own certification (§7.306(b)).
    assert provider_registry.expectations_of(provider, TODAY).certification_missing


def test_every_change_is_audited_and_reviews_are_bound(people):
    analyst, reviewer = people
    case = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(case.id)))
    )
    assert {"exemption.open", "exemption.transition", "exemption.finding_draft"} <= actions
    review = db.session.scalars(
        select(Review).where(Review.subject_type == "exemption_finding")
    ).one()
    assert review.reviewer_id == reviewer.id and review.drafted_by_id == analyst.id


def test_only_analysts_draft(people):
    _, reviewer = people
    case = file_exemption_request()
    with pytest.raises(services.ExemptionRefused, match="analyst"):
        services.start_review(case, actor=reviewer)


def test_agencies_are_consulted_once_per_request(people):
    analyst, _ = people
    case = prepare_finding(file_exemption_request(), analyst=analyst)
    with pytest.raises(IllegalTransition, match="already been consulted"):
        services.consult_agencies(
            case,
            summary="Again.",
            requested_on=date(2027, 3, 1),
            respond_by=date(2027, 3, 15),
            optional_agencies=(),
            actor=analyst,
        )


def test_the_agencies_positions_are_final_once_the_request_is_decided(people):
    analyst, reviewer = people
    case = grant_exemption(file_exemption_request(make_provider()), analyst=analyst,
                           reviewer=reviewer)  # fmt: skip
    dod = next(c for c in consultations.for_subject(services.SUBJECT, case.id) if c.agency == "DoD")
    with pytest.raises(DomainError, match="can no longer change"):
        consultations.record_position(
            dod, position=Position.DO_NOT_CONCUR, comments="Second thoughts.",
            actor=make_user(Role.LIAISON, agency="DoD"),
        )  # fmt: skip
