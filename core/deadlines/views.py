"""The deadline board: every open clock across the system, with its citation and arithmetic."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from core import clocks, exports, formerrors, ical, subjects
from core.access import STAFF, public, roles_required
from core.auth.models import User
from core.auth.rules import Role
from core.auth.services import list_users
from core.db import db, utcnow
from core.deadlines import printed, services
from core.deadlines.forms import AssignDeadlineForm, BoardFilterForm, MeetDeadlineForm
from core.deadlines.models import BoardPdf, Deadline
from core.listing import Listing, SortColumn, page_of, sorted_query
from core.navigation import MODULE_LABELS

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")


def _case_workers() -> list[SelectChoice]:
    return [
        SelectChoice(str(user.id), user.full_name)
        for user in list_users()
        if user.role_enum in (Role.ANALYST, Role.REVIEWER) and user.is_active
    ]


# The board's "Mine": the deadlines of the person reading, whoever they are.
MINE = "me"


def _criteria(data: MultiDict[str, str]) -> tuple[BoardFilterForm, services.BoardFilter]:
    """The board's filters as chosen; none where one is not a choice of its list."""
    form = BoardFilterForm(data)
    form.assignee.choices = [SelectChoice("", "Anyone"), SelectChoice(MINE, "Mine"),
                             *_case_workers()]  # fmt: skip
    if not form.validate():
        return form, services.BoardFilter()
    assignee = form.assignee.data
    return form, services.BoardFilter(
        module=form.module.data or "",
        assignee_id=current_user.id if assignee == MINE else int(assignee) if assignee else None,
        clock_key=form.clock.data or "",
    )


# The board is sorted and paged by the database. Its own order, by due date, is its order of
# urgency too (overdue, due within 14 days, later: core.deadlines.rules.due_soon_ends).
BOARD = Listing(
    "deadlines",
    columns=(
        SortColumn("due", "Due on", (Deadline.due_on,)),
        SortColumn("clock", "Clock", (services.CLOCK_TITLE,)),
        SortColumn("subject", "Subject", (func.lower(Deadline.subject_label),)),
        SortColumn("module", "Module", (services.MODULE_LABEL,)),
        SortColumn("assignee", "Assignee", (services.ASSIGNEE_NAME,)),
    ),
    default_sort="due",
    tiebreak=(Deadline.id,),
)


def _exported_rows(file_format: str) -> list[services.BoardRow]:
    """The whole filtered board, in the order its page is sorted by."""
    _, criteria = _criteria(request.args)
    rows = services.board(
        criteria, clocks.office_today(), order=lambda query: sorted_query(BOARD, query)
    )
    return services.export_board(
        rows, file_format=file_format, actor=current_user, filters=request.args.to_dict()
    )


@bp.get("/")
@roles_required(*STAFF)
def board() -> ResponseReturnValue:
    form, criteria = _criteria(request.args)
    page = page_of(BOARD, services.board_query(criteria))
    return render_template(
        "deadlines/board.html",
        form=form,
        page=page,
        rows=services.board_rows(page.items, clocks.office_today()),
        filtered=any(form[name].data for name in ("module", "assignee", "clock")),
        calendar_address=services.calendar_address_of(current_user),
    )


@bp.get("/deadlines.csv")
@roles_required(*STAFF)
def board_csv() -> ResponseReturnValue:
    rows = _exported_rows("csv")
    today = clocks.office_today()
    header = (
        "Status",
        "Due on",
        "Days remaining",
        "Time left",
        "Clock",
        "Citation",
        "Subject",
        "Module",
        "Started on",
        "How computed",
        "Assignee",
        "Date warning",
    )
    body = (
        (
            row.urgency.value,
            row.deadline.due_on,
            # A number a spreadsheet can sort and sum: negative once overdue.
            (row.deadline.due_on - today).days,
            row.days_left,
            row.clock_title,
            row.deadline.citation,
            row.deadline.subject_label,
            MODULE_LABELS[row.deadline.module],
            row.deadline.started_on,
            row.deadline.computation,
            row.deadline.assignee.full_name if row.deadline.assignee else "",
            row.date_warning or "",
        )
        for row in rows
    )
    return exports.csv_download(header, body, filename=f"deadlines-{clocks.office_today()}.csv")


def _calendar(rows: list[services.BoardRow]) -> ResponseReturnValue:
    events = (
        ical.CalendarEvent(
            uid=f"deadline-{row.deadline.id}@oicts-case",
            on=row.deadline.due_on,
            summary=f"{row.clock_title} ({row.deadline.citation}): {row.deadline.subject_label}",
            description=row.deadline.computation,
            url=url_for("deadlines.detail", deadline_id=row.deadline.id, _external=True),
        )
        for row in rows
    )
    body = ical.calendar("OICTS deadlines", events, generated_at=utcnow())
    return exports.download(body, filename="oicts-deadlines.ics", mimetype="text/calendar")


@bp.get("/deadlines.ics")
@roles_required(*STAFF)
def board_ics() -> ResponseReturnValue:
    rows = _exported_rows("ics")
    return _calendar(rows)


