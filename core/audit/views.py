"""The audit trail page for administrators: list, filter, export."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import exports
from core.access import roles_required
from core.audit import services
from core.audit.forms import AuditFilterForm
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.listing import Listing, SortColumn, page_of

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

# Newest first; the sequence number is the trail's own order, so it is every order's last key.
EVENTS = Listing(
    "audit-events",
    columns=(
        SortColumn("seq", "#", (AuditEvent.seq,), descending_first=True),
        SortColumn("when", "When (Eastern)", (AuditEvent.occurred_at,), descending_first=True),
        SortColumn("who", "Who", (AuditEvent.actor_label,)),
        SortColumn("action", "Action", (AuditEvent.action,)),
        SortColumn("outcome", "Outcome", (AuditEvent.outcome,)),
    ),
    default_sort="seq",
    default_descending=True,
    tiebreak=(AuditEvent.seq,),
)


def _criteria() -> tuple[AuditFilterForm, services.EventFilter]:
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(action, action) for action in services.distinct_actions()
    ]
    if not form.validate():
        return form, services.EventFilter()
    return form, services.EventFilter(
        action=form.action.data or "",
        actor=(form.actor.data or "").strip(),
        subject_type=(form.subject_type.data or "").strip(),
        subject_id=(form.subject_id.data or "").strip(),
        outcome=form.outcome.data or "",
        from_on=form.from_on.data,
        through_on=form.through_on.data,
    )


@bp.get("/")
@roles_required(Role.ADMIN)
def events() -> ResponseReturnValue:
    form, criteria = _criteria()
    page = page_of(EVENTS, services.filtered_events_query(criteria))
    return render_template("audit/events.html", form=form, page=page)


@bp.get("/events.csv")
@roles_required(Role.ADMIN)
def events_csv() -> ResponseReturnValue:
    _, criteria = _criteria()
    rows = services.export_events(criteria, actor=current_user, filters=request.args.to_dict())
    header = (
        "Seq",
        "When (UTC)",
        "Who",
        "Action",
        "Subject type",
        "Subject id",
        "Before",
        "After",
        "From",
        "Outcome",
        "Hash",
    )
    body = (
        (
            event.seq,
            event.occurred_at,
            event.actor_label,
            event.action,
            event.subject_type,
            event.subject_id,
            event.before_json,
            event.after_json,
            event.remote_addr,
            event.outcome,
            event.hash,
        )
        for event in rows
    )
    return exports.csv_download(header, body, filename="audit-events.csv")
