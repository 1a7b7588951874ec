"""Exemptions pages: the requests, and every step of a case on one page (§7.306)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.utils import secure_filename

from core import clocks, exports, formerrors, pdf
from core.access import STAFF, roles_required
from core.approvals import services as approvals
from core.approvals.forms import WithdrawDraftForm
from core.auth.rules import Role
from core.db import db
from core.errors import InvalidInput
from core.listing import SortColumn
from core.modules import module_blueprint
from core.ownership.views import case_list_page, case_listing
from exemptions import correspondence, rules, services
from exemptions.forms import (
    AttachmentForm,
    ConsultationForm,
    DecisionForm,
    FindingForm,
    InformationRequestForm,
    InformationResponseForm,
    NoticeForm,
    RevocationForm,
    WithdrawalForm,
)
from exemptions.models import ExemptionCase, InformationRequest
from intake.correspondence import services as sent_services
from intake.correspondence import views as sent_views
from intake.kinds import EXEMPTION_SCOPE_LABELS, FilingKind
from intake.models import Filing
from intake.registry import PROVIDER_NAME

bp = module_blueprint(
    "exemptions",
    title="Exemptions",
    url_prefix="/exemptions",
    summary=(
        "Requests to exempt a provider, a foreign reseller or a type of account that keeps an "
        "Abuse of IaaS Products Deterrence Program (§7.306), with interagency consultation, "
        "findings, annual notifications and revocation."
    ),
)

# The request and the office's assessment of it carry the provider's proprietary information.
CUI_CASE = pdf.BUSINESS.banner


def case_link(case_id: str) -> str:
    return url_for("exemptions.case", case_id=case_id)


def case_of_filing_link(filing_id: str) -> str:
    case = services.case_for_filing(int(filing_id))
    return url_for("exemptions.case", case_id=case.id) if case else ""


def _case_or_404(case_id: int) -> ExemptionCase:
    return services.get_case(case_id) or abort(404)


# The requests, newest first, sorted and paged by the database, filtered by owner (§16).
REQUESTS = case_listing(
    "exemption-requests", ExemptionCase, "Request",
    SortColumn("provider", "Provider", (PROVIDER_NAME,)),
    SortColumn("received", "Received", (Filing.received_on,), descending_first=True),
    SortColumn("state", "State", (ExemptionCase.state,)),
)  # fmt: skip


@bp.get("/requests")
@roles_required(*STAFF)
def cases() -> ResponseReturnValue:
    owner_form, page = case_list_page(REQUESTS, ExemptionCase, services.cases_query)
    return render_template(
        "exemptions/cases.html",
        page=page,
        owner_form=owner_form,
        scopes=EXEMPTION_SCOPE_LABELS,
        request_kind=FilingKind.EXEMPTION_REQUEST.value,
    )


def _finding_form(case: ExemptionCase) -> FindingForm:
    form = FindingForm(decision=case.decision)
    for key, _citation, _label in rules.FACTORS:
        factor = case.finding.get(key, {})
        getattr(form, f"{key}_assessment").data = factor.get("assessment")
        getattr(form, f"{key}_reasons").data = factor.get("reasons")
    return form


def _finding_withdrawal_form() -> WithdrawDraftForm:
    # Prefixed: the provider's withdrawal on the same page has reasons of its own.
    return WithdrawDraftForm(prefix="finding_withdrawal")


def _render_case(case: ExemptionCase, status: int = 200, **forms: FlaskForm) -> ResponseReturnValue:
    today = clocks.office_today()
    defaults = {
        "information_form": InformationRequestForm(requested_on=today),
        "response_form": InformationResponseForm(responded_on=today),
        "consultation_form": ConsultationForm(requested_on=today),
        "finding_form": _finding_form(case),
        "decision_form": DecisionForm(),
        "notice_form": NoticeForm(received_on=today),
        "revocation_form": RevocationForm(),
        "revocation_decision_form": DecisionForm(prefix="revocation"),
        "attachment_form": AttachmentForm(),
        "withdrawal_form": WithdrawalForm(withdrawn_on=today),
        "finding_withdrawal_form": _finding_withdrawal_form(),
    }
    defaults.update(forms)
    items = services.checklist(case)
    return render_template(
        "exemptions/case.html",
        cui=CUI_CASE,
        case=case,
        effect=rules.effect_of(case.scope),
        actions=services.actions_for(case, current_user.role_enum, current_user),
        withdrawn_findings=services.withdrawn_findings(case),
        authors_only=approvals.authors_only(
            rules.ACTIONS,
            case.state_enum,
            current_user.role_enum,
            services.facts_of(case, current_user),
        ),
        factor_labels=[(key, f"{citation}: {label}") for key, citation, label in rules.FACTORS],
        in_review=case.state_enum is rules.CaseState.IN_REVIEW,
        in_force=case.state_enum is rules.CaseState.GRANTED,
        was_in_force=case.state_enum in (rules.CaseState.GRANTED, rules.CaseState.REVOKED),
        revocation_pending=services.facts_of(case)[rules.REVOCATION_PENDING],
        scopes=EXEMPTION_SCOPE_LABELS,
        checklist=items,
        unaddressed=rules.unaddressed(items),
        consultations=services.consultations_of(case),
        missing_positions=services.missing_positions(case),
        blockers=services.review_blockers(case),
        factors=rules.FACTORS,
        finding_review=services.finding_review(case),
        revocation_review=services.revocation_review(case),
        annual_clock=services.annual_clock(case),
        today=today,
        information_overdue=rules.information_overdue,
        sent_panel=sent_views.sent_panel(services.SUBJECT, case.id),
        may_send_letter=case.decided_on is not None
        and not sent_services.pending_about(services.SUBJECT, case.id),
        send_form=FlaskForm(),
        **defaults,
    ), status


@bp.get("/requests/<int:case_id>")
@roles_required(*STAFF)
def case(case_id: int) -> ResponseReturnValue:
    return _render_case(_case_or_404(case_id))


def _done(case: ExemptionCase, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("exemptions.case", case_id=case.id))


Action = Callable[[ExemptionCase, Any], object]


def _act(
    case_id: int, form: FlaskForm, *, name: str, error_field: str, action: Action, done: str
) -> ResponseReturnValue:
    """Check the form's shape, do the step (the request commits it). A refusal becomes a message
    on the field it concerns, with everything typed kept (422); a step the case's state no longer
    allows is said at the top of the case (the application's handler)."""
    case = _case_or_404(case_id)
    if not form.validate_on_submit():
        return _render_case(case, 422, **{name: form})
    try:
        action(case, form)
    except (services.ExemptionRefused, InvalidInput) as error:
        db.session.rollback()
        formerrors.attach(form, error, field=error_field)
        return _render_case(_case_or_404(case_id), 422, **{name: form})
    return _done(case, done)


def _step(
    case_id: int, action: Callable[[ExemptionCase], object], done: str
) -> ResponseReturnValue:
    """A step without a form (a button): a refusal is shown at the top of the case."""
    case = _case_or_404(case_id)
    try:
        action(case)
    except services.ExemptionRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("exemptions.case", case_id=case_id))
    return _done(case, done)


