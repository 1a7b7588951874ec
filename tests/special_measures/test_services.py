"""Special-measure cases through the services: each step's preconditions, the dates issuance
sets, the notices to Congress, extensions, revocations and the measures in force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.approvals import services as approvals
from core.approvals.services import ReviewRefused
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.deadlines.rules import Urgency
from core.errors import DomainError, IllegalTransition, InvalidInput
from special_measures import actions as measure_actions
from special_measures import rules, services
from special_measures.rules import ActionKind, CaseState, MeasureKind, ReferralSource, SubjectKind
from tests.factories import at_once, extend_measure, make_measure, make_user, revoke_measure

TODAY = date(2027, 3, 15)


def _referral(**changes: object) -> services.Referral:
    values = {
        "source": ReferralSource.SECRETARY,
        "received_on": date(2027, 1, 5),
        "summary": "Botnet controllers rent accounts through resellers in the region.",
        "subject_kind": SubjectKind.JURISDICTION,
        "jurisdiction": "RU",
    }
    return services.Referral(**{**values, **changes})


def test_analysts_opening_cases_at_the_same_moment_get_distinct_references(app):
    analyst = make_user(Role.ANALYST)
    make_measure(TODAY, stop_at="consultation", analyst=analyst)  # SM-2027-0001 already issued
    references = at_once(
        app, 6, lambda actor: services.open_case(_referral(), actor=actor, today=TODAY).reference,
        actor=analyst,
    )  # fmt: skip
    assert sorted(references) == [f"SM-2027-{n:04d}" for n in range(2, 8)]


def test_a_referral_with_gaps_is_refused_field_by_field_and_nothing_is_stored(app):
    analyst = make_user(Role.ANALYST)
    bad = _referral(
        source=ReferralSource.AGENCY,
        subject_kind=SubjectKind.PERSON,
        jurisdiction="RU",
        region="UA-43",
        received_on=TODAY + timedelta(days=1),
        related_receipts=["OICTS-2026-999999"],
    )
    with pytest.raises(InvalidInput) as refused:
        services.open_case(bad, actor=analyst, today=TODAY)
    assert set(refused.value.field_errors) == {
        "referring_agency",
        "person_name",
        "region",
        "received_on",
        "related_receipts",
    }
    assert "OICTS-2026-999999" in refused.value.field_errors["related_receipts"][0]
    assert services.all_cases() == []


def test_cases_are_numbered_per_year(app):
    analyst = make_user(Role.ANALYST)
    first = services.open_case(_referral(), actor=analyst, today=TODAY)
    second = services.open_case(_referral(jurisdiction="KP"), actor=analyst, today=TODAY)
    assert (first.reference, second.reference) == ("SM-2027-0001", "SM-2027-0002")


def test_consultation_waits_for_every_factor_and_asks_the_six_agencies(app):
    analyst = make_user(Role.ANALYST)
    case = services.open_case(_referral(), actor=analyst, today=TODAY)
    services.save_evaluation(case, {"b3iA": ("Seen in 40 incidents.", "")}, actor=analyst)
    consult = {
        "summary": "Your position, please.",
        "respond_by": TODAY + timedelta(days=14),
        "optional_agencies": ("FBI",),
        "actor": analyst,
        "today": TODAY,
    }
    with pytest.raises(
        DomainError, match=r"§7.307\(b\)\(3\)\(i\)\(B\); §7.307\(b\)\(3\)\(i\)\(C\)"
    ):
        services.request_case_consultations(case, **consult)

    services.save_evaluation(
        case,
        {"b3iB": ("A leading source.", ""), "b3iC": ("No MLAT in force.", "")},
        actor=analyst,
    )
    services.request_case_consultations(case, **consult)

    asked = {(c.agency, c.required) for c in consultations.for_subject(services.CASE, case.id)}
    assert asked == {
        ("State", True), ("Treasury", True), ("DoD", True), ("DOJ", True), ("DHS", True),
        ("DNI", True), ("FBI", False),
    }  # fmt: skip
    assert case.state_enum is CaseState.CONSULTATION


def test_review_waits_for_every_required_position(app):
    case = make_measure(TODAY, stop_at="drafted")
    state_position = next(
        c for c in consultations.for_subject(services.CASE, case.id) if c.agency == "State"
    )
    state_position.position = None
    db.session.commit()

    with pytest.raises(DomainError, match=r"Record the position of State \(§7.307\(c\)\)"):
        services.submit_determination(case, actor=case.drafted_by)

    consultations.record_position(
        state_position, position=Position.NO_RESPONSE, comments="", actor=case.drafted_by
    )
    services.submit_determination(case, actor=case.drafted_by)
    assert case.state_enum is CaseState.IN_REVIEW


def test_only_another_person_who_is_a_reviewer_approves(app):
    case = make_measure(TODAY, stop_at="in review")
    with pytest.raises(ReviewRefused, match="Only a reviewer"):
        services.decide_determination(case, approve=True, comments="", actor=case.drafted_by)
    with pytest.raises(ReviewRefused, match="Say what must change"):
        services.decide_determination(
            case, approve=False, comments=" ", actor=make_user(Role.REVIEWER)
        )
    services.decide_determination(
        case, approve=False, comments="Cite the incidents.", actor=make_user(Role.REVIEWER)
    )
    assert case.state_enum is CaseState.DRAFTED


def _draft(compliance_on: date, **changes: object) -> services.DeterminationDraft:
    values = {
        "evaluation_summary": "Forty incidents.",
        "measure_kind": MeasureKind.CONDITIONS,
        "conditions": "Verify identity in person.",
        "consistency": "Consistent with E.O. 13984.",
        "compliance_on": compliance_on,
        "selection": {f.code: ("Weighed.", "") for f in rules.SELECTION_FACTORS},
    }
    return services.DeterminationDraft(**{**values, **changes})


def test_a_compliance_date_under_180_days_is_refused_when_drafted_and_when_issued(app):
    case = make_measure(TODAY, stop_at="consultation")
    analyst = make_user(Role.ANALYST)
    with pytest.raises(InvalidInput) as refused:
        services.save_determination(
            case, _draft(TODAY + timedelta(days=179), conditions=""), actor=analyst, today=TODAY
        )
    assert set(refused.value.field_errors) == {"compliance_on", "conditions"}
    assert "2027-09-11" in refused.value.field_errors["compliance_on"][0]

    # Drafted for issuance today; approved; issued five days later, the date no longer holds.
    services.save_determination(
        case, _draft(TODAY + timedelta(days=180)), actor=analyst, today=TODAY
    )
    services.submit_determination(case, actor=analyst)
    services.decide_determination(case, approve=True, comments="", actor=make_user(Role.REVIEWER))
    with pytest.raises(InvalidInput) as late:
        services.issue_determination(
            case,
            issued_on=TODAY + timedelta(days=5),
            actor=analyst,
            today=TODAY + timedelta(days=5),
        )
    assert "no provider may be required to comply earlier than 180 days" in str(late.value)
    assert case.state_enum is CaseState.APPROVED


def test_an_approved_determination_stands_as_reviewed(app):
    """Once submitted, only the reviewer's return reopens the draft (docs/architecture.md §5)."""
    case = make_measure(TODAY, stop_at="approved")
    approved_compliance = case.compliance_on
    with pytest.raises(IllegalTransition, match="only after the reviewer returns it"):
        services.save_determination(
            case, _draft(TODAY + timedelta(days=240)), actor=case.drafted_by, today=TODAY
        )
    assert case.state_enum is CaseState.APPROVED
    assert case.compliance_on == approved_compliance


