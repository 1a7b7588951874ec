"""Casework pages."""

from __future__ import annotations

from core.modules import module_blueprint

bp = module_blueprint(
    "casework",
    title="Casework",
    url_prefix="/casework",
    summary=(
        "Risk scoring of providers (§7.305(d)), compliance assessments (§7.305), oversight of "
        "foreign resellers (§7.303(e)) and civil penalties (§7.309)."
    ),
)
