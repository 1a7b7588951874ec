"""Penalty cases (§7.309): drafted by an analyst, approved by another, served, perhaps
petitioned, and decided."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from casework.penalties import rules
from casework.penalties.models import PenaltyCase, PenaltyProceeding, PenaltyViolation
from casework.rules import oversight_date_problem
from casework.services import check_drafter
from core import counters, crypto, signals
from core.approvals import services as approvals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.jobs import schedule
from core.ownership import services as ownership
from core.parameters import services as parameters
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake.models import ForeignReseller, Provider

PENALTY = "penalty"
CAP_PARAMETER = "penalty.ieepa_civil_cap"


def actions_for(
    case: PenaltyCase, role: Role | None, facts: Mapping[str, bool] | None = None
) -> frozenset[str]:
    """The actions ``role`` may take on the case now: what its page offers."""
    return workflow.available_actions(
        rules.PENALTY_ACTIONS, rules.PenaltyState(case.state), role, facts
    )


def _require(case: PenaltyCase, action: str, message: str | None = None) -> None:
    """Refuse what the case's page does not offer now."""
    workflow.check_action(
        rules.PENALTY_ACTIONS, action, rules.PenaltyState(case.state), message=message
    )


def _move(case: PenaltyCase, wanted: rules.PenaltyState, actor: User | None, **after: object):
    change_state(case, wanted, rules.PENALTY_ALLOWED, subject_type=PENALTY, actor=actor, **after)
    # An open penalty is among the provider's facts (§7.305(d)).
    if case.provider_id is not None:
        signals.send(signals.provider_facts_changed, provider_ids=[case.provider_id])


@dataclass(frozen=True)
class CapInForce:
    """The cap per violation on a day, from the effective-dated table of 15 CFR 6.3."""

    amount: int
    source: str  # the citation, and the day the figure took effect
    on: date


def cap_in_force(on: date) -> CapInForce:
    row = parameters.row_in_force(CAP_PARAMETER, on)
    if row is None:
        raise DomainError(f"No IEEPA civil penalty cap is in force on {on.isoformat()}.")
    source = f"{row.citation}; in force from {row.effective_from.isoformat()}"
    return CapInForce(row.number, source, on)


def penalty_maximum(
    violations: Sequence[rules.Violation], on: date
) -> tuple[rules.PenaltyMaximum, CapInForce]:
    """The maximum with the IEEPA cap in force on ``on``, and that cap with its source."""
    cap = cap_in_force(on)
    return rules.PenaltyMaximum(cap.amount, tuple(violations)), cap


def checked_maximum(
    violations: Sequence[rules.Violation], proposed_amount: int, on: date
) -> tuple[rules.PenaltyMaximum, CapInForce]:
    """The maximum in force on ``on`` for a notice naming ``violations``, refusing a notice that
    lists none of §7.309(a), or a violation wrongly, or proposes more than the maximum
    (§7.309(c)(1))."""
    problems = rules.violation_problems(list(violations), today=on)
    maximum, cap = penalty_maximum(violations, on)
    if proposed_amount > maximum.total:
        problems["proposed_amount"] = [
            f"The proposed ${proposed_amount:,} exceeds the maximum: "
            f"{maximum.arithmetic(cap.source)}."
        ]
    if problems:
        raise InvalidInput(problems)
    return maximum, cap


Respondent = Provider | ForeignReseller | rules.NamedPerson


def set_respondent(case: PenaltyCase, respondent: Respondent) -> None:
    """Any person (§7.309(a)): a provider, a foreign reseller, or a person named on the case."""
    case.provider_id = case.reseller_id = None
    case.person_name_sealed = case.person_address_sealed = None
    if isinstance(respondent, Provider):
        case.respondent_kind, case.provider_id = rules.RespondentKind.PROVIDER, respondent.id
    elif isinstance(respondent, ForeignReseller):
        case.respondent_kind, case.reseller_id = rules.RespondentKind.RESELLER, respondent.id
    else:
        if problems := rules.person_problems(respondent):
            raise InvalidInput(problems)
        case.respondent_kind = rules.RespondentKind.PERSON
        case.person_name_sealed = crypto.encrypt(respondent.name.strip())
        case.person_address_sealed = crypto.encrypt(respondent.address.strip())


