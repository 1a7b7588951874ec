"""Special measures: referrals, evaluations and determinations (§7.307)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """How special measures react to intake and the kernel, and what they add to intake's
    pages (core.signals), in ``app``."""
    from core import signals
    from core.ownership import registry
    from special_measures import notices, screening, search, services, views

    # Parties named in filings are screened against the measures in force (§7.307).
    signals.connect(
        app, signals.reseller_certification_received, screening.on_reseller_certification
    )
    signals.connect(app, signals.ai_report_received, screening.on_ai_report)
    signals.connect(app, signals.search_asked, search.answer)
    signals.connect(app, signals.position_recorded, services.on_position_recorded)
    # Who is told of what arrives for a provider's open cases (docs/architecture.md §12).
    signals.connect(app, signals.case_owners_asked, notices.case_owners)
    registry.register(notices.owned_kind())
    signals.connect(
        app, signals.position_lock_asked, services.positions_final, subject_type=services.CASE
    )
    signals.connect(app, signals.risk_signals_asked, screening.risk_signals)
    signals.connect(
        app, signals.panels_asked, views.provider_screening_panel, subject_type="provider"
    )
    signals.connect(app, signals.panels_asked, views.filing_screening_panel, subject_type="filing")
    signals.connect(app, signals.subject_link_asked, views.case_link, subject_type=services.CASE)
    signals.connect(
        app, signals.subject_link_asked, views.action_link, subject_type=services.ACTION
    )
