"""Changing a penalty notice while it is its drafter's: before review, and again once the
reviewer returns it; every change is audited with the draft before and after and its SHA-256,
the hash an approval binds to (docs/architecture.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from casework.penalties import rules
from casework.penalties.models import PenaltyCase
from casework.penalties.services import (
    PENALTY,
    actions_for,
    checked_maximum,
    penalty_content,
    set_violations,
    violation_rows,
)
from casework.services import check_drafter
from core.approvals import services as approvals
from core.auth.models import User
from core.db import db

PENALTY_EDITED = "penalty.draft_edited"


def penalty_actions(case: PenaltyCase, user: User) -> frozenset[str]:
    """What the penalty's page offers ``user``: its author's actions only to its author."""
    return actions_for(case, user.role_enum, approvals.own_draft_facts(case.drafted_by, user))


def require_penalty_editable(case: PenaltyCase, actor: User) -> None:
    """Refuse anyone but its drafter, and a notice in review or beyond (its page says why)."""
    check_drafter(actor, "a penalty notice")
    approvals.require_own_draft(
        rules.PENALTY_ACTIONS, "edit_penalty", rules.PenaltyState(case.state),
        author=case.drafted_by, actor=actor,
        message=f"This notice is {case.state}; it changes only once a reviewer returns it.",
    )  # fmt: skip


def penalty_authors_only(case: PenaltyCase, user: User) -> frozenset[str]:
    """What the penalty's page tells ``user`` its drafter alone may do now."""
    return approvals.authors_only(
        rules.PENALTY_ACTIONS, rules.PenaltyState(case.state), user.role_enum,
        approvals.own_draft_facts(case.drafted_by, user),
    )  # fmt: skip


def edit_penalty(
    case: PenaltyCase,
    *,
    violations: Sequence[rules.Violation],
    conduct: str,
    proposed_amount: int,
    actor: User,
    today: date,
) -> bool:
    """Its drafter changes the notice while it is drafted: before review, or once returned. The
    notice is proposed anew today and checked against the cap in force today; the cap that
    bounds it is the one in force when it is served (§7.309(c)(1)). False when nothing
    changed."""
    require_penalty_editable(case, actor)
    _, cap = checked_maximum(violations, proposed_amount, today)
    before = penalty_content(case)
    if before == {**before, "violations": violation_rows(violations), "conduct": conduct.strip(),
                  "proposed": proposed_amount}:  # fmt: skip
        return False
    set_violations(case, violations)
    case.conduct = conduct.strip()
    case.proposed_amount = proposed_amount
    case.cap, case.cap_source, case.cap_on, case.proposed_on = cap.amount, cap.source, today, today
    db.session.flush()
    return approvals.revise_draft(
        (PENALTY, case.id), event=PENALTY_EDITED, before=before, after=penalty_content(case),
        content=penalty_content(case), actor=actor,
    )  # fmt: skip
