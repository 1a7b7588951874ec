"""Withdrawing a drafted determination (§7.307(a)(3)–(4)): its author takes it off the case before
review, or once the reviewer returns it. Changing one is ``services.save_determination``, which
refuses anyone but its author (docs/architecture.md §5)."""

from __future__ import annotations

from datetime import date

from core.approvals import services as approvals
from core.approvals.services import WithdrawnDraft
from core.auth.models import User
from core.db import db
from core.errors import IllegalTransition
from core.workflow import rules as workflow
from special_measures import rules
from special_measures.models import SpecialMeasureCase
from special_measures.rules import CaseState
from special_measures.services import (
    CASE,
    determination_content,
    facts_of,
    move_case,
    require_drafter,
    require_editable,
)

DRAFT_WITHDRAWN = "special_measure.draft_withdrawn"


def case_actions(case: SpecialMeasureCase, user: User, today: date) -> frozenset[str]:
    """What the case page offers ``user``: the draft's actions only to its author."""
    facts = facts_of(case, today, user)
    return workflow.available_actions(rules.ACTIONS, case.state_enum, user.role_enum, facts)


def authors_only(case: SpecialMeasureCase, user: User, today: date) -> frozenset[str]:
    """What the page tells ``user`` the draft's author alone may do now."""
    return approvals.authors_only(
        rules.ACTIONS, case.state_enum, user.role_enum, facts_of(case, today, user)
    )


def determination_draft(case: SpecialMeasureCase) -> dict[str, str]:
    """The drafted determination as its history shows it."""
    selection = {factor.code for factor in rules.SELECTION_FACTORS}
    return {
        "summary": case.evaluation_summary or "",
        "measure": case.measure_kind or "",
        "conditions": case.conditions_text or "",
        "consistency": case.consistency_text or "",
        "compliance_on": case.compliance_on.isoformat() if case.compliance_on else "",
        **{f.code: f.reasons for f in case.factors if f.code in selection},
    }


def require_withdrawable(case: SpecialMeasureCase, actor: User) -> None:
    """Refuse a draft in review or beyond, and anyone but its author."""
    require_drafter(actor)
    if case.state_enum in (CaseState.REFERRED, CaseState.EVALUATION, CaseState.CONSULTATION):
        raise IllegalTransition(f"The case is {case.state}; no determination is drafted yet.")
    require_editable(case, "withdraw_determination", actor)


def withdraw_determination(case: SpecialMeasureCase, *, reasons: str, actor: User) -> str:
    """The draft leaves the case, which goes back to consultation to be drafted again; the
    evaluation (§7.307(b)(3)) and the agencies' positions stay. The audit trail keeps the draft
    whole with its SHA-256, shown on the case page. The SHA-256."""
    require_withdrawable(case, actor)
    approvals.check_withdrawal(reasons)
    draft = determination_draft(case)
    selection = {factor.code for factor in rules.SELECTION_FACTORS}
    for factor in [f for f in case.factors if f.code in selection]:
        case.factors.remove(factor)
    case.evaluation_summary = case.measure_kind = case.conditions_text = None
    case.consistency_text, case.compliance_on, case.drafted_by = None, None, None
    move_case(case, CaseState.CONSULTATION, actor, reason="draft withdrawn")
    db.session.flush()
    return approvals.withdraw_draft(
        (CASE, case.id), event=DRAFT_WITHDRAWN, draft=draft, reasons=reasons,
        content=determination_content(case), actor=actor,
    )  # fmt: skip


def withdrawn_determinations(case: SpecialMeasureCase) -> list[WithdrawnDraft]:
    return approvals.withdrawn_drafts((CASE, case.id), DRAFT_WITHDRAWN)


# Labels of a withdrawn draft's parts, in the order the case page shows them.
DRAFT_LABELS = [
    ("summary", "Summary of the evaluation"),
    ("measure", "The measure"),
    ("conditions", "Conditions"),
    *((factor.code, factor.citation) for factor in rules.SELECTION_FACTORS),
    ("consistency", "Consistency with E.O. 13984 (§7.307(a)(4))"),
    ("compliance_on", "Compliance required from (§7.307(a)(6))"),
]
