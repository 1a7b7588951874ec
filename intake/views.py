"""Intake pages: the provider registry."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue

from core.access import STAFF, roles_required
from core.deadlines import services as deadlines
from intake import services

bp = Blueprint("intake", __name__, url_prefix="/intake")

# Personal data of providers' staff and customers, and providers' proprietary business
# information (32 CFR 2002.20; CUI categories Privacy and Proprietary Business Information).
CUI_FILINGS = "CUI//PRVCY/PROPIN"


def register_subject_links() -> None:
    deadlines.register_subject_link(
        "provider", lambda provider_id: url_for("intake.provider", provider_id=provider_id)
    )


@bp.get("/providers")
@roles_required(*STAFF)
def providers() -> ResponseReturnValue:
    return render_template("intake/providers.html", providers=services.list_providers())


@bp.get("/providers/<int:provider_id>")
@roles_required(*STAFF)
def provider(provider_id: int) -> ResponseReturnValue:
    record = services.get_provider(provider_id) or abort(404)
    return render_template(
        "intake/provider.html",
        # The Primary Contact's details come from the provider's certification (§7.304(a)(1)(vi)).
        cui=CUI_FILINGS,
        provider=record,
        deadlines=deadlines.deadlines_for_subject("provider", record.id),
    )