def _decision(form: DecisionForm) -> dict[str, Any]:
    return {
        "approve": form.outcome.data == "approve",
        "comments": form.comments.data or "",
        "actor": current_user,
        "today": clocks.office_today(),
    }


@bp.post("/requests/<int:case_id>/attachments")
@roles_required(Role.ANALYST)
def attach_document(case_id: int) -> ResponseReturnValue:
    def attach(case: ExemptionCase, form: AttachmentForm) -> object:
        upload = form.document.data
        return services.attach_document(
            case,
            filename=secure_filename(upload.filename or "") or "document",
            content=upload.read(),
            description=form.description.data,
            actor=current_user,
        )

    return _act(
        case_id, AttachmentForm(), name="attachment_form", error_field="document",
        action=attach, done="Document attached.",
    )  # fmt: skip


@bp.get("/requests/<int:case_id>/attachments/<int:attachment_id>")
@roles_required(*STAFF)
def attachment(case_id: int, attachment_id: int) -> ResponseReturnValue:
    document = services.download_attachment(
        _case_or_404(case_id), attachment_id, actor=current_user
    ) or abort(404)
    return exports.document_download(document)


@bp.post("/requests/<int:case_id>/start-review")
@roles_required(Role.ANALYST)
def start_review(case_id: int) -> ResponseReturnValue:
    return _step(
        case_id, lambda case: services.start_review(case, actor=current_user), "Review started."
    )


@bp.post("/requests/<int:case_id>/information")
@roles_required(Role.ANALYST)
def request_information(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, InformationRequestForm(), name="information_form", error_field="respond_by",
        action=lambda case, form: services.request_information(
            case, questions=form.questions.data, requested_on=form.requested_on.data,
            respond_by=form.respond_by.data, actor=current_user,
        ),
        done="Information requested.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/information/<int:request_id>/response")
@roles_required(Role.ANALYST)
def record_information_response(case_id: int, request_id: int) -> ResponseReturnValue:
    information_request = db.session.get(InformationRequest, request_id)
    if information_request is None or information_request.case_id != case_id:
        abort(404)
    return _act(
        case_id, InformationResponseForm(), name="response_form", error_field="responded_on",
        action=lambda _case, form: services.record_information_response(
            information_request, responded_on=form.responded_on.data,
            response=form.response.data, actor=current_user,
        ),
        done="Response recorded.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/consultations")
