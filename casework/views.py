"""Casework: the module's landing page."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from core.access import STAFF, roles_required
from core.modules import module_home

bp = Blueprint("casework", __name__, url_prefix="/casework")

SUMMARY = (
    "Risk scoring of providers (§7.305(d)), compliance assessments (§7.305), oversight of "
    "foreign resellers (§7.303(e)) and civil penalties (§7.309)."
)


@bp.get("/")
@roles_required(*STAFF)
def index() -> ResponseReturnValue:
    return module_home("casework", title="Casework", summary=SUMMARY, template="module_home.html")
