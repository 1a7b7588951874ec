"""Casework pages: the ranked risk queue (§7.305(d)), each provider's score explained line by
line, and what changed since last week."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import click
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import Select, func

from casework import correspondence, drafts, rules, services
from casework.forms import (
    AssessmentOpenForm,
    CloseAssessmentForm,
    FindingForm,
    FurtherActionForm,
    InformationRequestForm,
    IssueAssessmentForm,
    QueueFilterForm,
    ResubmissionForm,
    SubmitAssessmentForm,
)
from casework.models import Assessment, RiskScore
from casework.oversight import services as oversight
from casework.risk import kept
from core import clocks, exports, formerrors, transactions
from core.access import STAFF, roles_required
from core.approvals import services as approvals
from core.approvals.forms import DecisionForm
from core.auth.rules import Role
from core.db import db
from core.listing import Listing, ListPage, SortColumn, page_of, sorted_query
from core.modules import module_blueprint
from core.ownership.views import case_list_page, case_listing
from intake import services as intake
from intake.correspondence import services as sent_services
from intake.correspondence import views as sent_views
from intake.correspondence.forms import HAND
from intake.models import Provider
from intake.registry import PROVIDER_NAME

bp = module_blueprint(
    "casework",
    title="Casework",
    url_prefix="/casework",
    summary=(
        "Risk scoring of providers (§7.305(d)), compliance assessments (§7.305), oversight of "
        "foreign resellers (§7.303(e)) and civil penalties (§7.309)."
    ),
)


ANALYSTS = (Role.ANALYST,)
REVIEWERS = (Role.REVIEWER,)
RECORDERS = (Role.ANALYST, Role.REVIEWER)


def assessment_link(assessment_id: str) -> str:
    return url_for("casework.assessment", assessment_id=assessment_id)


def provider_risk_panel(provider_id: str) -> Markup | None:
    # The kept row, not the whole computation: the explanation page computes line by line.
    score = kept.kept_score(int(provider_id), clocks.office_today())
    if score is None:
        return None
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(  # noqa: S704
        render_template(
            "casework/_provider_risk.html",
            score=score,
            oversight=oversight.oversight_of(int(provider_id)),
        )
    )


def _filtered_queue() -> tuple[QueueFilterForm, Select]:
    form = QueueFilterForm(request.args)
    form.validate()
    query = kept.queue_query(
        clocks.office_today(),
        name=(form.name.data or "").strip() if not form.name.errors else "",
        certification=form.certification.data or "",
        minimum_score=form.minimum_score.data or 0 if not form.minimum_score.errors else 0,
    )
    return form, query


# The kept scores are sorted and paged by the database, highest score first by its index
# (ix_risk_scores_score), equal scores in the order of the providers' ids.
RISK_QUEUE = Listing(
    "risk-queue",
    columns=(
        SortColumn("provider", "Provider", (func.lower(Provider.legal_name),)),
        SortColumn("score", "Score", (RiskScore.score,), descending_first=True),
        SortColumn("certification", "Certification", (RiskScore.certification,)),
    ),
    default_sort="score",
    default_descending=True,
    tiebreak=(RiskScore.provider_id,),
)
ASSESSMENTS_DUE = Listing(
    "assessments-due",
    columns=(
        SortColumn("provider", "Provider", (PROVIDER_NAME,)),
        SortColumn(
            "score",
            "Risk score",
            (RiskScore.score,),
            descending_first=True,
            then_ascending=(PROVIDER_NAME,),
        ),
        SortColumn(
            "last",
            "Last assessment opened",
            (services.ASSESSMENT_HISTORY.c.last_opened_on,),
            nulls_last=True,
            then_ascending=(PROVIDER_NAME,),
        ),
        # The schedule's own order (services.DUE_ORDER): risk-based first, highest score first,
        # then annual, each by name; the threshold that divides the two is a score.
        SortColumn(
            "schedule",
            "Schedule",
            (RiskScore.score,),
            descending_first=True,
            then_ascending=(PROVIDER_NAME,),
        ),
    ),
    default_sort="schedule",
    default_descending=True,
    tiebreak=(RiskScore.provider_id,),
)


# The case lists, newest first, sorted and paged by the database; each filters by owner (§16).
PROVIDER_COLUMN = SortColumn("provider", "Provider", (PROVIDER_NAME,))
ASSESSMENTS = case_listing(
    "assessments", Assessment, "Assessment",
    PROVIDER_COLUMN,
    SortColumn("stage", "Stage", (Assessment.state,)),
    SortColumn("opened", "Opened", (Assessment.opened_on,), descending_first=True),
)  # fmt: skip


@bp.get("/risk")
@roles_required(*STAFF)
def risk_queue() -> ResponseReturnValue:
    form, query = _filtered_queue()
    counts = kept.score_counts()
    return render_template(
        "casework/risk_queue.html",
        form=form,
        page=page_of(RISK_QUEUE, query, scalars=False),
        total=sum(n for _, n in counts),
        histogram=rules.histogram(score for score, n in counts for _ in range(n)),
        query=request.query_string.decode(),
    )


@bp.get("/risk.csv")
@roles_required(*STAFF)
def risk_queue_csv() -> ResponseReturnValue:
    _, query = _filtered_queue()
    rows = [
        {**row._asdict(), "lines": len(row.lines_json)}
        for row in db.session.execute(sorted_query(RISK_QUEUE, query))
    ]
    return exports.csv_download(
        services.QUEUE_COLUMNS,
        services.export_risk_queue(rows, actor=current_user),
        filename=f"risk-queue-{clocks.office_today().isoformat()}.csv",
    )


@bp.get("/risk/providers/<int:provider_id>")
@roles_required(*STAFF)
def provider_risk(provider_id: int) -> ResponseReturnValue:
    scored = services.score_provider(provider_id, clocks.office_today()) or abort(404)
    return render_template(
        "casework/provider_risk.html",
        scored=scored,
        provider=intake.get_provider(provider_id),
        criteria=rules.CRITERIA,
        rules_version=rules.SCORING_RULES_VERSION,
    )


@bp.get("/risk/changes")
@roles_required(*STAFF)
def risk_changes() -> ResponseReturnValue:
    today = clocks.office_today()
    taken_on, moved = services.changes_since_last_week(today)
    return render_template("casework/risk_changes.html", taken_on=taken_on, moved=moved)


@click.command("risk-snapshot")
@transactions.command
def risk_snapshot_command() -> None:
    """Keep today's risk scores, for "what changed since last week" (the scheduler does it
    daily; this does it now, and a second run the same day changes nothing)."""
    click.echo(services.keep_scores_of(clocks.office_today()))


@click.command("risk-refresh")
@transactions.command
def risk_refresh_command() -> None:
    """Recompute every provider's kept risk score now (the scheduler does it nightly)."""
    click.echo(kept.refresh_everyone(clocks.office_today()))


