"""Changing and withdrawing casework drafts: the findings of an assessment (§7.305(f)(1)). A
draft is its author's until it goes to review and again once the reviewer returns it; every
change and withdrawal is audited with the draft before and after and its SHA-256, the hash an
approval binds to (docs/architecture.md §5)."""

from __future__ import annotations

from casework import rules
from casework.models import Assessment, AssessmentFinding
from casework.services import (
    ASSESSMENT,
    actions_for,
    assessment_content,
    check_drafter,
    check_finding_choices,
)
from core.approvals import services as approvals
from core.approvals.services import WithdrawnDraft
from core.auth.models import User
from core.db import db

FINDING_EDITED = "assessment.finding_edited"
FINDING_WITHDRAWN = "assessment.finding_withdrawn"


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