def test_issuance_opens_the_clocks_and_prepares_two_letters(app):
    case = make_measure(TODAY)

    assert case.state_enum is CaseState.ISSUED
    assert (case.issued_on, case.earliest_compliance_on, case.last_day_on) == (
        TODAY, date(2027, 9, 11), date(2028, 3, 13)
    )  # fmt: skip
    assert case.expiry_computation == (
        "2028-03-13 = issued 2027-03-15 + 364 calendar days (last day of the 365-day period "
        "beginning on that date), §7.307(a)(5)"
    )
    assert [(n.committee, n.addressee, n.deadline.due_on) for n in case.notices] == [
        ("house_energy_commerce", "The Honorable Brett Guthrie", date(2027, 3, 25)),
        ("senate_commerce", "The Honorable Ted Cruz", date(2027, 3, 25)),
    ]
    assert all(n.deadline.citation == "§7.307(d)" for n in case.notices)
    assert services.in_force_on(TODAY) == [case]


def test_sending_a_letter_meets_its_clock_and_the_next_letter_keeps_the_addressee(app):
    case = make_measure(TODAY)
    house = case.notices[0]
    services.set_addressee(house, "The Honorable Pat Example", actor=case.drafted_by)
    with pytest.raises(InvalidInput, match="future"):
        services.record_notice_sent(
            house, sent_on=TODAY + timedelta(days=2), sent_how="Hand delivery",
            actor=case.drafted_by, today=TODAY,
        )  # fmt: skip
    services.record_notice_sent(
        house, sent_on=TODAY, sent_how="Hand delivery", actor=case.drafted_by, today=TODAY
    )
    assert house.deadline.met_on == TODAY
    with pytest.raises(DomainError, match="sent; its addressee is part of the record"):
        services.set_addressee(house, "Someone else", actor=case.drafted_by)

    later = make_measure(TODAY)
    assert later.notices[0].addressee == "The Honorable Pat Example"


