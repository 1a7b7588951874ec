"""Exemptions: the module's landing page."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from core.access import STAFF, roles_required
from core.modules import module_home

bp = Blueprint("exemptions", __name__, url_prefix="/exemptions")

SUMMARY = (
    "Requests to exempt a provider, a foreign reseller or a type of account that keeps an "
    "Abuse of IaaS Products Deterrence Program (§7.306), with interagency consultation, "
    "findings, annual notifications and revocation."
)


@bp.get("/")
@roles_required(*STAFF)
def index() -> ResponseReturnValue:
    return module_home(
        "exemptions", title="Exemptions", summary=SUMMARY, template="module_home.html"
    )
