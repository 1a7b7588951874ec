"""Pages of the channel to providers: a document issued (what, when, how it reached the
provider, a sending by another means recorded by hand), and the public page a one-time link
opens, whose button downloads the document once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from core import clocks, exports, formerrors
from core.access import STAFF, public, roles_required
from core.auth.rules import Role
from core.db import db
from core.rate_limits.services import RateLimit, client_address, limited
from intake.correspondence import requests as sent_requests
from intake.correspondence import services
from intake.correspondence.forms import SentByHandForm
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import SENT_BY_LABELS
from intake.models import DepartmentRequest

bp = Blueprint("correspondence", __name__, url_prefix="/correspondence")

CASE_WORKERS = (Role.ANALYST, Role.REVIEWER)

# A link is a bearer of the document: guessing one is limited like the public feed, per address.
FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_PUBLIC_FEED",
    scope="correspondence-link",
    key=client_address,
    refusal="Too many requests for documents from this address",
)


def request_sent_message(request: DepartmentRequest, what: str) -> str:
    """What the analyst is told once a request is issued: when its clock started, or that it
    starts when the email goes."""
    clock = sent_requests.clock_of(request)
    if request.deadline is not None:
        return (
            f"Request recorded as sent on {request.deadline.started_on.isoformat()}; {what} is "
            f"due by {request.deadline.due_on.isoformat()} ({clock.citation})."
        )
    return (
        f"Request {request.id} is being sent to the provider's contact on record; the "
        f"{clock.days}-day clock ({clock.citation}) starts when it is sent."
    )


def sent_panel(subject_type: str, subject_id: object) -> Markup:
    """What was sent about a record, for its page: each document, when, how, and whether it
    was delivered (docs/architecture.md §6: modules include it on their own pages)."""
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(  # noqa: S704
        render_template(
            "correspondence/_sent.html",
            sent=services.correspondence_about(subject_type, subject_id),
            sent_by_labels=SENT_BY_LABELS,
        )
    )


def _or_404(correspondence_id: int) -> Correspondence:
    return services.get_correspondence(correspondence_id) or abort(404)


def _render(record: Correspondence, form: SentByHandForm) -> str:
    return render_template(
        "correspondence/detail.html",
        record=record,
        form=form,
        again_form=FlaskForm(),
        sent_by_labels=SENT_BY_LABELS,
        subject_url=_subject_url(record),
    )


def _subject_url(record: Correspondence) -> str | None:
    from core import subjects

    return subjects.url_of(record.subject_type, record.subject_id)


@bp.get("/<int:correspondence_id>")
@roles_required(*STAFF)
def detail(correspondence_id: int) -> ResponseReturnValue:
    return _render(_or_404(correspondence_id), SentByHandForm(sent_on=clocks.office_today()))


@bp.post("/<int:correspondence_id>/sent")
@roles_required(*CASE_WORKERS)
def record_sent(correspondence_id: int) -> ResponseReturnValue:
    record = _or_404(correspondence_id)
    form = SentByHandForm()

    def act() -> ResponseReturnValue:
        services.record_sent_by_hand(
            record, sent_on=form.sent_on.data, note=form.note.data or "", actor=current_user,
            today=clocks.office_today(),
        )  # fmt: skip
        flash(f"Sending recorded on {form.sent_on.data.isoformat()}.", "success")
        return redirect(url_for("correspondence.detail", correspondence_id=record.id))

    return formerrors.handle(form, act, page=lambda form: _render(record, form))


@bp.post("/<int:correspondence_id>/again")
@roles_required(*CASE_WORKERS)
def send_again(correspondence_id: int) -> ResponseReturnValue:
    record = _or_404(correspondence_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.send_again(record, actor=current_user)
    flash("Sent again to the provider's contact on record.", "success")
    return redirect(url_for("correspondence.detail", correspondence_id=record.id))


@bp.get("/<int:correspondence_id>/document")
@roles_required(*STAFF)
def document(correspondence_id: int) -> ResponseReturnValue:
    record = _or_404(correspondence_id)
    return exports.document_download(services.download_by_staff(record, actor=current_user))


# --- The one-time link (public: the link is the provider's key) -------------------------------


@bp.get("/link/<token>")
@public
@limited(FROM_ADDRESS)
def link(token: str) -> ResponseReturnValue:
    """The page an emailed link opens; a GET never spends the link, as mail scanners fetch every
    link they see."""
    found = services.link_for(token) or abort(404)
    refusal = services.link_refusal(found)
    return render_template(
        "correspondence/link.html", link=found, refusal=refusal, form=FlaskForm()
    ), (410 if refusal else 200)


@bp.post("/link/<token>")
@public
@limited(FROM_ADDRESS)
def link_download(token: str) -> ResponseReturnValue:
    found = services.link_for(token) or abort(404)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        kept = services.use_link(found, address=client_address(), today=clocks.office_today())
    except services.LinkRefused as refused:
        db.session.rollback()
        return render_template(
            "correspondence/link.html", link=found, refusal=str(refused), form=form
        ), 410
    return exports.document_download(kept)
