"""Special measures: the module's landing page."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from core.access import STAFF, roles_required
from core.modules import module_home

bp = Blueprint("special_measures", __name__, url_prefix="/special-measures")

SUMMARY = (
    "Referrals, evaluations and determinations imposing special measures on foreign "
    "jurisdictions or foreign persons (§7.307), with their compliance dates, expiry, "
    "extensions and notices to Congress."
)


@bp.get("/")
@roles_required(*STAFF)
def index() -> ResponseReturnValue:
    return module_home(
        "special_measures", title="Special measures", summary=SUMMARY, template="module_home.html"
    )
