"""Use cases of the oversight of foreign resellers (§7.303(e), §7.308(f)): opening a case on
evidence, the fact that starts the 30 days to terminate, the steps of a case, how it ends, and
the open cases as signals of the provider's risk score (§7.305(d))."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import contains_eager

from casework.oversight import rules
from casework.oversight.models import ResellerOversight
from casework.rules import oversight_date_problem
from core import signals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.errors import InvalidInput
from core.ownership import services as ownership
from core.risk import RiskSignal
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake import services as intake
from intake.models import ForeignReseller

TERMINATION_CLOCK = "reseller.termination"
OVERSIGHT = "reseller_oversight"


def facts_of(case: ResellerOversight) -> dict[str, bool]:
    return rules.case_facts(
        rules.OversightBasis(case.basis), account_closed=case.account_closed_on is not None
    )


def actions_for(case: ResellerOversight, role: Role | None) -> frozenset[str]:
    """The actions ``role`` may take on the case now: what its page offers."""
    return workflow.available_actions(
        rules.OVERSIGHT_ACTIONS, rules.OversightState(case.state), role, facts_of(case)
    )


def _require(case: ResellerOversight, action: str) -> None:
    """Refuse what the case's page does not offer now."""
    workflow.check_action(
        rules.OVERSIGHT_ACTIONS, action, rules.OversightState(case.state), facts_of(case)
    )


def _move(
    case: ResellerOversight, wanted: rules.OversightState, actor: User, **after: object
) -> None:
    change_state(
        case, wanted, rules.OVERSIGHT_ALLOWED, subject_type=OVERSIGHT, actor=actor, **after
    )
    # Open oversight is a signal of the score (§7.305(d)).
    signals.send(signals.provider_facts_changed, provider_ids=[case.provider_id])


def _check_day(day: date, *, not_before: date, what: str, field: str, today: date) -> None:
    if problem := oversight_date_problem(day, not_before=not_before, what=what, today=today):
        raise InvalidInput({field: [problem]})


def open_oversight(
    reseller: ForeignReseller,
    *,
    evidence_kind: rules.EvidenceKind,
    evidence: str,
    received_on: date,
    reported_to_authorities: str,
    actor: User,
    today: date,
) -> ResellerOversight:
    """Evidence that a foreign reseller fails to keep or implement its CIP, or lacks good faith
    (§7.303(e)), or has not complied with §7.308 (§7.308(f)); the kind of evidence says which."""
    _check_day(
        received_on, not_before=date.min, what="evidence date", field="received_on", today=today
    )
    case = ResellerOversight(
        provider_id=reseller.provider_id,
        reseller_id=reseller.id,
        state=rules.OversightState.EVIDENCE.value,
        basis=rules.basis_of(evidence_kind).value,
        evidence_kind=evidence_kind.value,
        evidence=evidence.strip(),
        evidence_received_on=received_on,
        reported_to_authorities=reported_to_authorities.strip() or None,
        opened_by_id=actor.id,
    )
    db.session.add(case)
    db.session.flush()
    record_event(
        "reseller_oversight.open",
        actor=actor,
        subject=(OVERSIGHT, case.id),
        after={"reseller": reseller.id, "kind": case.evidence_kind, "basis": case.basis,
               "received_on": received_on},
    )  # fmt: skip
    ownership.set_on_opening("oversight", case, actor)
    signals.send(signals.provider_facts_changed, provider_ids=[case.provider_id])
    return case


def get_oversight(case_id: int) -> ResellerOversight | None:
    return db.session.get(ResellerOversight, case_id)


def oversight_of(
    provider_id: int | None, *, owned: ColumnElement[bool] | None = None
) -> list[ResellerOversight]:
    """A provider's oversight cases (None: every provider's), newest first."""
    of = ResellerOversight.provider_id == provider_id if provider_id is not None else None
    return ownership.newest_first(ResellerOversight, of, owned)


def oversight_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The oversight list: every provider's cases, with their resellers."""
    model = ResellerOversight
    query = intake.with_provider(ownership.cases_query(model, owned), model)
    return query.join(model.reseller).options(contains_eager(model.reseller))


