"""A penalty case's pages (§7.309): the list, the draft, its review, service, the petition and
the final decision. Its routes join casework's blueprint, at the addresses they always had."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from casework.draft_views import NOTHING_CHANGED
from casework.penalties import correspondence, drafts, rules, services
from casework.penalties.forms import (
    FinalDecisionForm,
    PenaltyForm,
    PetitionForm,
    ServeForm,
    WithdrawPenaltyForm,
)
from casework.penalties.models import PenaltyCase
from casework.views import ANALYSTS, PROVIDER_COLUMN, RECORDERS, REVIEWERS, _done, _step_post, bp
from core import clocks, exports, formerrors
from core.access import STAFF, roles_required
from core.approvals import services as approvals
from core.approvals.forms import DecisionForm
from core.listing import SortColumn
from core.ownership.views import case_list_page, case_listing
from intake import services as intake
from intake.correspondence import services as sent_services
from intake.correspondence import views as sent_views


def penalty_link(penalty_id: str) -> str:
    return url_for("casework.penalty", penalty_id=penalty_id)


PENALTIES = case_listing(
    "penalties", PenaltyCase, "Notice",
    PROVIDER_COLUMN,
    SortColumn("stage", "Stage", (PenaltyCase.state,)),
    SortColumn("proposed", "Proposed", (PenaltyCase.proposed_amount,), descending_first=True),
)  # fmt: skip


def _penalty_or_404(penalty_id: int) -> PenaltyCase:
    return services.get_penalty(penalty_id) or abort(404)


@bp.get("/penalties")
@roles_required(*STAFF)
def penalties() -> ResponseReturnValue:
    owner_form, page = case_list_page(PENALTIES, PenaltyCase, services.penalties_query)
    return render_template("casework/penalties.html", page=page, owner_form=owner_form)


@bp.route("/providers/<int:provider_id>/penalties/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_penalty(provider_id: int) -> ResponseReturnValue:
    provider = intake.get_provider(provider_id) or abort(404)
    form = PenaltyForm()
    today = clocks.office_today()

    def act() -> ResponseReturnValue:
        case = services.draft_penalty(
            provider,
            violations=form.violations.data,
            conduct=form.conduct.data,
            transaction_value=form.transaction_value.data,
            proposed_amount=form.proposed_amount.data,
            actor=current_user,
            today=today,
        )
        return _done(
            f"Penalty notice {case.reference} drafted.", "casework.penalty", penalty_id=case.id
        )

    cap, source = services.penalty_maximum(1, None, today)
    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "casework/penalty_new.html", provider=provider, form=form, cap=cap, source=source
        ),
    )


def _render_penalty(case: PenaltyCase, **forms: FlaskForm) -> str:
    return render_template(
        "casework/penalty.html",
        case=case,
        maximum=services.maximum_of(case),
        violations=[rules.VIOLATIONS[code] for code in case.violation_codes],
        review=approvals.latest_review(services.PENALTY, case.id),
        actions=drafts.penalty_actions(case, current_user),
        authors_only=drafts.penalty_authors_only(case, current_user),
        leaves_review=case.state != rules.PenaltyState.DRAFTED.value,
        submit_form=forms.get("submit_form") or FlaskForm(),
        decision_form=forms.get("decision_form") or DecisionForm(),
        serve_form=forms.get("serve_form") or ServeForm(),
        petition_form=forms.get("petition_form") or PetitionForm(),
        final_form=forms.get("final_form") or FinalDecisionForm(),
        withdraw_form=forms.get("withdraw_form") or WithdrawPenaltyForm(),
        email_form=forms.get("email_form") or FlaskForm(),
        sent_panel=sent_views.sent_panel(services.PENALTY, case.id),
        sending=sent_services.pending_about(services.PENALTY, case.id),
    )


@bp.get("/penalties/<int:penalty_id>")
@roles_required(*STAFF)
def penalty(penalty_id: int) -> ResponseReturnValue:
    return _render_penalty(_penalty_or_404(penalty_id))


def _penalty_post(
    penalty_id: int, form: FlaskForm, form_name: str, step: Callable[..., None], message: str
) -> ResponseReturnValue:
    case = _penalty_or_404(penalty_id)
    return _step_post(
        case,
        form,
        step,
        page=lambda form: _render_penalty(case, **{form_name: form}),
        done=lambda: _done(message, "casework.penalty", penalty_id=case.id),
    )


@bp.post("/penalties/<int:penalty_id>/submit")
@roles_required(*ANALYSTS)
def submit_penalty(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, FlaskForm(), "submit_form",
        lambda case, form: services.submit_penalty(case, actor=current_user),
        "Sent to the reviewers' queue.",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/decision")
@roles_required(*REVIEWERS)
def decide_penalty(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, DecisionForm(), "decision_form",
        lambda case, form: services.decide_penalty(
            case, approve=form.decision.data == "approve", comments=form.comments.data or "",
            actor=current_user,
        ),
        "Decision recorded.",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/serve")
@roles_required(*RECORDERS)
def serve_penalty(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, ServeForm(), "serve_form",
        lambda case, form: services.serve_penalty(
            case, served_on=form.served_on.data, actor=current_user, today=clocks.office_today()
        ),
        "Service recorded; the 30 days to petition are running (§7.309(c)(1)(i)).",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/petition")
@roles_required(*RECORDERS)
def penalty_petition(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, PetitionForm(), "petition_form",
        lambda case, form: services.record_petition(
            case, received_on=form.received_on.data, summary=form.summary.data,
            actor=current_user, today=clocks.office_today(),
        ),
        "Petition recorded; the final decision is due within 30 days (§7.309(c)(1)(ii)).",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/final-decision")
@roles_required(*REVIEWERS)
def penalty_final_decision(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, FinalDecisionForm(), "final_form",
        lambda case, form: services.record_final_decision(
            case, decided_on=form.decided_on.data, decision=form.decision.data,
            final_amount=form.final_amount.data, actor=current_user,
            today=clocks.office_today(),
        ),
        "Final administrative decision recorded.",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/withdrawal")
@roles_required(*ANALYSTS)
def withdraw_penalty(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, WithdrawPenaltyForm(), "withdraw_form",
        lambda case, form: services.withdraw_penalty(
            case, reasons=form.reasons.data, actor=current_user, today=clocks.office_today()
        ),
        "Penalty withdrawn; no notice will be served.",
    )  # fmt: skip


@bp.get("/penalties/<int:penalty_id>/notice.pdf")
@roles_required(*STAFF)
def penalty_notice(penalty_id: int) -> ResponseReturnValue:
    case = _penalty_or_404(penalty_id)
    body = correspondence.penalty_notice_pdf(case)
    services.download_penalty_notice(case, actor=current_user)
    return exports.download(body, filename=f"{case.reference}.pdf", mimetype="application/pdf")


@bp.post("/penalties/<int:penalty_id>/serve-by-email")
@roles_required(*RECORDERS)
def serve_penalty_by_email(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, FlaskForm(), "email_form",
        lambda case, form: correspondence.serve_penalty_by_email(
            case, actor=current_user, today=clocks.office_today()
        ),
        "The notice is being sent to the provider's contact on record; it is served, and the "
        "30 days to petition start (§7.309(c)(1)(i)), on the day it is sent.",
    )  # fmt: skip


@bp.route("/penalties/<int:penalty_id>/edit", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def edit_penalty(penalty_id: int) -> ResponseReturnValue:
    case = _penalty_or_404(penalty_id)
    drafts.require_penalty_editable(case, current_user)
    form = PenaltyForm(obj=case if request.method == "GET" else None)
    if request.method == "GET":
        form.violations.data = list(case.violation_codes)
    today = clocks.office_today()

    def act() -> ResponseReturnValue:
        changed = drafts.edit_penalty(
            case, violations=form.violations.data, conduct=form.conduct.data,
            transaction_value=form.transaction_value.data,
            proposed_amount=form.proposed_amount.data, actor=current_user, today=today,
        )  # fmt: skip
        message = f"Penalty notice {case.reference} changed." if changed else NOTHING_CHANGED
        return _done(message, "casework.penalty", penalty_id=case.id)

    cap, source = services.penalty_maximum(1, None, today)
    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "casework/penalty_edit.html", case=case, form=form, cap=cap, source=source,
            review=approvals.latest_review(drafts.PENALTY, case.id),
        ),
    )  # fmt: skip
