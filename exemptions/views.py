"""Exemptions pages."""

from __future__ import annotations

from core.modules import module_blueprint

bp = module_blueprint(
    "exemptions",
    title="Exemptions",
    url_prefix="/exemptions",
    summary=(
        "Requests to exempt a provider, a foreign reseller or a type of account that keeps an "
        "Abuse of IaaS Products Deterrence Program (§7.306), with interagency consultation, "
        "findings, annual notifications and revocation."
    ),
)