def set_violations(case: PenaltyCase, violations: Sequence[rules.Violation]) -> None:
    case.violations = [
        PenaltyViolation(
            number=number, paragraph=v.paragraph, occurred_on=v.occurred_on,
            transaction=v.transaction.strip(), transaction_value=v.transaction_value,
        )
        for number, v in enumerate(violations, start=1)
    ]  # fmt: skip


def draft_penalty(
    respondent: Respondent,
    *,
    violations: Sequence[rules.Violation],
    conduct: str,
    proposed_amount: int,
    actor: User,
    today: date,
) -> PenaltyCase:
    check_drafter(actor, "a penalty notice")
    maximum, cap = checked_maximum(violations, proposed_amount, today)
    case = PenaltyCase(
        reference=counters.next_reference("PN", today.year, digits=4),
        state=rules.PenaltyState.DRAFTED.value,
        conduct=conduct.strip(),
        proposed_amount=proposed_amount,
        proposed_on=today,
        cap=cap.amount,
        cap_source=cap.source,
        cap_on=today,
        drafted_by_id=actor.id,
    )
    set_respondent(case, respondent)
    set_violations(case, violations)
    db.session.add(case)
    db.session.flush()
    record_event(
        "penalty.draft",
        actor=actor,
        subject=(PENALTY, case.id),
        after={"reference": case.reference, "respondent": case.respondent_kind.value,
               "violations": [v.citation for v in violations],
               "proposed": proposed_amount, "maximum": maximum.total},
    )  # fmt: skip
    ownership.set_on_opening("penalty", case, actor)
    return case


def maximum_of(case: PenaltyCase, today: date) -> tuple[rules.PenaltyMaximum, CapInForce]:
    """The maximum against the cap in force when the penalty is assessed: fixed on the day of
    service, and until then the cap in force today (§7.309(c)(1); rules.assessment_date)."""
    if case.served_on is not None:
        cap = CapInForce(case.cap, case.cap_source, case.cap_on)
        return rules.PenaltyMaximum(cap.amount, case.violation_lines), cap
    return penalty_maximum(case.violation_lines, today)


def get_penalty(penalty_id: int) -> PenaltyCase | None:
    return db.session.get(PenaltyCase, penalty_id)


def penalties_of(
    provider_id: int | None = None, *, owned: ColumnElement[bool] | None = None
) -> list[PenaltyCase]:
    return ownership.newest_first(
        PenaltyCase, None if provider_id is None else PenaltyCase.provider_id == provider_id, owned
    )