def open_oversight_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Providers (those asked about; None: every one) with open cases against their foreign
    resellers, for the risk score (§7.305(d)(1)); one query. A case is open or not whatever
    the day, so ``today`` is not needed."""
    model = ResellerOversight
    query = (
        select(model.provider_id, ForeignReseller.name, model.evidence_kind, model.basis,
               model.state)
        .join(ForeignReseller, ForeignReseller.id == model.reseller_id)
        .where(model.state.in_([state.value for state in rules.OVERSIGHT_OPEN]))
        .order_by(model.id)
    )  # fmt: skip
    if provider_ids is not None:
        query = query.where(model.provider_id.in_(list(provider_ids)))
    cases: dict[int, list[rules.OpenCase]] = {}
    for provider_id, name, kind, basis, state in db.session.execute(query):
        cases.setdefault(provider_id, []).append(
            rules.OpenCase(name, kind, rules.OversightBasis(basis), rules.OversightState(state))
        )
    return {provider_id: rules.oversight_signals(found) for provider_id, found in cases.items()}


def record_knowledge(
    case: ResellerOversight,
    *,
    knowledge_on: date,
    actor: User,
    today: date,
    trigger: rules.TerminationTrigger = rules.TerminationTrigger.NOT_REMEDIATED,
    note: str = "",
) -> None:
    """The day the provider knew the reseller had not remediated, or that continuing the
    relationship otherwise increases the risk: the 30-day clock to terminate it starts
    (§7.303(e))."""
    _require(case, "oversight_knowledge")
    _check_day(
        knowledge_on, not_before=case.evidence_received_on, what="date of knowledge",
        field="knowledge_on", today=today,
    )  # fmt: skip
    _move(
        case, rules.OversightState.TERMINATION_CLOCK, actor,
        knowledge_on=knowledge_on, trigger=trigger.value,
    )  # fmt: skip
    case.knowledge_on, case.termination_trigger = knowledge_on, trigger.value
    case.trigger_note = note.strip() or None
    case.deadline_id = deadlines.open_deadline(
        TERMINATION_CLOCK,
        subject=(OVERSIGHT, case.id),
        subject_label=f"{case.provider.legal_name}: terminate {case.reseller.name}",
        start_on=knowledge_on,
        actor=actor,
    ).id
    db.session.flush()


def record_outcome(
    case: ResellerOversight,
    *,
    terminated: bool,
    outcome_on: date,
    note: str,
    actor: User,
    today: date,
) -> None:
    """The relationship terminated (the registry follows) or the reseller remediated; either
    ends the termination clock (§7.303(e))."""
    _require(case, "oversight_outcome")
    _check_day(
        outcome_on, not_before=case.evidence_received_on, what="date", field="outcome_on",
        today=today,
    )  # fmt: skip
    wanted = rules.OversightState.TERMINATED if terminated else rules.OversightState.REMEDIATED
    _move(case, wanted, actor, outcome_on=outcome_on)
    case.outcome_on, case.outcome_note = outcome_on, note.strip() or None
    if case.deadline is not None:
        deadlines.meet_deadline(case.deadline, met_on=outcome_on, actor=actor, note=wanted.value)
    if terminated and case.reseller.ended_on is None:
        intake.end_reseller_relationship(
            case.reseller, ended_on=outcome_on, reason="§7.303(e) termination", actor=actor
        )
    db.session.flush()


def record_step(
    case: ResellerOversight, action: str, *, on: date, note: str, actor: User, today: date
) -> None:
    """One of the steps kept as a day and words (rules.STEPS): the closing of the account
    (§7.303(e)); the notice, the suspension, the reseller's confirmation of compliance and the
    resumption on its assurances (§7.308(f))."""
    step = rules.STEPS[action]
    _require(case, action)
    problems: dict[str, list[str]] = {}
    earlier: date = getattr(case, step.after_field) or case.evidence_received_on
    if problem := oversight_date_problem(on, not_before=earlier, what=step.what_day, today=today):
        problems["on"] = [problem]
    if step.note_needed and not note.strip():
        problems["note"] = [step.note_needed]
    if problems:
        raise InvalidInput(problems)
    if step.to is not None:
        _move(case, step.to, actor, **{step.day_field: on})
    else:
        record_event(
            f"{OVERSIGHT}.{action.removeprefix('oversight_')}",
            actor=actor,
            subject=(OVERSIGHT, case.id),
            after={step.day_field: on},
        )
    setattr(case, step.day_field, on)
    setattr(case, step.note_field, note.strip() or None)
    db.session.flush()