# --- The steps of a casework record ---------------------------------------------------------------


def _done(message: str, endpoint: str, **values: object) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _step_post(
    record: object,
    form: FlaskForm,
    step: Callable[..., object],
    *,
    page: Callable[[FlaskForm], str],
    done: Callable[[], ResponseReturnValue],
) -> ResponseReturnValue:
    """Each step of a casework record: the same handling of input and refusals."""

    def act() -> ResponseReturnValue:
        step(record, form)
        return done()

    return formerrors.handle(form, act, page=page)


# --- Compliance assessments (§7.305) -------------------------------------------------------------


def _assessment_or_404(assessment_id: int) -> Assessment:
    return services.get_assessment(assessment_id) or abort(404)


@bp.get("/assessments")
@roles_required(*STAFF)
def assessments() -> ResponseReturnValue:
    owner_form, page = case_list_page(ASSESSMENTS, Assessment, services.assessments_query)
    return render_template("casework/assessments.html", page=page, owner_form=owner_form)


def _due_page(today: date) -> ListPage:
    """One page of the providers due, paged in SQL, each with the reasons it is due."""
    page = page_of(ASSESSMENTS_DUE, services.due_query(today), scalars=False)
    return dataclasses.replace(page, items=services.due_entries(page.items, today))


def _render_due(form: FlaskForm | None = None) -> str:
    return render_template(
        "casework/assessments_due.html",
        page=_due_page(clocks.office_today()),
        threshold=services.risk_schedule_threshold(clocks.office_today()),
        form=form or FlaskForm(),
    )