def penalties_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The penalty cases' list (§7.309): against any person, each with its provider or foreign
    reseller loaded, so that the list sorts by ``RESPONDENT_NAME`` in SQL."""
    return (
        ownership.cases_query(PenaltyCase, owned)
        .outerjoin(PenaltyCase.provider)
        .outerjoin(PenaltyCase.reseller)
        .options(contains_eager(PenaltyCase.provider), contains_eager(PenaltyCase.reseller))
    )


# A named person's name is encrypted: such cases sort after every provider and reseller.
RESPONDENT_NAME = func.lower(func.coalesce(Provider.legal_name, ForeignReseller.name, "~"))


def violation_rows(violations: Sequence[rules.Violation]) -> list[list[object]]:
    return [
        [v.paragraph, v.occurred_on.isoformat(), v.transaction.strip(), v.transaction_value]
        for v in violations
    ]


def penalty_content(case: PenaltyCase) -> dict[str, object]:
    """What the reviewer approves: the respondent, each violation with its transaction, the
    conduct and the amount proposed. Not the cap, which is the one in force when the penalty is
    assessed (§7.309(c)(1)), whenever that is."""
    return {
        "respondent": f"{case.respondent_kind.value}: {case.respondent_name}",
        "violations": violation_rows(case.violation_lines),
        "conduct": case.conduct,
        "proposed": case.proposed_amount,
    }


def submit_penalty(case: PenaltyCase, *, actor: User) -> None:
    check_drafter(actor, "a penalty notice")
    _require(case, "submit_penalty")
    approvals.submit_record(
        case, rules.PenaltyState.IN_REVIEW, rules.PENALTY_ALLOWED, subject_type=PENALTY,
        label=f"Penalty notice {case.reference}: {case.respondent_name}",
        content=penalty_content(case), actor=actor,
    )  # fmt: skip
    db.session.flush()


def decide_penalty(case: PenaltyCase, *, approve: bool, comments: str, actor: User) -> None:
    nothing = f"There is no penalty notice waiting for review: this one is {case.state}."
    _require(case, "decide_penalty", nothing)
    approvals.decide_record(
        case, rules.PENALTY_ALLOWED, subject_type=PENALTY, approve=approve, comments=comments,
        actor=actor, content=penalty_content(case), approved=rules.PenaltyState.APPROVED,
        returned=rules.PenaltyState.DRAFTED, nothing=nothing,
    )  # fmt: skip
    db.session.flush()


def check_servable(case: PenaltyCase) -> None:
    """Only a notice approved as it stands is served, by the system or by other means."""
    _require(case, "serve_penalty")
    if not approvals.approval_holds(PENALTY, case.id, penalty_content(case)):
        raise IllegalTransition("Only a notice approved as it stands can be served.")


def serve_penalty(case: PenaltyCase, *, served_on: date, actor: User | None, today: date) -> None:
    """Service of the notice opens the provider's 30 days to petition (§7.309(c)(1)(i)): by
    other means, recorded by an analyst, or by the system on the day its email was sent
    (``actor`` None: casework.correspondence)."""
    check_servable(case)
    if problem := oversight_date_problem(
        served_on, not_before=case.proposed_on, what="date of service", today=today
    ):
        raise InvalidInput({"served_on": [problem]})
    # The penalty is assessed in the notice served: the cap is the one in force that day.
    maximum, cap = penalty_maximum(case.violation_lines, served_on)
    if case.proposed_amount > maximum.total:
        raise InvalidInput(
            {"served_on": [f"On {served_on.isoformat()} the maximum is "
                           f"{maximum.arithmetic(cap.source)}, less than the "
                           f"${case.proposed_amount:,} proposed; the notice must be changed "
                           "and approved again."]}
        )  # fmt: skip
    _move(
        case, rules.PenaltyState.SERVED, actor, served_on=served_on, cap=cap.amount,
        cap_source=cap.source, maximum=maximum.total,
    )  # fmt: skip
    case.served_on = served_on
    case.cap, case.cap_source, case.cap_on = cap.amount, cap.source, served_on
    # The relationship itself: the notice's PDF, made before service, read it as None.
    case.petition_deadline = deadlines.open_deadline(
        "penalty.petition",
        subject=(PENALTY, case.id),
        subject_label=f"{case.reference}: petition by {case.respondent_name}",
        start_on=served_on,
        actor=actor,
    )
    db.session.flush()


def record_petition(
    case: PenaltyCase, *, received_on: date, summary: str, actor: User, today: date
) -> None:
    """A petition starts the Secretary's 30 days to decide (§7.309(c)(1)(ii))."""
    _require(case, "penalty_petition")
    assert case.served_on is not None and case.petition_deadline is not None
    if problem := oversight_date_problem(
        received_on, not_before=case.served_on, what="date the petition was received", today=today
    ):
        raise InvalidInput({"received_on": [problem]})
    # A petition after its 30 days is recorded, and flagged: the Secretary reviews "any
    # presentation" (§7.309(c)(1)(ii)), and the case page says it came late.
    late = rules.petition_days_late(
        received_on=received_on, petition_due=case.petition_deadline.due_on
    )
    _move(case, rules.PenaltyState.PETITIONED, actor, received_on=received_on, days_late=late)
    case.petition_received_on, case.petition_summary = received_on, summary.strip()
    deadlines.meet_deadline(case.petition_deadline, met_on=received_on, actor=actor)
    case.decision_deadline_id = deadlines.open_deadline(
        "penalty.final_decision",
        subject=(PENALTY, case.id),
        subject_label=f"{case.reference}: final decision on the petition",
        start_on=received_on,
        actor=actor,
    ).id
    db.session.flush()