def _extension(case, today: date, new_last_day: date):
    action = measure_actions.draft_action(
        case,
        kind=ActionKind.EXTENSION,
        reasons="Incidents continue at the same rate.",
        new_last_day_on=new_last_day,
        effective_on=None,
        actor=case.drafted_by,
        today=today,
    )
    measure_actions.decide_action(action, approve=True, comments="", actor=make_user(Role.REVIEWER))
    return action


def test_an_extension_published_after_the_last_day_is_refused(app):
    case = make_measure(TODAY)
    action = _extension(case, date(2028, 3, 1), date(2029, 3, 13))
    with pytest.raises(InvalidInput, match="after the measure's last day"):
        measure_actions.record_extension(
            action, federal_register_citation="93 FR 4567", published_on=date(2028, 3, 14),
            actor=case.drafted_by, today=date(2028, 3, 20),
        )  # fmt: skip
    assert case.last_day_on == date(2028, 3, 13)

    measure_actions.record_extension(
        action, federal_register_citation="93 FR 4567", published_on=date(2028, 3, 13),
        actor=case.drafted_by, today=date(2028, 3, 20),
    )  # fmt: skip
    assert case.last_day_on == date(2029, 3, 13)
    assert services.in_force_on(date(2028, 6, 1)) == [case]
    extension_notices = [n for n in case.notices if n.action_id == action.id]
    assert [n.deadline.due_on for n in extension_notices] == [date(2028, 3, 23)] * 2


def test_an_extension_must_be_approved_before_it_is_recorded(app):
    case = make_measure(TODAY)
    action = measure_actions.draft_action(
        case, kind="extension", reasons="Still needed.", new_last_day_on=date(2029, 1, 1),
        effective_on=None, actor=case.drafted_by, today=date(2028, 1, 1),
    )  # fmt: skip
    with pytest.raises(DomainError, match="A reviewer must approve it"):
        measure_actions.record_extension(
            action, federal_register_citation="93 FR 1", published_on=date(2028, 1, 2),
            actor=case.drafted_by, today=date(2028, 1, 3),
        )  # fmt: skip


def test_an_unextended_measure_leaves_the_list_the_day_after_its_last_day(app):
    case = make_measure(TODAY)
    assert services.in_force_on(date(2028, 3, 13)) == [case]
    assert services.in_force_on(date(2028, 3, 14)) == []
    assert services.status_of(case, date(2028, 3, 14)) is rules.MeasureStatus.LAPSED
    with pytest.raises(DomainError, match="lapsed"):
        _extension(case, date(2028, 3, 14), date(2029, 3, 13))


def test_a_revocation_reviewed_and_recorded_ends_the_measure(app):
    case = make_measure(TODAY)
    action = measure_actions.draft_action(
        case, kind=ActionKind.REVOCATION, reasons="The jurisdiction has acted.",
        new_last_day_on=None, effective_on=date(2027, 6, 1), actor=case.drafted_by,
        today=date(2027, 5, 20),
    )  # fmt: skip
    measure_actions.decide_action(action, approve=True, comments="", actor=make_user(Role.REVIEWER))
    with pytest.raises(DomainError, match="on or after the day it takes effect"):
        measure_actions.record_revocation(action, actor=case.drafted_by, today=date(2027, 5, 25))
    measure_actions.record_revocation(action, actor=case.drafted_by, today=date(2027, 6, 1))

    assert services.in_force_on(date(2027, 5, 31)) == [case]
    assert services.in_force_on(date(2027, 6, 1)) == []
    db.session.commit()
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "special_measure.revoked" in actions


def test_a_case_may_close_without_a_measure_with_reasons(app):
    case = make_measure(TODAY, stop_at="consultation")
    analyst = make_user(Role.ANALYST)
    with pytest.raises(InvalidInput):
        services.close_case(case, reasons=" ", actor=analyst)
    services.close_case(case, reasons="Actions short of a measure suffice.", actor=analyst)
    assert case.state_enum is CaseState.CLOSED
    assert db.session.execute(select(Deadline)).scalars().all() == []


# --- The last day in effect on the deadline board (§7.307(a)(5)) ---------------------------


def _expiry_board(today: date) -> list[deadlines.BoardRow]:
    return deadlines.board(deadlines.BoardFilter(clock_key=services.EXPIRY_CLOCK), today)


def _expiry_clocks(case) -> list[Deadline]:
    return [
        d
        for d in deadlines.deadlines_for_subject(services.CASE, case.id)
        if d.clock_key == services.EXPIRY_CLOCK
    ]


