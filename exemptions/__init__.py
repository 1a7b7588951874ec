"""Exemptions: Abuse of IaaS Products Deterrence Program requests and findings (§7.306)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """How exemptions react to intake and answer the kernel (core.signals), in ``app``."""
    from core import signals
    from core.ownership import registry
    from exemptions import notices, search, services, views
    from intake.kinds import FilingKind

    # An exemption request opens its case (§7.306(a)); a granted one waives (§7.306(e)).
    signals.connect(app, signals.filing_received, services.on_filing_received)
    signals.connect(app, signals.search_asked, search.answer)
    signals.connect(app, signals.waivers_asked, services.waivers_in_force)
    signals.connect(app, signals.risk_signals_asked, services.risk_signals)
    # Who is told of what arrives for a provider's open cases (docs/architecture.md §12).
    signals.connect(app, signals.case_owners_asked, notices.case_owners)
    registry.register(notices.owned_kind())
    signals.connect(
        app, signals.position_lock_asked, services.positions_final, subject_type=services.SUBJECT
    )
    for subject_type in (services.SUBJECT, services.FINDING, services.REVOCATION):
        signals.connect(app, signals.subject_link_asked, views.case_link, subject_type=subject_type)
    signals.connect(
        app,
        signals.subject_link_asked,
        views.case_of_filing_link,
        subject_type=f"filing:{FilingKind.EXEMPTION_REQUEST.value}",
    )
