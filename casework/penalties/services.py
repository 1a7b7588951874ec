"""Penalty cases (§7.309): drafted by an analyst, approved by another, served, perhaps
petitioned, and decided."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select

from casework.penalties import rules
from casework.penalties.models import PenaltyCase
from casework.rules import oversight_date_problem
from casework.services import check_drafter
from core import counters, signals
from core.approvals import services as approvals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.ownership import services as ownership
from core.parameters import services as parameters
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake import services as intake
from intake.models import Provider

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
    signals.send(signals.provider_facts_changed, provider_ids=[case.provider_id])


def penalty_maximum(
    violations: int, transaction_value: int | None, on: date
) -> tuple[rules.PenaltyMaximum, str]:
    """The maximum with the IEEPA cap in force on ``on`` and where that figure comes from."""
    row = parameters.row_in_force(CAP_PARAMETER, on)
    if row is None:
        raise DomainError(f"No IEEPA civil penalty cap is in force on {on.isoformat()}.")
    return rules.PenaltyMaximum(row.number, transaction_value, violations), row.citation


def checked_maximum(
    violations: list[str], transaction_value: int | None, proposed_amount: int, on: date
) -> tuple[rules.PenaltyMaximum, str]:
    """The maximum in force on ``on`` for a notice naming ``violations``, refusing a notice that
    names none of §7.309(a) or proposes more than the maximum (§7.309(c)(1))."""
    problems: dict[str, list[str]] = {}
    unknown = [code for code in violations if code not in rules.VIOLATIONS]
    if not violations or unknown:
        problems["violations"] = ["Name at least one violation of §7.309(a)."]
    maximum, source = penalty_maximum(max(len(violations), 1), transaction_value, on)
    if proposed_amount > maximum.total:
        problems["proposed_amount"] = [
            f"The proposed ${proposed_amount:,} exceeds the maximum: {maximum.arithmetic(source)}."
        ]
    if problems:
        raise InvalidInput(problems)
    return maximum, source


def draft_penalty(
    provider: Provider,
    *,
    violations: list[str],
    conduct: str,
    transaction_value: int | None,
    proposed_amount: int,
    actor: User,
    today: date,
) -> PenaltyCase:
    check_drafter(actor, "a penalty notice")
    maximum, source = checked_maximum(violations, transaction_value, proposed_amount, today)
    case = PenaltyCase(
        reference=counters.next_reference("PN", today.year, digits=4),
        provider_id=provider.id,
        state=rules.PenaltyState.DRAFTED.value,
        violation_codes=list(violations),
        conduct=conduct.strip(),
        transaction_value=transaction_value,
        proposed_amount=proposed_amount,
        proposed_on=today,
        cap=maximum.cap,
        cap_source=source,
        drafted_by_id=actor.id,
    )
    db.session.add(case)
    db.session.flush()
    record_event(
        "penalty.draft",
        actor=actor,
        subject=(PENALTY, case.id),
        after={"reference": case.reference, "violations": violations,
               "proposed": proposed_amount, "maximum": maximum.total},
    )  # fmt: skip
    ownership.set_on_opening("penalty", case, actor)
    return case


def maximum_of(case: PenaltyCase) -> rules.PenaltyMaximum:
    return rules.PenaltyMaximum(case.cap, case.transaction_value, len(case.violation_codes))


def get_penalty(penalty_id: int) -> PenaltyCase | None:
    return db.session.get(PenaltyCase, penalty_id)


def penalties_of(
    provider_id: int | None = None, *, owned: ColumnElement[bool] | None = None
) -> list[PenaltyCase]:
    return ownership.newest_first(
        PenaltyCase, None if provider_id is None else PenaltyCase.provider_id == provider_id, owned
    )


def penalties_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The penalty cases' list (§7.309): every provider's."""
    return intake.with_provider(ownership.cases_query(PenaltyCase, owned), PenaltyCase)


def penalty_content(case: PenaltyCase) -> dict[str, object]:
    """What the reviewer approves: the violations, the conduct and the amounts."""
    return {
        # Joined as the codes were once kept, so that approvals given before stay matched.
        "violations": " ".join(case.violation_codes),
        "conduct": case.conduct,
        "transaction_value": case.transaction_value,
        "proposed": case.proposed_amount,
        "cap": case.cap,
    }


def submit_penalty(case: PenaltyCase, *, actor: User) -> None:
    check_drafter(actor, "a penalty notice")
    _require(case, "submit_penalty")
    approvals.submit_record(
        case, rules.PenaltyState.IN_REVIEW, rules.PENALTY_ALLOWED, subject_type=PENALTY,
        label=f"Penalty notice {case.reference}: {case.provider.legal_name}",
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
    _move(case, rules.PenaltyState.SERVED, actor, served_on=served_on)
    case.served_on = served_on
    # The relationship itself: the notice's PDF, made before service, read it as None.
    case.petition_deadline = deadlines.open_deadline(
        "penalty.petition",
        subject=(PENALTY, case.id),
        subject_label=f"{case.reference}: petition by {case.provider.legal_name}",
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
    _move(case, rules.PenaltyState.PETITIONED, actor, received_on=received_on)
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


def download_penalty_notice(case: PenaltyCase, *, actor: User) -> None:
    record_event("export.penalty_notice", actor=actor, subject=(PENALTY, case.id))