def record_final_decision(
    case: PenaltyCase,
    *,
    decided_on: date,
    decision: str,
    final_amount: int,
    actor: User,
    today: date,
) -> None:
    _require(case, "penalty_final_decision")
    assert case.served_on is not None and case.petition_deadline is not None
    if problem := rules.final_decision_problem(
        decided_on=decided_on,
        served_on=case.served_on,
        petition_due=case.petition_deadline.due_on,
        petitioned=case.petition_received_on is not None,
        today=today,
    ):
        raise InvalidInput({"decided_on": [problem]})
    if final_amount > case.proposed_amount:
        raise InvalidInput(
            {"final_amount": [f"The penalty cannot exceed the ${case.proposed_amount:,} proposed."]}
        )
    _move(case, rules.PenaltyState.DECIDED, actor, decided_on=decided_on)
    case.decided_on, case.decision, case.final_amount = decided_on, decision.strip(), final_amount
    if case.decision_deadline is not None:
        deadlines.meet_deadline(case.decision_deadline, met_on=decided_on, actor=actor)
    elif case.petition_deadline.is_open:
        deadlines.meet_deadline(
            case.petition_deadline, met_on=decided_on, actor=actor, note="no petition received"
        )
    db.session.flush()


def withdraw_penalty(case: PenaltyCase, *, reasons: str, actor: User, today: date) -> None:
    """The Department drops a proposed penalty before its notice is served (§7.309(c)(1)); a
    draft waiting for review, or approved and not yet served, leaves the queue."""
    check_drafter(actor, "a penalty notice")
    # Its drafter's to withdraw, as to change (docs/architecture.md §5); the table refuses a
    # served notice.
    approvals.require_own_draft(
        rules.PENALTY_ACTIONS, "withdraw_penalty", rules.PenaltyState(case.state),
        author=case.drafted_by, actor=actor,
        message=f"This notice now stands at “{case.state}”, from which it cannot move to "
        f"“{rules.PenaltyState.WITHDRAWN}”: once served it ends with the final decision "
        "(§7.309(c)(1)(ii)).",
    )  # fmt: skip
    if not reasons.strip():
        raise InvalidInput({"reasons": ["Say why the penalty is withdrawn."]})
    _move(case, rules.PenaltyState.WITHDRAWN, actor, reasons=reasons.strip())
    case.withdrawn_on, case.withdrawal_reasons = today, reasons.strip()
    approvals.withdraw_from_review(PENALTY, case.id, actor=actor, reason="penalty withdrawn")
    db.session.flush()


# --- Referral for criminal action, civil action to recover (§7.309(c)(2), (c)(3), (e)) ------


def record_proceeding(
    case: PenaltyCase, *, kind: rules.ProceedingKind, started_on: date, note: str, actor: User,
    today: date,
) -> PenaltyProceeding:  # fmt: skip
    _require(case, "penalty_proceeding")
    problems = rules.proceeding_problems(
        kind, started_on=started_on, today=today, proposed_on=case.proposed_on,
        decided_on=case.decided_on, final_amount=case.final_amount,
    )  # fmt: skip
    if not note.strip():
        problems["note"] = ["Say what was referred or brought, and to whom."]
    if problems:
        raise InvalidInput(problems)
    proceeding = PenaltyProceeding(
        kind=kind, started_on=started_on, note=note.strip(), recorded_by_id=actor.id
    )
    case.proceedings.append(proceeding)
    db.session.flush()
    record_event(
        "penalty.proceeding",
        actor=actor,
        subject=(PENALTY, case.id),
        after={"proceeding": proceeding.id, "kind": kind.value, "started_on": started_on,
               "citation": rules.PROCEEDING_CITATIONS[kind], "note": proceeding.note},
    )  # fmt: skip
    return proceeding