@bp.get("/assessments/due")
@roles_required(*STAFF)
def assessments_due() -> ResponseReturnValue:
    return _render_due()


def _opening(
    form: FlaskForm,
    open_one: Callable[[], Assessment],
    *,
    page: Callable[[FlaskForm], str],
    label: str = "Assessment",
) -> ResponseReturnValue:
    """Every way of opening an assessment answers alike: the new assessment's page."""

    def act() -> ResponseReturnValue:
        assessment = open_one()
        return _done(
            f"{label} {assessment.reference} opened.",
            "casework.assessment",
            assessment_id=assessment.id,
        )

    return formerrors.handle(form, act, page=page)


@bp.post("/assessments/due/<int:provider_id>")
@roles_required(*ANALYSTS)
def open_scheduled_assessment(provider_id: int) -> ResponseReturnValue:
    provider = intake.get_provider(provider_id) or abort(404)
    return _opening(
        FlaskForm(),
        lambda: services.open_scheduled_assessment(
            provider, actor=current_user, today=clocks.office_today()
        ),
        page=_render_due,
    )


@bp.route("/providers/<int:provider_id>/assessments/new", methods=["GET", "POST"])
@roles_required(*ANALYSTS)
def new_assessment(provider_id: int) -> ResponseReturnValue:
    provider = intake.get_provider(provider_id) or abort(404)
    form = AssessmentOpenForm()
    return _opening(
        form,
        lambda: services.open_assessment(
            provider,
            origin=rules.AssessmentOrigin[form.origin.data],
            scope=form.scope.data,
            origin_note=form.origin_note.data or "",
            actor=current_user,
            today=clocks.office_today(),
        ),
        page=lambda form: render_template(
            "casework/assessment_new.html", provider=provider, form=form
        ),
    )


ASSESSMENT_FORMS = {
    "request_form": InformationRequestForm,
    "finding_form": FindingForm,
    "submit_form": SubmitAssessmentForm,
    "decision_form": DecisionForm,
    "issue_form": IssueAssessmentForm,
    "resubmission_form": ResubmissionForm,
    "close_form": CloseAssessmentForm,
    "action_form": FurtherActionForm,
    "follow_up_form": FlaskForm,
    "send_form": FlaskForm,
}


def _render_assessment(
    assessment: Assessment,
    withdraw_forms: dict[int, FlaskForm] | None = None,
    **forms: FlaskForm,
) -> str:
    # Each finding offers its author to change or withdraw it (casework.draft_views).
    from casework.draft_views import withdraw_form_of

    withdraw_forms = withdraw_forms or {}
    return render_template(
        "casework/assessment.html",
        assessment=assessment,
        requirements=rules.CIP_REQUIREMENTS,
        recommendation_kinds=rules.RECOMMENDATION_KINDS,
        risk_lines=assessment.risk_lines_json,
        criteria=rules.CRITERIA,
        review=approvals.latest_review(services.ASSESSMENT, assessment.id),
        actions=services.actions_for(assessment, services.ASSESSMENT, current_user.role_enum),
        remediated=assessment.state == rules.AssessmentState.REMEDIATED.value,
        sent_panel=sent_views.sent_panel(services.ASSESSMENT, assessment.id),
        may_send=assessment.issued_on is not None
        and not sent_services.pending_about(services.ASSESSMENT, assessment.id),
        leaves_review=assessment.state
        in (rules.AssessmentState.IN_REVIEW.value, rules.AssessmentState.APPROVED.value),
        follow_ups=[a for a in services.assessments_of(assessment.provider_id)
                    if a.follows_id == assessment.id],
        resubmission_kinds=services.certifying_kinds_text(),
        finding_actions={f.id: drafts.finding_actions(f, current_user)
                         for f in assessment.findings},
        withdraw_forms={f.id: withdraw_forms.get(f.id) or withdraw_form_of(f)
                        for f in assessment.findings},
        withdrawn_findings=drafts.withdrawn_findings(assessment),
        **{name: forms.get(name) or form_class() for name, form_class in ASSESSMENT_FORMS.items()},
    )  # fmt: skip


@bp.get("/assessments/<int:assessment_id>")
@roles_required(*STAFF)
def assessment(assessment_id: int) -> ResponseReturnValue:
    return _render_assessment(_assessment_or_404(assessment_id))


