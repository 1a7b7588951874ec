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
    NewPersonPenaltyForm,
    PenaltyForm,
    PetitionForm,
    ProceedingForm,
    ProceedingOutcomeForm,
    ServeForm,
    WithdrawPenaltyForm,
)
from casework.penalties.models import PenaltyCase
from casework.views import ANALYSTS, RECORDERS, REVIEWERS, _done, _step_post, bp
from core import clocks, exports, formerrors
from core.access import STAFF, roles_required
from core.approvals import services as approvals
from core.approvals.forms import DecisionForm
from core.db import db
from core.listing import SortColumn
from core.ownership.views import case_list_page, case_listing
from intake import services as intake
from intake.correspondence import services as sent_services
from intake.correspondence import views as sent_views
from intake.models import ForeignReseller


def penalty_link(penalty_id: str) -> str:
    return url_for("casework.penalty", penalty_id=penalty_id)


PENALTIES = case_listing(
    "penalties", PenaltyCase, "Notice",
    SortColumn("respondent", "Respondent", (services.RESPONDENT_NAME,)),
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


def _with_spare_row(form: PenaltyForm) -> bool:
    """ "Add a row" asks for one more violation row, keeping what was typed; nothing is saved."""
    if "more_rows" not in request.form:
        return False
    form.violations.append_entry()
    return True


def _draft_page(
    respondent: services.Respondent | None, respondent_kind: rules.RespondentKind,
    form: PenaltyForm,
) -> ResponseReturnValue:  # fmt: skip
    """Drafting a notice against ``respondent``; a named person is typed into the form."""
    today = clocks.office_today()

    def act() -> ResponseReturnValue:
        named = respondent or rules.NamedPerson(form.person_name.data, form.person_address.data)
        case = services.draft_penalty(
            named,
            violations=form.violation_lines(),
            conduct=form.conduct.data,
            proposed_amount=form.proposed_amount.data,
            actor=current_user,
            today=today,
        )
        return _done(
            f"Penalty notice {case.reference} drafted.", "casework.penalty", penalty_id=case.id
        )

    def page(form: PenaltyForm) -> str:
        return render_template(
            "casework/penalty_new.html", respondent=respondent, respondent_kind=respondent_kind,
            form=form, cap=services.cap_in_force(today),
        )  # fmt: skip

    if _with_spare_row(form):
        return page(form)
    return formerrors.handle(form, act, page=page)


@bp.route("/providers/<int:provider_id>/penalties/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_penalty(provider_id: int) -> ResponseReturnValue:
    provider = intake.get_provider(provider_id) or abort(404)
    return _draft_page(provider, rules.RespondentKind.PROVIDER, PenaltyForm())


@bp.route("/resellers/<int:reseller_id>/penalties/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_reseller_penalty(reseller_id: int) -> ResponseReturnValue:
    reseller = db.session.get(ForeignReseller, reseller_id) or abort(404)
    return _draft_page(reseller, rules.RespondentKind.RESELLER, PenaltyForm())


@bp.route("/penalties/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_person_penalty() -> ResponseReturnValue:
    """A penalty on "any person" (§7.309(a)) the system has no record of."""
    return _draft_page(None, rules.RespondentKind.PERSON, NewPersonPenaltyForm())


def _render_penalty(case: PenaltyCase, **forms: FlaskForm) -> str:
    today = clocks.office_today()
    maximum, cap = services.maximum_of(case, today)
    _, assessed = rules.assessment_date(served_on=case.served_on, today=today)
    late = (
        rules.petition_days_late(
            received_on=case.petition_received_on, petition_due=case.petition_deadline.due_on
        )
        if case.petition_received_on and case.petition_deadline
        else 0
    )
    actions = drafts.penalty_actions(case, current_user)
    return render_template(
        "casework/penalty.html",
        case=case,
        maximum=maximum,
        cap=cap,
        assessed=assessed,
        drafting_cap_differs=case.served_on is None and case.cap != cap.amount,
        days_late=late,
        violations=rules.VIOLATIONS,
        review=approvals.latest_review(services.PENALTY, case.id),
        actions=actions,
        authors_only=drafts.penalty_authors_only(case, current_user),
        leaves_review=case.state != rules.PenaltyState.DRAFTED.value,
        submit_form=forms.get("submit_form") or FlaskForm(),
        decision_form=forms.get("decision_form") or DecisionForm(),
        serve_form=forms.get("serve_form") or ServeForm(),
        petition_form=forms.get("petition_form") or PetitionForm(),
        final_form=forms.get("final_form") or FinalDecisionForm(),
        withdraw_form=forms.get("withdraw_form") or WithdrawPenaltyForm(),
        email_form=forms.get("email_form") or FlaskForm(),
        proceeding_form=forms.get("proceeding_form") or ProceedingForm(),
        outcome_forms={
            proceeding.id: (
                forms.get(f"outcome_form_{proceeding.id}")
                or ProceedingOutcomeForm(prefix=f"outcome-{proceeding.id}")
            )
            for proceeding in case.proceedings
            if proceeding.outcome_on is None
        },
        kinds=rules.ProceedingKind,
        citations=rules.PROCEEDING_CITATIONS,
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
        rows = [
            {"paragraph": v.paragraph, "occurred_on": v.occurred_on, "transaction": v.transaction,
             "transaction_value": v.transaction_value}
            for v in case.violations
        ]  # fmt: skip
        form.violations.process(None, [*rows, {}])
    today = clocks.office_today()

    def act() -> ResponseReturnValue:
        changed = drafts.edit_penalty(
            case, violations=form.violation_lines(), conduct=form.conduct.data,
            proposed_amount=form.proposed_amount.data, actor=current_user, today=today,
        )  # fmt: skip
        message = f"Penalty notice {case.reference} changed." if changed else NOTHING_CHANGED
        return _done(message, "casework.penalty", penalty_id=case.id)

    def page(form: PenaltyForm) -> str:
        return render_template(
            "casework/penalty_edit.html", case=case, form=form, cap=services.cap_in_force(today),
            review=approvals.latest_review(drafts.PENALTY, case.id),
        )  # fmt: skip

    if _with_spare_row(form):
        return page(form)
    return formerrors.handle(form, act, page=page)


@bp.post("/penalties/<int:penalty_id>/proceedings")
@roles_required(*RECORDERS)
def penalty_proceeding(penalty_id: int) -> ResponseReturnValue:
    return _penalty_post(
        penalty_id, ProceedingForm(), "proceeding_form",
        lambda case, form: services.record_proceeding(
            case, kind=rules.ProceedingKind[form.kind.data], started_on=form.started_on.data,
            note=form.note.data, actor=current_user, today=clocks.office_today(),
        ),
        "Recorded on the case.",
    )  # fmt: skip


@bp.post("/penalties/<int:penalty_id>/proceedings/<int:proceeding_id>/outcome")
@roles_required(*RECORDERS)
def penalty_proceeding_outcome(penalty_id: int, proceeding_id: int) -> ResponseReturnValue:
    case = _penalty_or_404(penalty_id)
    proceeding = services.proceeding_of(case, proceeding_id) or abort(404)
    return _penalty_post(
        penalty_id, ProceedingOutcomeForm(prefix=f"outcome-{proceeding.id}"),
        f"outcome_form_{proceeding.id}",
        lambda case, form: services.record_proceeding_outcome(
            case, proceeding, outcome_on=form.outcome_on.data, outcome=form.outcome.data,
            actor=current_user, today=clocks.office_today(),
        ),
        "Outcome recorded.",
    )  # fmt: skip