def record_proceeding_outcome(
    case: PenaltyCase, proceeding: PenaltyProceeding, *, outcome_on: date, outcome: str,
    actor: User, today: date,
) -> None:  # fmt: skip
    _require(case, "penalty_proceeding_outcome")
    if proceeding.outcome_on is not None:
        raise IllegalTransition("This proceeding's outcome is recorded already.")
    problems = rules.outcome_problems(
        outcome_on=outcome_on, started_on=proceeding.started_on, today=today
    )
    if not outcome.strip():
        problems["outcome"] = ["Say how it ended."]
    if problems:
        raise InvalidInput(problems)
    proceeding.outcome_on, proceeding.outcome = outcome_on, outcome.strip()
    db.session.flush()
    record_event(
        "penalty.proceeding_outcome",
        actor=actor,
        subject=(PENALTY, case.id),
        before={"proceeding": proceeding.id, "outcome": None},
        after={"proceeding": proceeding.id, "kind": proceeding.kind.value,
               "outcome_on": outcome_on, "outcome": proceeding.outcome},
    )  # fmt: skip


def proceeding_of(case: PenaltyCase, proceeding_id: int) -> PenaltyProceeding | None:
    return next((p for p in case.proceedings if p.id == proceeding_id), None)


# --- The January adjustment of the cap (§7.309(d)(1); 28 U.S.C. 2461 note §4) -----------------

CAP_ADJUSTMENT_CLOCK = "penalty.cap_adjustment"
CAP_SUBJECT = "rule_parameter"


def remind_of_cap_adjustment(today: date) -> str:
    """Each year's adjustment of the cap is an administrator's task: once the year begins and no
    figure dated in it is entered, a deadline opens for it; once one is, the deadline is met."""
    years = {row.effective_from.year for row in parameters.history(CAP_PARAMETER)}
    subject_id = f"{CAP_PARAMETER}:{today.year}"
    reminder = db.session.execute(
        select(Deadline).where(
            Deadline.clock_key == CAP_ADJUSTMENT_CLOCK, Deadline.subject_id == subject_id
        )
    ).scalar_one_or_none()
    year = rules.cap_adjustment_year(today, years)
    if year is None:
        if reminder is not None and reminder.is_open:
            deadlines.meet_deadline(reminder, met_on=today, actor=None, note="figure entered")
            return f"The {today.year} cap is entered; its reminder is met."
        return f"The {today.year} cap is entered."
    if reminder is not None:
        return f"The {year} cap is still to be entered; its reminder stands."
    deadlines.open_deadline(
        CAP_ADJUSTMENT_CLOCK,
        subject=(CAP_SUBJECT, subject_id),
        subject_label=f"Enter the {year} IEEPA civil penalty cap from 15 CFR 6.3",
        start_on=date(year, 1, 1),
        actor=None,
        assignee=first_administrator(),
    )
    return f"The {year} cap is not entered; an administrator is reminded (15 CFR 6.3)."


def first_administrator() -> User | None:
    return db.session.execute(
        select(User).where(User.role == Role.ADMIN.value, User.active).order_by(User.id).limit(1)
    ).scalar_one_or_none()


CAP_REMINDER = schedule.daily(
    "penalty_cap_reminder",
    at=time(6, 30),
    label="Reminder of the January adjustment of the IEEPA civil penalty cap (15 CFR 6.3)",
    run=remind_of_cap_adjustment,
)


def download_penalty_notice(case: PenaltyCase, *, actor: User) -> None:
    record_event("export.penalty_notice", actor=actor, subject=(PENALTY, case.id))
