"""Intake: providers, foreign resellers, filings, receipts, timeliness and the filing API."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """What intake answers for the kernel and the other modules (core.signals), in ``app``."""
    from core import signals
    from intake import views
    from intake.ai import services as ai_services
    from intake.ai import views as ai_views

    signals.connect(app, signals.subject_link_asked, views.provider_link, subject_type="provider")
    signals.connect(app, signals.panels_asked, ai_views.report_panel, subject_type="filing")
    signals.connect(app, signals.risk_signals_asked, ai_services.risk_signals)
