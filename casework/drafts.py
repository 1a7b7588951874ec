"""Changing and withdrawing casework drafts: a penalty notice (§7.309(c)), the findings of an
assessment (§7.305(f)(1)). A draft is its author's until it goes to review and again once the
reviewer returns it; every change and withdrawal is audited with the draft before and after and
its SHA-256, the hash an approval binds to (docs/architecture.md §5)."""

from __future__ import annotations

from datetime import date

from casework import rules
from casework.models import Assessment, AssessmentFinding, PenaltyCase
from casework.services import (
    ASSESSMENT,
    PENALTY,
    actions_for,
    assessment_content,
    check_drafter,
    check_finding_choices,
    checked_maximum,
    penalty_content,
)
from core.approvals import services as approvals
from core.approvals.services import WithdrawnDraft
from core.auth.models import User
from core.db import db

PENALTY_EDITED = "penalty.draft_edited"
FINDING_EDITED = "assessment.finding_edited"
FINDING_WITHDRAWN = "assessment.finding_withdrawn"


# --- A penalty notice (§7.309(c)) --------------------------------------------------------------


def penalty_actions(case: PenaltyCase, user: User) -> frozenset[str]:
    """What the penalty's page offers ``user``: its author's actions only to its author."""
    return actions_for(
        case, PENALTY, user.role_enum, approvals.own_draft_facts(case.drafted_by, user)
    )


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
    violations: list[str],
    conduct: str,
    transaction_value: int | None,
    proposed_amount: int,
    actor: User,
    today: date,
) -> bool:
    """Its drafter changes the notice while it is drafted: before review, or once returned. The
    notice is proposed anew today, so the maximum is the one in force today (§7.309(c)(1)).
    False when nothing changed."""
    require_penalty_editable(case, actor)
    maximum, source = checked_maximum(violations, transaction_value, proposed_amount, today)
    before = penalty_content(case)
    case.violation_codes = list(violations)
    case.conduct = conduct.strip()
    case.transaction_value = transaction_value
    case.proposed_amount = proposed_amount
    if penalty_content(case) == before:
        return False
    case.cap, case.cap_source, case.proposed_on = maximum.cap, source, today
    db.session.flush()
    return approvals.revise_draft(
        (PENALTY, case.id), event=PENALTY_EDITED, before=before, after=penalty_content(case),
        content=penalty_content(case), actor=actor,
    )  # fmt: skip


# --- The findings of an assessment (§7.305(f)(1)) ----------------------------------------------


def finding_of(assessment: Assessment, finding_id: int) -> AssessmentFinding | None:
    finding = db.session.get(AssessmentFinding, finding_id)
    return finding if finding is not None and finding.assessment_id == assessment.id else None


def finding_actions(finding: AssessmentFinding, user: User) -> frozenset[str]:
    """What a finding's row offers ``user``: changing or withdrawing it, to its author alone."""
    return actions_for(
        finding.assessment, ASSESSMENT, user.role_enum,
        approvals.own_draft_facts(finding.drafted_by, user),
    )  # fmt: skip


def finding_draft(finding: AssessmentFinding) -> dict[str, str]:
    """The finding as its author wrote it, with its citation, for the audit trail."""
    return {
        "requirement": rules.CIP_REQUIREMENTS[finding.requirement][0],
        "shortcoming": finding.shortcoming,
        "recommendation_kind": rules.RECOMMENDATION_KINDS[finding.recommendation_kind][0],
        "recommendation": finding.recommendation,
    }


def require_own_finding(finding: AssessmentFinding, action: str, actor: User) -> None:
    """Refuse anyone but the finding's author, and an assessment past drafting."""
    check_drafter(actor, "the findings")
    assessment = finding.assessment
    approvals.require_own_draft(
        rules.ASSESSMENT_ACTIONS, action, rules.AssessmentState(assessment.state),
        author=finding.drafted_by, actor=actor,
        message=f"The assessment is {assessment.state}; its findings change only once a "
        "reviewer returns the report.",
    )  # fmt: skip


def edit_finding(
    finding: AssessmentFinding,
    *,
    requirement: str,
    shortcoming: str,
    recommendation_kind: str,
    recommendation: str,
    actor: User,
) -> bool:
    """Its author changes a finding before the report goes to review, or once it is returned.
    False when nothing changed."""
    require_own_finding(finding, "edit_assessment_finding", actor)
    check_finding_choices(requirement, recommendation_kind)
    before = finding_draft(finding)
    finding.requirement, finding.shortcoming = requirement, shortcoming.strip()
    finding.recommendation_kind = recommendation_kind
    finding.recommendation = recommendation.strip()
    db.session.flush()
    return approvals.revise_draft(
        (ASSESSMENT, finding.assessment_id), event=FINDING_EDITED,
        before={"finding": finding.id, **before},
        after={"finding": finding.id, **finding_draft(finding)},
        content=assessment_content(finding.assessment), actor=actor,
    )  # fmt: skip


def withdraw_finding(finding: AssessmentFinding, *, reasons: str, actor: User) -> str:
    """Its author takes a finding off the report before review, or once it is returned: the row
    goes, and the audit trail keeps the finding whole with its SHA-256, shown on the
    assessment's page as withdrawn. The SHA-256."""
    require_own_finding(finding, "withdraw_assessment_finding", actor)
    approvals.check_withdrawal(reasons)
    assessment = finding.assessment
    draft = {"finding": finding.id, **finding_draft(finding)}
    assessment.findings.remove(finding)
    db.session.flush()
    return approvals.withdraw_draft(
        (ASSESSMENT, assessment.id), event=FINDING_WITHDRAWN, draft=draft, reasons=reasons,
        content=assessment_content(assessment), actor=actor,
    )  # fmt: skip


def withdrawn_findings(assessment: Assessment) -> list[WithdrawnDraft]:
    return approvals.withdrawn_drafts((ASSESSMENT, assessment.id), FINDING_WITHDRAWN)
