"""Special measures pages."""

from __future__ import annotations

from core.modules import module_blueprint

bp = module_blueprint(
    "special_measures",
    title="Special measures",
    url_prefix="/special-measures",
    summary=(
        "Referrals, evaluations and determinations imposing special measures on foreign "
        "jurisdictions or foreign persons (§7.307), with their compliance dates, expiry, "
        "extensions and notices to Congress."
    ),
)