def test_issuance_puts_the_last_day_in_effect_on_the_deadline_board(app):
    case = make_measure(TODAY)

    (row,) = _expiry_board(date(2028, 3, 1))
    assert (row.deadline.subject_type, row.deadline.subject_id) == (services.CASE, str(case.id))
    assert (row.deadline.due_on, row.deadline.citation) == (date(2028, 3, 13), "§7.307(a)(5)")
    assert row.deadline.computation == case.expiry_computation
    assert (row.urgency, row.days_left) == (Urgency.DUE_SOON, "12 days left")
    assert row.subject_url == f"http://oicts.test/special-measures/cases/{case.id}"
    assert _expiry_board(TODAY)[0].urgency is Urgency.LATER


def test_an_extension_meets_the_expiry_clock(app):
    case = make_measure(TODAY)
    extend_measure(case, new_last_day=date(2029, 3, 13), published_on=date(2028, 3, 1))

    (met,) = _expiry_clocks(case)
    assert (met.met_on, met.met_note) == (date(2028, 3, 1), "extended to 2029-03-13 by 93 FR 4567")
    assert met.met_on <= met.due_on
    # The additional period begins the day after the last day and ends on the new last day.
    (row,) = deadlines.board(
        deadlines.BoardFilter(clock_key=services.EXTENDED_EXPIRY_CLOCK), date(2029, 3, 1)
    )
    assert row.deadline.started_on == date(2028, 3, 14)
    assert row.deadline.due_on == date(2029, 3, 13)
    assert "2029-03-13 = additional period begins 2028-03-14 + 364 calendar days" in (
        row.deadline.computation
    )
    revoke_measure(case, effective_on=date(2028, 6, 1))
    assert (
        deadlines.board(
            deadlines.BoardFilter(clock_key=services.EXTENDED_EXPIRY_CLOCK), date(2029, 3, 1)
        )
        == []
    )


def test_a_revocation_meets_the_expiry_clock_and_the_board_stops_warning(app):
    case = make_measure(TODAY)
    revoke_measure(case, effective_on=date(2027, 6, 1))

    assert _expiry_board(date(2028, 3, 1)) == []
    (met,) = _expiry_clocks(case)
    assert (met.met_on, met.met_note) == (date(2027, 6, 1), "revoked")


# --- The agencies' positions (§7.307(c)) ----------------------------------------------------


def _position_of(case, agency: str):
    return next(c for c in consultations.for_subject(services.CASE, case.id) if c.agency == agency)


def test_a_position_changed_after_approval_voids_it_and_sends_the_draft_back(app):
    case = make_measure(TODAY, stop_at="approved")
    liaison = make_user(Role.LIAISON, agency="DoD")

    consultations.record_position(
        _position_of(case, "DoD"), position=Position.DO_NOT_CONCUR,
        comments="New reporting shows the actors moved elsewhere.", actor=liaison,
    )  # fmt: skip

    assert case.state_enum is CaseState.DRAFTED
    assert approvals.latest_review(services.CASE, case.id).state == "voided"
    with pytest.raises(DomainError, match="approved as it stands"):
        services.issue_determination(case, issued_on=TODAY, actor=case.drafted_by, today=TODAY)


def test_a_position_changed_during_review_cannot_be_approved_unread(app):
    case = make_measure(TODAY, stop_at="in review")
    consultations.record_position(
        _position_of(case, "DHS"), position=Position.CONCUR_WITH_CONDITIONS,
        comments="Only for accounts opened after the compliance date.", actor=case.drafted_by,
    )  # fmt: skip
    with pytest.raises(ReviewRefused, match="changed after it was submitted"):
        services.decide_determination(
            case, approve=True, comments="", actor=make_user(Role.REVIEWER)
        )


def test_once_issued_or_closed_the_positions_can_no_longer_change(app):
    issued = make_measure(TODAY)
    with pytest.raises(DomainError, match=f"{issued.reference} was issued on 2027-03-15"):
        consultations.record_position(
            _position_of(issued, "State"), position=Position.DO_NOT_CONCUR,
            comments="Reconsidered.", actor=make_user(Role.LIAISON, agency="State"),
        )  # fmt: skip
    assert _position_of(issued, "State").position == "concur"

    closed = make_measure(TODAY, stop_at="consultation")
    services.close_case(closed, reasons="Actions short of a measure suffice.", actor=make_user())
    with pytest.raises(DomainError, match="closed without a measure"):
        consultations.record_position(
            _position_of(closed, "DNI"), position=Position.NO_RESPONSE, comments="",
            actor=make_user(Role.ANALYST),
        )  # fmt: skip
