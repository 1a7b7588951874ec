"""Pages of the notices of §7.309(b): the section on a provider's page, recording a notice (or a
change the provider has not notified) and the notice's later receipt. They are routes of
intake's blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from core import clocks, formerrors
from core.access import roles_required
from intake import services as intake_services
from intake.change_notices import rules, services
from intake.change_notices.forms import ChangeNoticeForm, ReceiptForm
from intake.models import Provider
from intake.views import CASE_WORKERS, bp


def notices_panel(provider_id: str) -> Markup:
    """The provider's notices of §7.309(b), on its page."""
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(  # noqa: S704
        render_template(
            "intake/_change_notices.html",
            provider_id=int(provider_id),
            notices=services.notices_of(int(provider_id)),
            citation=rules.citation,
            reading=rules.READING,
        )
    )


def _provider_or_404(provider_id: int) -> Provider:
    return intake_services.get_provider(provider_id) or abort(404)


def _back(provider_id: int) -> ResponseReturnValue:
    return redirect(url_for("intake.provider", provider_id=provider_id) + "#change-notices", 303)


@bp.route("/providers/<int:provider_id>/change-notices/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_change_notice(provider_id: int) -> ResponseReturnValue:
    provider = _provider_or_404(provider_id)
    form = ChangeNoticeForm()

    def act() -> ResponseReturnValue:
        services.record_change_notice(
            provider, obligation=form.obligation.data, changed_on=form.changed_on.data,
            notice_received_on=form.notice_received_on.data, learned_on=form.learned_on.data,
            learned_from=form.learned_from.data or "", summary=form.summary.data or "",
            actor=current_user, today=clocks.office_today(),
        )  # fmt: skip
        flash("The notice is recorded, and the provider's risk score with it.", "success")
        return _back(provider_id)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "intake/change_notice_form.html", provider=provider, form=form, reading=rules.READING
        ),
    )


@bp.route(
    "/providers/<int:provider_id>/change-notices/<int:change_notice_id>/received",
    methods=["GET", "POST"],
)
@roles_required(*CASE_WORKERS)
def change_notice_received(provider_id: int, change_notice_id: int) -> ResponseReturnValue:
    provider = _provider_or_404(provider_id)
    notice = services.get_notice(provider_id, change_notice_id) or abort(404)
    form = ReceiptForm()
    if not form.is_submitted():
        form.received_on.data = clocks.office_today()

    def act() -> ResponseReturnValue:
        services.record_receipt(
            notice, received_on=form.received_on.data, actor=current_user,
            today=clocks.office_today(),
        )  # fmt: skip
        flash(f"The notice is recorded as received: {notice.standing}.", "success")
        return _back(provider_id)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "intake/change_notice_received.html", provider=provider, notice=notice, form=form,
            citation=rules.citation, reading=rules.READING,
        ),
    )  # fmt: skip
