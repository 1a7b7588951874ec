"""Consultations: liaisons see and answer their own agency's; staff see all of them."""

from __future__ import annotations

from operator import attrgetter

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.utils import secure_filename

from core import exports, formerrors, subjects
from core.access import ALL_ROLES, roles_required
from core.auth.rules import Role
from core.consultations import services
from core.consultations.forms import AttachmentForm, PositionForm
from core.consultations.models import Consultation
from core.consultations.rules import CITATIONS, Position, Purpose
from core.errors import NotFound
from core.listing import Listing, SortColumn, page_of, page_of_rows

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

RECORDERS = (Role.LIAISON, Role.ANALYST, Role.REVIEWER)


def _visible_or_404(consultation_id: int) -> Consultation:
    try:
        return services.get_for(current_user, consultation_id)
    except NotFound:
        abort(404)


# The columns a list of consultations sorts by: the attribute of each, read by SQL for staff's
# list of every consultation, or from the rows a liaison's lists keep once the owning modules
# have said which decisions are made (core.consultations.services).
_COLUMNS = {
    "subject": ("Subject", "subject_label", False),
    "agency": ("Agency", "agency", False),
    "requested": ("Requested", "requested_on", True),
    "respond_by": ("Respond by", "respond_by", False),
    "position": ("Position", "position", False),
    "recorded": ("Recorded", "recorded_at", True),
}


def _listing(name: str, keys: tuple[str, ...], default: str, *, in_memory: bool) -> Listing:
    def column(key: str) -> SortColumn:
        label, attribute, descending_first = _COLUMNS[key]
        by = attrgetter(attribute) if in_memory else (getattr(Consultation, attribute),)
        if key == "respond_by":
            by = services.awaiting_first if in_memory else services.AWAITING_FIRST
        return SortColumn(key, label, by, descending_first=descending_first)

    return Listing(
        name,
        columns=tuple(column(key) for key in keys),
        default_sort=default,
        default_descending=_COLUMNS[default][2],
        tiebreak=() if in_memory else (Consultation.id,),
    )


OPEN_KEYS = ("subject", "agency", "requested", "respond_by", "position")
PAST_KEYS = ("subject", "agency", "requested", "position", "recorded")
EVERY_CONSULTATION = _listing("consultations", OPEN_KEYS, "respond_by", in_memory=False)
AGENCY_OPEN = _listing("consultations", OPEN_KEYS, "respond_by", in_memory=True)
PAST = _listing("past-consultations", PAST_KEYS, "requested", in_memory=True)


@bp.get("/")
@roles_required(*ALL_ROLES)
def index() -> ResponseReturnValue:
    if current_user.role_enum is Role.LIAISON:
        page = page_of_rows(AGENCY_OPEN, services.visible_to(current_user))
    else:
        page = page_of(EVERY_CONSULTATION, services.listed_query())
    return render_template("consultations/index.html", page=page)


@bp.get("/past")
@roles_required(*ALL_ROLES)
def history() -> ResponseReturnValue:
    """The consultations whose decision is made, with the positions recorded: read-only, a
    liaison's own agency's only (§7.306(e)(2), §7.307(c))."""
    return render_template(
        "consultations/history.html",
        page=page_of_rows(PAST, services.past_for(current_user)),
        citations={purpose.value: citation for purpose, citation in CITATIONS.items()},
    )


def _render_detail(
    consultation: Consultation, form: PositionForm, attachment_form: AttachmentForm | None = None
) -> str:
    is_staff = current_user.role_enum is not Role.LIAISON
    final = services.position_lock(consultation)
    return render_template(
        "consultations/detail.html",
        consultation=consultation,
        form=form,
        attachment_form=attachment_form or AttachmentForm(formdata=None),
        citation=CITATIONS[Purpose(consultation.purpose)],
        final=final,
        may_record=current_user.role_enum in RECORDERS and final is None,
        # Liaisons see the summary sent to them, never a link into the office's case files.
        subject_url=subjects.url_of(consultation.subject_type, consultation.subject_id)
        if is_staff
        else None,
    )


@bp.get("/<int:consultation_id>")
@roles_required(*ALL_ROLES)
def detail(consultation_id: int) -> ResponseReturnValue:
    consultation = _visible_or_404(consultation_id)
    return _render_detail(consultation, PositionForm(obj=consultation))


@bp.post("/<int:consultation_id>/position")
@roles_required(*RECORDERS)
def record_position(consultation_id: int) -> ResponseReturnValue:
    consultation = _visible_or_404(consultation_id)
    form = PositionForm()

    def act() -> ResponseReturnValue:
        services.record_position(
            consultation,
            position=Position(form.position.data),
            comments=form.comments.data or "",
            actor=current_user,
        )
        flash(f"Position recorded for {consultation.agency}.", "success")
        return redirect(url_for("consultations.detail", consultation_id=consultation.id))

    return formerrors.handle(
        form, act, page=lambda form: _render_detail(consultation, form), error_field="comments"
    )


@bp.post("/<int:consultation_id>/attachments")
@roles_required(*RECORDERS)
def attach(consultation_id: int) -> ResponseReturnValue:
    consultation = _visible_or_404(consultation_id)
    form = AttachmentForm()

    def act() -> ResponseReturnValue:
        upload = form.document.data
        services.attach_document(
            consultation, filename=upload.filename or "document", content=upload.read(),
            actor=current_user,
        )  # fmt: skip
        flash("Document attached.", "success")
        return redirect(url_for("consultations.detail", consultation_id=consultation.id))

    return formerrors.handle(
        form,
        act,
        page=lambda form: _render_detail(consultation, PositionForm(obj=consultation), form),
        error_field="document",
    )


@bp.get("/<int:consultation_id>/attachments/<int:attachment_id>")
@roles_required(*ALL_ROLES)
def attachment(consultation_id: int, attachment_id: int) -> ResponseReturnValue:
    consultation = _visible_or_404(consultation_id)
    try:
        document = services.attachment_of(consultation, attachment_id)
    except NotFound:
        abort(404)
    return exports.document_download(
        document, filename=secure_filename(document.filename) or "document"
    )
