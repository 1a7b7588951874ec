"""Casework pages for changing and withdrawing a draft: an assessment's finding
(docs/architecture.md §5). Their routes join casework's blueprint."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from casework import drafts
from casework.forms import FindingForm
from casework.models import AssessmentFinding
from casework.views import (
    ANALYSTS,
    _assessment_or_404,
    _done,
    _render_assessment,
    bp,
)
from core import formerrors
from core.access import roles_required
from core.approvals import services as approvals
from core.approvals.forms import WithdrawDraftForm

NOTHING_CHANGED = "Nothing changed; the draft stands as it was."


def withdraw_form_of(finding: AssessmentFinding) -> WithdrawDraftForm:
    """Each finding's own withdrawal form, its field apart from the others' and labelled with
    the finding's number in the table, so that each reads differently to a screen reader."""
    form = WithdrawDraftForm(prefix=f"withdraw-{finding.id}")
    number = finding.assessment.findings.index(finding) + 1
    form.reasons.label.text = f"Why finding {number} is withdrawn"
    return form


def _finding_or_404(assessment_id: int, finding_id: int) -> AssessmentFinding:
    return drafts.finding_of(_assessment_or_404(assessment_id), finding_id) or abort(404)


@bp.route(
    "/assessments/<int:assessment_id>/findings/<int:finding_id>/edit", methods=["GET", "POST"]
)
@roles_required(*ANALYSTS)
def edit_assessment_finding(assessment_id: int, finding_id: int) -> ResponseReturnValue:
    finding = _finding_or_404(assessment_id, finding_id)
    drafts.require_own_finding(finding, "edit_assessment_finding", current_user)
    form = FindingForm(obj=finding if request.method == "GET" else None)

    def act() -> ResponseReturnValue:
        changed = drafts.edit_finding(
            finding, requirement=form.requirement.data, shortcoming=form.shortcoming.data,
            recommendation_kind=form.recommendation_kind.data,
            recommendation=form.recommendation.data, actor=current_user,
        )  # fmt: skip
        return _done(
            "Finding changed." if changed else NOTHING_CHANGED,
            "casework.assessment",
            assessment_id=assessment_id,
        )

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "casework/finding_edit.html", assessment=finding.assessment, finding=finding,
            form=form, review=approvals.latest_review(drafts.ASSESSMENT, assessment_id),
        ),
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/findings/<int:finding_id>/withdrawal")
@roles_required(*ANALYSTS)
def withdraw_assessment_finding(assessment_id: int, finding_id: int) -> ResponseReturnValue:
    finding = _finding_or_404(assessment_id, finding_id)
    drafts.require_own_finding(finding, "withdraw_assessment_finding", current_user)
    form = withdraw_form_of(finding)
    assessment = finding.assessment

    def act() -> ResponseReturnValue:
        drafts.withdraw_finding(finding, reasons=form.reasons.data, actor=current_user)
        return _done(
            "Finding withdrawn; the assessment's history keeps it.",
            "casework.assessment",
            assessment_id=assessment_id,
        )

    def page(form: FlaskForm) -> str:
        return _render_assessment(assessment, withdraw_forms={finding_id: form})

    return formerrors.handle(form, act, page=page)