@roles_required(Role.ANALYST)
def consult(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, ConsultationForm(), name="consultation_form", error_field="respond_by",
        action=lambda case, form: services.consult_agencies(
            case, summary=form.summary.data, requested_on=form.requested_on.data,
            respond_by=form.respond_by.data,
            optional_agencies=tuple(form.optional_agencies.data or ()), actor=current_user,
        ),
        done="Consultation requested.",
    )  # fmt: skip


def _assessments(form: FindingForm) -> dict[str, tuple[str, str]]:
    return {
        key: (form[f"{key}_assessment"].data, form[f"{key}_reasons"].data)
        for key, _citation, _label in rules.FACTORS
    }


@bp.post("/requests/<int:case_id>/finding")
@roles_required(Role.ANALYST)
def draft_finding(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, FindingForm(), name="finding_form", error_field="decision",
        action=lambda case, form: services.draft_finding(
            case, assessments=_assessments(form), decision=form.decision.data, actor=current_user
        ),
        done="Finding saved.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/finding/withdrawal")
@roles_required(Role.ANALYST)
def withdraw_finding(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, _finding_withdrawal_form(), name="finding_withdrawal_form", error_field="reasons",
        action=lambda case, form: services.withdraw_finding(
            case, reasons=form.reasons.data, actor=current_user
        ),
        done="Finding withdrawn; the request's history keeps it.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/finding/submit")
@roles_required(Role.ANALYST)
def submit_finding(case_id: int) -> ResponseReturnValue:
    return _step(
        case_id,
        lambda case: services.submit_finding(case, actor=current_user),
        "Finding sent for review.",
    )


@bp.post("/requests/<int:case_id>/finding/decision")
@roles_required(Role.REVIEWER)
def decide_finding(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, DecisionForm(), name="decision_form", error_field="comments",
        action=lambda case, form: services.decide_finding(case, **_decision(form)),
        done="Decision on the finding recorded.",
    )  # fmt: skip


@bp.get("/requests/<int:case_id>/decision-letter.pdf")
@roles_required(*STAFF)
def decision_letter(case_id: int) -> ResponseReturnValue:
    case = _case_or_404(case_id)
    if case.decided_on is None:
        abort(404)
    services.download_decision_letter(case, actor=current_user)
    return exports.download(
        correspondence.decision_letter_pdf(case),
        filename=f"exemption-{case.filing.receipt_number}.pdf",
        mimetype="application/pdf",
    )


@bp.post("/requests/<int:case_id>/decision-letter/send")
@roles_required(Role.ANALYST, Role.REVIEWER)
def send_decision_letter(case_id: int) -> ResponseReturnValue:
    case = _case_or_404(case_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    correspondence.send_decision_letter(case, actor=current_user, today=clocks.office_today())
    flash("The decision letter is being sent to the provider's contact on record.", "success")
    return redirect(url_for("exemptions.case", case_id=case.id))


@bp.post("/requests/<int:case_id>/notices")
@roles_required(Role.ANALYST)
def record_notice(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, NoticeForm(), name="notice_form", error_field="received_on",
        action=lambda case, form: services.record_notice(
            case, kind=rules.NoticeKind(form.kind.data), received_on=form.received_on.data,
            summary=form.summary.data, actor=current_user,
        ),
        done="Notice recorded.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/revocation")
@roles_required(Role.ANALYST)
def propose_revocation(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, RevocationForm(), name="revocation_form", error_field="reasons",
        action=lambda case, form: services.propose_revocation(
            case, reasons=form.reasons.data,
            special_measure_reference=form.special_measure_reference.data or "",
            actor=current_user,
        ),
        done="Revocation sent for review.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/revocation/decision")
@roles_required(Role.REVIEWER)
def decide_revocation(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, DecisionForm(prefix="revocation"), name="revocation_decision_form",
        error_field="comments",
        action=lambda case, form: services.decide_revocation(case, **_decision(form)),
        done="Decision on the revocation recorded.",
    )  # fmt: skip


@bp.post("/requests/<int:case_id>/withdrawal")
@roles_required(Role.ANALYST)
def withdraw(case_id: int) -> ResponseReturnValue:
    return _act(
        case_id, WithdrawalForm(), name="withdrawal_form", error_field="reasons",
        action=lambda case, form: services.withdraw(
            case, received_on=form.withdrawn_on.data, reasons=form.reasons.data,
            actor=current_user, today=clocks.office_today(),
        ),
        done="Withdrawal recorded; the request is closed without a finding.",
    )  # fmt: skip
