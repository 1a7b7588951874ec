"""A person's notices: the inbox (each notice opens its record), the unread count in every
page's header, and the choices of how each kind reaches them (docs/architecture.md §12)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import formerrors
from core.access import ALL_ROLES, roles_required
from core.auth.rules import Role
from core.listing import Listing, SortColumn, page_of
from core.notifications import rules, services
from core.notifications.forms import ChoicesForm, OutboxFilterForm
from core.notifications.models import Notification, OutgoingMail
from core.notifications.rules import MailState
from core.wording import counted

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
# The administrators' pages of every message the system sends, and of its templates.
outbox_bp = Blueprint("outbox", __name__, url_prefix="/admin")


@bp.app_context_processor
def _header() -> dict[str, Any]:
    # Counted only when a page's header asks (base.html, for a signed-in person): error pages
    # and mail templates never query.
    return {"unread_notices": lambda: services.unread_count(current_user)}


# Unread first, then newest first: read or not is the first key, the time the second.
INBOX = Listing(
    "notifications",
    columns=(
        SortColumn("unread", "State", (Notification.read_at.is_(None),), descending_first=True),
        SortColumn("notice", "Notice", (Notification.title,)),
        SortColumn(
            "received", "Received (Eastern)", (Notification.created_at,), descending_first=True
        ),
    ),
    default_sort="unread",
    default_descending=True,
    tiebreak=(Notification.created_at, Notification.id),
    default_page_size=25,
)
OUTBOX = Listing(
    "outbox",
    columns=(
        SortColumn("message", "Message", (OutgoingMail.id,), descending_first=True),
        SortColumn("subject", "Subject", (OutgoingMail.subject_line,)),
        SortColumn("to", "To", (OutgoingMail.to_address,)),
        SortColumn("state", "State", (OutgoingMail.state,)),
        SortColumn("queued", "Queued (Eastern)", (OutgoingMail.queued_at,), descending_first=True),
    ),
    default_sort="queued",
    default_descending=True,
    tiebreak=(OutgoingMail.id,),
)


def _own_or_404(notification_id: int) -> Notification:
    return services.notice_of(current_user, notification_id) or abort(404)


@bp.get("/")
@roles_required(*ALL_ROLES)
def inbox() -> ResponseReturnValue:
    return render_template(
        "notifications/inbox.html",
        page=page_of(INBOX, services.inbox_query(current_user)),
        unread=services.unread_count(current_user),
        label_of=rules.label_of,
    )


@bp.get("/<int:notification_id>/open")
@roles_required(*ALL_ROLES)
def open_notice(notification_id: int) -> ResponseReturnValue:
    notice = _own_or_404(notification_id)
    services.mark_read(notice, actor=current_user)
    return redirect(services.safe_link(notice.link) or url_for("notifications.inbox"))


@bp.post("/<int:notification_id>/read")
@roles_required(*ALL_ROLES)
def mark_read(notification_id: int) -> ResponseReturnValue:
    services.mark_read(_own_or_404(notification_id), actor=current_user)
    flash("Marked as read.", "success")
    return redirect(url_for("notifications.inbox"))


@bp.post("/read")
@roles_required(*ALL_ROLES)
def mark_all_read() -> ResponseReturnValue:
    read = services.mark_all_read(current_user)
    flash(
        f"{counted(read, 'notice')} marked as read." if read else "Nothing was unread.", "success"
    )
    return redirect(url_for("notifications.inbox"))


def _choices_page(form: ChoicesForm) -> str:
    return render_template(
        "notifications/settings.html",
        form=form,
        kinds=rules.notice_kinds(),
    )


@bp.get("/settings")
@roles_required(*ALL_ROLES)
def settings() -> ResponseReturnValue:
    kinds = rules.notice_kinds()
    chosen = services.deliveries_of(current_user)
    data = {f"kind_{kind}": delivery.value for kind, delivery in chosen.items()}
    data["digest_at"] = services.digest_time_of(current_user).isoformat("minutes")
    return _choices_page(ChoicesForm.for_kinds(kinds)(data=data))


@bp.post("/settings")
@roles_required(*ALL_ROLES)
def save_settings() -> ResponseReturnValue:
    kinds = rules.notice_kinds()
    form = ChoicesForm.for_kinds(kinds)()

    def act() -> ResponseReturnValue:
        services.save_choices(current_user, form.deliveries(kinds), form.digest_time())
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))

    return formerrors.handle(form, act, page=_choices_page)


# --- The administrators' outbox and message templates -----------------------------------------


@outbox_bp.get("/outbox")
@roles_required(Role.ADMIN)
def outbox() -> ResponseReturnValue:
    form = OutboxFilterForm(request.args)
    chosen = (form.state.data or "").strip()
    state = MailState(chosen) if form.validate() and chosen else None
    return render_template(
        "notifications/outbox.html",
        form=form,
        page=page_of(OUTBOX, services.outbox_query(state)),
        filtered=state is not None,
        no_server=not current_app.config.get("MAIL_SERVER"),
    )


@outbox_bp.get("/outbox/<int:mail_id>")
@roles_required(Role.ADMIN)
def message(mail_id: int) -> ResponseReturnValue:
    mail = services.get_mail(mail_id) or abort(404)
    return render_template(
        "notifications/message.html",
        mail=mail,
        sender=current_app.config["MAIL_SENDER"],
        no_server=not current_app.config.get("MAIL_SERVER"),
    )


@outbox_bp.get("/message-templates")
@roles_required(Role.ADMIN)
def message_templates() -> ResponseReturnValue:
    return render_template(
        "notifications/message_templates.html",
        templates=services.message_templates(),
        sample_for=rules.sample_for,
    )


@outbox_bp.get("/message-templates/<name>")
@roles_required(Role.ADMIN)
def message_template(name: str) -> ResponseReturnValue:
    found = {template.name: template for template in services.message_templates()}
    template = found.get(name) or abort(404)
    rendered = services.preview(template, current_user)
    return render_template(
        "notifications/message_template.html",
        template=template,
        problem=rendered if isinstance(rendered, str) else None,
        rendered=None if isinstance(rendered, str) else rendered,
        sample=rules.sample_for(template.name),
    )