@bp.post("/calendar-address")
@roles_required(*STAFF)
def make_calendar_address() -> ResponseReturnValue:
    """A new personal calendar address, shown this once: only its hash is kept."""
    token = services.new_calendar_token(current_user)
    address = url_for("deadlines.subscribed_ics", token=token, _external=True)
    return render_template("deadlines/calendar_address.html", address=address)


# A calendar program subscribes without a session: the address carries a random secret, looked
# up by its hash on every request, so that a reset or a deactivated account stops it at once.
@bp.get("/calendar/<token>.ics")
@public
def subscribed_ics(token: str) -> ResponseReturnValue:
    user = services.calendar_reader(token)
    if user is None or not user.is_active or user.role_enum not in STAFF:
        abort(404)
    rows = services.export_board(
        services.board(services.BoardFilter(), clocks.office_today()),
        file_format="ics subscription",
        actor=user,
    )
    return _calendar(rows)


# --- The board printed as a PDF, by the job worker -----------------------------------------


@bp.post("/pdfs")
@roles_required(*STAFF)
def print_board() -> ResponseReturnValue:
    _, criteria = _criteria(request.form)
    _, job = printed.request_board_pdf(criteria, actor=current_user)
    flash(
        "The job worker is printing the board as a PDF; this page shows how far it has got, and "
        "leads to the PDF once it is ready.",
        "success",
    )
    return redirect(url_for("jobs.job", job_id=job.id))


def _printed_or_404(pdf_id: int) -> BoardPdf:
    return printed.get_board_pdf(pdf_id) or abort(404)


@bp.get("/pdfs/<int:pdf_id>")
@roles_required(*STAFF)
def printed_board(pdf_id: int) -> ResponseReturnValue:
    record = _printed_or_404(pdf_id)
    return render_template(
        "deadlines/printed.html",
        record=record,
        job=printed.job_of(record),
        size=printed.size_text(record.size_bytes) if record.size_bytes else None,
    )


@bp.get("/pdfs/<int:pdf_id>/download")
@roles_required(*STAFF)
def printed_board_download(pdf_id: int) -> ResponseReturnValue:
    record = _printed_or_404(pdf_id)
    if not record.is_made:
        abort(404)
    return exports.document_download(printed.download_board_pdf(record, actor=current_user))


def _assign_form(deadline: services.Deadline) -> AssignDeadlineForm:
    form = AssignDeadlineForm(
        formdata=None if request.method == "GET" else request.form,
        assignee=str(deadline.assignee_id or ""),
    )
    form.assignee.choices = [SelectChoice("", "Nobody"), *_case_workers()]
    return form


def _render_detail(
    deadline: services.Deadline,
    form: MeetDeadlineForm,
    assign_form: AssignDeadlineForm | None = None,
) -> str:
    return render_template(
        "deadlines/detail.html",
        deadline=deadline,
        clock=clocks.get(deadline.clock_key),
        form=form,
        assign_form=assign_form or _assign_form(deadline),
        date_warning=clocks.non_working_day_warning(deadline.due_on),
        subject_url=subjects.url_of(deadline.subject_type, deadline.subject_id),
    )


@bp.get("/<int:deadline_id>")
@roles_required(*STAFF)
def detail(deadline_id: int) -> ResponseReturnValue:
    deadline = services.get_deadline(deadline_id) or abort(404)
    return _render_detail(deadline, MeetDeadlineForm(met_on=clocks.office_today()))


@bp.post("/<int:deadline_id>/met")
@roles_required(Role.ANALYST, Role.REVIEWER)
def record_met(deadline_id: int) -> ResponseReturnValue:
    deadline = services.get_deadline(deadline_id) or abort(404)
    form = MeetDeadlineForm()

    def act() -> ResponseReturnValue:
        services.meet_deadline(
            deadline, met_on=form.met_on.data, actor=current_user, note=form.note.data
        )
        flash("Recorded: the clock was met.", "success")
        return redirect(url_for("deadlines.detail", deadline_id=deadline.id))

    return formerrors.handle(
        form, act, page=lambda form: _render_detail(deadline, form), error_field="met_on"
    )


@bp.post("/<int:deadline_id>/assignee")
@roles_required(Role.ANALYST, Role.REVIEWER)
def assign(deadline_id: int) -> ResponseReturnValue:
    deadline = services.get_deadline(deadline_id) or abort(404)
    form = _assign_form(deadline)

    def act() -> ResponseReturnValue:
        assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
        services.assign_deadline(deadline, assignee, actor=current_user)
        who = assignee.full_name if assignee else "nobody"
        flash(f"Assigned to {who}.", "success")
        return redirect(url_for("deadlines.detail", deadline_id=deadline.id))

    return formerrors.handle(
        form,
        act,
        page=lambda form: _render_detail(
            deadline, MeetDeadlineForm(met_on=clocks.office_today()), form
        ),
        error_field="assignee",
    )
