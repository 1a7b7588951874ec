"""Extending and revoking a special measure in effect (§7.307(a)(5)): an analyst drafts the
action, another person reviews it, and it is recorded: an extension with its Federal Register
notice, a revocation with the day it ends. The case, its determination and whether an action
is pending are special_measures.services'."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.approvals import rules as review_rules
from core.approvals import services as approvals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.workflow import rules as workflow
from special_measures import rules
from special_measures.models import MeasureAction, SpecialMeasureCase
from special_measures.rules import ActionKind, CaseState
from special_measures.services import (
    ACTION,
    CASE,
    meet_expiry_deadline,
    open_extended_expiry_deadline,
    prepare_notices,
    require_drafter,
    require_offered,
    rescreen,
    status_of,
)


def check_action_open(case: SpecialMeasureCase, kind: str, today: date) -> None:
    """Refuse to draft an extension or revocation of a measure that is not in effect
    (§7.307(a)(5)): its form is not offered then, nor its page opened."""
    require_offered(
        f"draft_{kind}",
        case,
        f"The case is {case.state}; only a measure in effect can change.",
        today,
        in_effect=f"The measure is {status_of(case, today)}; only a measure in effect can change.",
    )


def draft_action(
    case: SpecialMeasureCase,
    *,
    kind: str,
    reasons: str,
    new_last_day_on: date | None,
    effective_on: date | None,
    actor: User,
    today: date,
) -> MeasureAction:
    """Draft an extension (the finding that the measure remains necessary and the new last day)
    or a revocation (the reasons and the day it ends), for a second person to review."""
    require_drafter(actor)
    check_action_open(case, kind, today)
    assert case.last_day_on is not None and case.issued_on is not None
    if kind == ActionKind.EXTENSION:
        if new_last_day_on is None or new_last_day_on <= case.last_day_on:
            raise InvalidInput(
                {"new_last_day_on": [f"Choose a day after {case.last_day_on.isoformat()}."]}
            )
    elif effective_on is None or effective_on < case.issued_on:
        raise InvalidInput(
            {"effective_on": [f"Choose a day on or after issuance ({case.issued_on.isoformat()})."]}
        )
    action = MeasureAction(
        kind=kind,
        reasons=reasons.strip(),
        new_last_day_on=new_last_day_on if kind == ActionKind.EXTENSION else None,
        effective_on=effective_on if kind == ActionKind.REVOCATION else None,
        drafted_by_id=actor.id,
    )
    case.actions.append(action)
    db.session.flush()
    record_event(
        f"special_measure.{kind}_draft",
        actor=actor,
        subject=(ACTION, action.id),
        after={"case": case.reference, "reasons": action.reasons,
               "new_last_day_on": action.new_last_day_on, "effective_on": action.effective_on},
    )  # fmt: skip
    approvals.submit_for_review(
        (ACTION, action.id),
        label=f"{kind.capitalize()} of {case.reference}: {case.subject_label}",
        content=action_content(action),
        actor=actor,
    )
    return action


def action_content(action: MeasureAction) -> dict[str, Any]:
    return {
        "kind": action.kind,
        "reasons": action.reasons,
        "new_last_day_on": action.new_last_day_on,
        "effective_on": action.effective_on,
    }


def get_action(action_id: int) -> MeasureAction | None:
    return db.session.get(MeasureAction, action_id)


def decide_action(action: MeasureAction, *, approve: bool, comments: str, actor: User) -> None:
    review = approvals.latest_review(ACTION, action.id)
    if review is None or action.is_recorded:
        raise IllegalTransition("There is nothing waiting for review.")
    workflow.check_action(
        review_rules.ACTIONS,
        "decide",
        review.state_enum,
        message="There is nothing waiting for review.",
    )
    approvals.decide(
        review, approve=approve, actor=actor, current_content=action_content(action),
        comments=comments,
    )  # fmt: skip
    db.session.flush()


def _require_approved(action: MeasureAction) -> None:
    if action.is_recorded:
        raise IllegalTransition("This action has already been recorded.")
    if action.case.state_enum is not CaseState.ISSUED:
        raise IllegalTransition(f"The case is {action.case.state}; its measure no longer changes.")
    if not approvals.approval_holds(ACTION, action.id, action_content(action)):
        raise IllegalTransition("A reviewer must approve it before it is recorded.")


def record_extension(
    action: MeasureAction,
    *,
    federal_register_citation: str,
    published_on: date,
    actor: User,
    today: date,
) -> None:
    """§7.307(a)(5): the extension exists only through the notice published in the Federal
    Register on or before the last day in effect."""
    _require_approved(action)
    case = action.case
    assert case.last_day_on is not None and case.issued_on is not None
    assert action.new_last_day_on is not None
    try:
        rules.check_extension(
            published_on=published_on,
            new_last_day=action.new_last_day_on,
            current_last_day=case.last_day_on,
            issued_on=case.issued_on,
            today=today,
        )
    except rules.ExtensionRefused as refusal:
        raise InvalidInput({"published_on": [str(refusal)]}) from refusal
    action.federal_register_citation = federal_register_citation.strip()
    action.published_on = published_on
    action.prior_last_day_on = case.last_day_on
    action.recorded_at, action.recorded_by_id = utcnow(), actor.id
    case.last_day_on = action.new_last_day_on
    record_event(
        "special_measure.extended",
        actor=actor,
        subject=(CASE, case.id),
        before={"last_day_on": action.prior_last_day_on},
        after={
            "last_day_on": case.last_day_on,
            "federal_register": action.federal_register_citation,
            "published_on": published_on,
        },
    )
    prepare_notices(case, action, start_on=published_on, actor=actor)
    meet_expiry_deadline(
        case,
        met_on=published_on,
        actor=actor,
        note=f"extended to {case.last_day_on.isoformat()} by {action.federal_register_citation}",
    )
    open_extended_expiry_deadline(case, action.prior_last_day_on, actor)
    db.session.flush()
    rescreen(case, relevant_on=published_on, actor=actor, event="extended")


def record_revocation(action: MeasureAction, *, actor: User, today: date) -> None:
    _require_approved(action)
    case = action.case
    assert case.issued_on is not None and action.effective_on is not None
    if problem := rules.revocation_problem(
        revoked_on=action.effective_on, issued_on=case.issued_on, today=today
    ):
        raise DomainError(problem)
    action.recorded_at, action.recorded_by_id = utcnow(), actor.id
    case.revoked_on = action.effective_on
    meet_expiry_deadline(case, met_on=action.effective_on, actor=actor, note="revoked")
    record_event(
        "special_measure.revoked",
        actor=actor,
        subject=(CASE, case.id),
        after={"revoked_on": case.revoked_on, "reasons": action.reasons},
    )
    db.session.flush()
