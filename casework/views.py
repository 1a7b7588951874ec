"""Casework pages: the ranked risk queue (§7.305(d)), each provider's score explained line by
line, and what changed since last week."""

from __future__ import annotations

import click
from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from casework import rules, services
from casework.forms import QueueFilterForm
from core import clocks, exports, panels
from core.access import STAFF, roles_required
from core.audit.services import record_event
from core.db import db
from core.modules import module_blueprint
from intake import services as intake

bp = module_blueprint(
    "casework",
    title="Casework",
    url_prefix="/casework",
    summary=(
        "Risk scoring of providers (§7.305(d)), compliance assessments (§7.305), oversight of "
        "foreign resellers (§7.303(e)) and civil penalties (§7.309)."
    ),
)


def register_hooks() -> None:
    panels.register_panel("provider", _provider_risk_panel)


def _provider_risk_panel(provider_id: str) -> Markup | None:
    scored = services.score_provider(int(provider_id), clocks.office_today())
    if scored is None:
        return None
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(  # noqa: S704
        render_template("casework/_provider_risk.html", scored=scored, criteria=rules.CRITERIA)
    )


def _filtered_queue() -> tuple[QueueFilterForm, list[services.Scored], object]:
    form = QueueFilterForm(request.args)
    form.validate()
    criteria = services.QueueFilter(
        name=(form.name.data or "").strip() if not form.name.errors else "",
        certification=form.certification.data or "",
        minimum_score=form.minimum_score.data or 0 if not form.minimum_score.errors else 0,
    )
    scored = services.score_registry(clocks.office_today())
    return form, scored, services.ranked_queue(scored, criteria)


@bp.get("/risk")
@roles_required(*STAFF)
def risk_queue() -> ResponseReturnValue:
    form, scored, queue = _filtered_queue()
    return render_template(
        "casework/risk_queue.html",
        form=form,
        rows=queue.to_dict("records"),
        total=len(scored),
        histogram=rules.histogram(s.score for s in scored),
        query=request.query_string.decode(),
    )


@bp.get("/risk.csv")
@roles_required(*STAFF)
def risk_queue_csv() -> ResponseReturnValue:
    _, _, queue = _filtered_queue()
    record_event("export.risk_queue", actor=current_user, after={"rows": len(queue)})
    db.session.commit()
    return exports.csv_download(
        services.QUEUE_COLUMNS,
        queue[services.QUEUE_COLUMNS].itertuples(index=False, name=None),
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
    )


@bp.get("/risk/changes")
@roles_required(*STAFF)
def risk_changes() -> ResponseReturnValue:
    today = clocks.office_today()
    taken_on, moved = services.changes_since_last_week(services.score_registry(today), today)
    return render_template("casework/risk_changes.html", taken_on=taken_on, moved=moved)


@click.command("risk-snapshot")
def risk_snapshot_command() -> None:
    """Keep today's risk scores, for "what changed since last week" (run daily)."""
    kept = services.take_snapshot(clocks.office_today(), actor=None)
    db.session.commit()
    click.echo(f"Risk scores kept for {kept} providers.")