def _assessment_post(
    assessment_id: int, form_name: str, step: Callable[..., object], message: str
) -> ResponseReturnValue:
    assessment = _assessment_or_404(assessment_id)
    return _step_post(
        assessment,
        ASSESSMENT_FORMS[form_name](),
        step,
        page=lambda form: _render_assessment(assessment, **{form_name: form}),
        done=lambda: _done(message, "casework.assessment", assessment_id=assessment.id),
    )


@bp.post("/assessments/<int:assessment_id>/requests")
@roles_required(*ANALYSTS)
def assessment_request(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "request_form",
        lambda a, form: services.request_information(
            a, requested_on=form.requested_on.data, note=form.note.data or "", actor=current_user,
            today=clocks.office_today(), sent_by_hand=form.sent_by.data == HAND,
        ),
        "Request issued; the provider has 10 days from its receipt to answer (§7.305(a)).",
    )  # fmt: skip


# Analysts draft the findings and send them; reviewers decide (docs/architecture.md §1).
@bp.post("/assessments/<int:assessment_id>/findings")
@roles_required(*ANALYSTS)
def assessment_finding(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "finding_form",
        lambda a, form: services.add_finding(
            a, requirement=form.requirement.data, shortcoming=form.shortcoming.data,
            recommendation_kind=form.recommendation_kind.data,
            recommendation=form.recommendation.data, actor=current_user,
        ),
        "Finding added.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/submit")
@roles_required(*ANALYSTS)
def submit_assessment(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "submit_form",
        lambda a, form: services.submit_assessment(
            a, resubmission_days=form.resubmission_days.data, actor=current_user
        ),
        "Sent to the reviewers' queue.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/decision")
@roles_required(*REVIEWERS)
def decide_assessment(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "decision_form",
        lambda a, form: services.decide_assessment(
            a, approve=form.decision.data == "approve", comments=form.comments.data or "",
            actor=current_user,
        ),
        "Decision recorded.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/issue")
@roles_required(*RECORDERS)
def issue_assessment(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "issue_form",
        lambda a, form: services.issue_assessment(
            a, issued_on=form.issued_on.data, actor=current_user, today=clocks.office_today()
        ),
        "Report issued.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/resubmission")
@roles_required(*ANALYSTS)
def assessment_resubmission(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "resubmission_form",
        lambda a, form: services.record_resubmission(
            a, receipt_number=form.receipt_number.data, actor=current_user
        ),
        "Resubmitted CIP recorded; the remediation clock is met.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/close")
@roles_required(*ANALYSTS)
def close_assessment(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "close_form",
        lambda a, form: services.close_assessment(
            a, note=form.note.data, actor=current_user, today=clocks.office_today()
        ),
        "Assessment closed.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/further-action")
@roles_required(*ANALYSTS)
def assessment_action(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "action_form",
        lambda a, form: services.record_further_action(
            a, action=form.action.data, note=form.note.data, actor=current_user,
            today=clocks.office_today(),
        ),
        "Recorded.",
    )  # fmt: skip


@bp.post("/assessments/<int:assessment_id>/follow-up")
@roles_required(*ANALYSTS)
def follow_up_assessment(assessment_id: int) -> ResponseReturnValue:
    earlier = _assessment_or_404(assessment_id)
    return _opening(
        FlaskForm(),
        lambda: services.open_follow_up(earlier, actor=current_user, today=clocks.office_today()),
        page=lambda form: _render_assessment(earlier, follow_up_form=form),
        label="Follow-up",
    )


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@roles_required(*STAFF)
def assessment_report(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment_or_404(assessment_id)
    body = correspondence.assessment_report_pdf(assessment)
    services.download_assessment_report(assessment, actor=current_user)
    return exports.download(
        body, filename=f"{assessment.reference}.pdf", mimetype="application/pdf"
    )


@bp.post("/assessments/<int:assessment_id>/send")
@roles_required(*RECORDERS)
def send_assessment_report(assessment_id: int) -> ResponseReturnValue:
    return _assessment_post(
        assessment_id, "send_form",
        lambda a, form: correspondence.send_assessment_report(
            a, actor=current_user, today=clocks.office_today()
        ),
        "The report is being sent to the provider's contact on record.",
    )  # fmt: skip
