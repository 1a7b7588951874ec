"""Pages of the oversight of foreign resellers (§7.303(e), §7.308(f)); they join casework's
blueprint, under its URLs."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func

from casework.oversight import rules, services
from casework.oversight.forms import KnowledgeForm, OutcomeForm, OversightForm, StepForm
from casework.oversight.models import ResellerOversight
from casework.rules import ANALYSTS
from casework.views import PROVIDER_COLUMN, bp
from core import clocks, formerrors
from core.access import STAFF, roles_required
from core.db import db
from core.listing import SortColumn
from core.ownership.views import case_list_page, case_listing
from core.wording import sentence_case
from intake.models import ForeignReseller

OVERSIGHTS = case_listing(
    "oversight", ResellerOversight, "Oversight",
    PROVIDER_COLUMN,
    SortColumn("reseller", "Foreign reseller", (func.lower(ForeignReseller.name),)),
    SortColumn("stage", "Stage", (ResellerOversight.state,)),
    SortColumn("evidence", "Evidence received", (ResellerOversight.evidence_received_on,),
               descending_first=True),
)  # fmt: skip


def oversight_link(oversight_id: str) -> str:
    return url_for("casework.oversight", oversight_id=oversight_id)


def _to_case(message: str, case: ResellerOversight) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("casework.oversight", oversight_id=case.id))


@bp.route("/resellers/<int:reseller_id>/oversight", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_oversight(reseller_id: int) -> ResponseReturnValue:
    reseller = db.session.get(ForeignReseller, reseller_id) or abort(404)
    form = OversightForm()

    def act() -> ResponseReturnValue:
        case = services.open_oversight(
            reseller,
            evidence_kind=rules.EvidenceKind(form.evidence_kind.data),
            evidence=form.evidence.data,
            received_on=form.received_on.data,
            reported_to_authorities=form.reported_to_authorities.data or "",
            actor=current_user,
            today=clocks.office_today(),
        )
        return _to_case("Evidence recorded.", case)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "casework/oversight_new.html", reseller=reseller, form=form
        ),
    )


def _render_oversight(case: ResellerOversight, **forms: FlaskForm) -> str:
    actions = services.actions_for(case, current_user.role_enum)
    return render_template(
        "casework/oversight.html",
        case=case,
        basis=rules.OversightBasis(case.basis),
        knowledge_form=forms.get("knowledge_form") or KnowledgeForm(),
        outcome_form=forms.get("outcome_form") or OutcomeForm(),
        steps={
            name: (step, forms.get(name) or _step_form(name))
            for name, step in rules.STEPS.items()
            if name in actions
        },
        actions=actions,
    )


def _step_form(action: str) -> StepForm:
    form = StepForm(prefix=action)
    form.on.label.text = sentence_case(rules.STEPS[action].what_day)
    return form


def _oversight_or_404(oversight_id: int) -> ResellerOversight:
    return services.get_oversight(oversight_id) or abort(404)


@bp.get("/oversight")
@roles_required(*STAFF)
def oversight_list() -> ResponseReturnValue:
    """Every oversight of a foreign reseller, newest first, by owner if asked."""
    owner_form, page = case_list_page(OVERSIGHTS, ResellerOversight, services.oversight_query)
    return render_template("casework/oversight_list.html", page=page, owner_form=owner_form)


@bp.get("/oversight/<int:oversight_id>")
@roles_required(*STAFF)
def oversight(oversight_id: int) -> ResponseReturnValue:
    return _render_oversight(_oversight_or_404(oversight_id))


@bp.post("/oversight/<int:oversight_id>/knowledge")
@roles_required(*ANALYSTS)
def oversight_knowledge(oversight_id: int) -> ResponseReturnValue:
    case = _oversight_or_404(oversight_id)
    form = KnowledgeForm()

    def act() -> ResponseReturnValue:
        services.record_knowledge(
            case,
            knowledge_on=form.knowledge_on.data,
            trigger=rules.TerminationTrigger(form.trigger.data),
            note=form.note.data or "",
            actor=current_user,
            today=clocks.office_today(),
        )
        return _to_case("The 30-day termination clock is running (§7.303(e)).", case)

    return formerrors.handle(
        form,
        act,
        page=lambda form: _render_oversight(case, knowledge_form=form),
        error_field="knowledge_on",
    )


@bp.post("/oversight/<int:oversight_id>/outcome")
@roles_required(*ANALYSTS)
def oversight_outcome(oversight_id: int) -> ResponseReturnValue:
    case = _oversight_or_404(oversight_id)
    form = OutcomeForm()

    def act() -> ResponseReturnValue:
        services.record_outcome(
            case,
            terminated=form.outcome.data == "terminated",
            outcome_on=form.outcome_on.data,
            note=form.note.data or "",
            actor=current_user,
            today=clocks.office_today(),
        )
        return _to_case("Outcome recorded.", case)

    return formerrors.handle(
        form,
        act,
        page=lambda form: _render_oversight(case, outcome_form=form),
        error_field="outcome_on",
    )


def _step_view(action: str) -> Callable[[int], ResponseReturnValue]:
    """The route of a step kept as a day and words (rules.STEPS), named as its action."""

    def view(oversight_id: int) -> ResponseReturnValue:
        case = _oversight_or_404(oversight_id)
        form = _step_form(action)

        def act() -> ResponseReturnValue:
            services.record_step(
                case, action, on=form.on.data, note=form.note.data or "", actor=current_user,
                today=clocks.office_today(),
            )  # fmt: skip
            return _to_case(rules.STEPS[action].done, case)

        return formerrors.handle(
            form, act, page=lambda form: _render_oversight(case, **{action: form})
        )

    view.__name__ = action
    return roles_required(*ANALYSTS)(view)


for _action in rules.STEPS:
    bp.add_url_rule(
        f"/oversight/<int:oversight_id>/{_action.removeprefix('oversight_').replace('_', '-')}",
        endpoint=_action,
        view_func=_step_view(_action),
        methods=["POST"],
    )
