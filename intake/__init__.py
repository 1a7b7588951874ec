"""Intake: providers, foreign resellers, filings, receipts, timeliness and the filing API."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """What intake answers for the kernel and the other modules (core.signals), in ``app``."""
    from core import signals
    from intake import search, views
    from intake.ai import services as ai_services
    from intake.ai import views as ai_views
    from intake.change_notices import services as change_notices
    from intake.change_notices import views as change_notice_views
    from intake.correspondence import requests as sent_requests
    from intake.correspondence import services as sent_services
    from intake.reviews import services as reviews
    from intake.reviews import views as review_views

    signals.connect(app, signals.subject_link_asked, views.provider_link, subject_type="provider")
    signals.connect(app, signals.search_asked, search.answer)
    signals.connect(app, signals.panels_asked, ai_views.report_panel, subject_type="filing")
    signals.connect(app, signals.panels_asked, review_views.review_panel, subject_type="filing")
    signals.connect(app, signals.risk_signals_asked, ai_services.risk_signals)
    signals.connect(app, signals.risk_signals_asked, reviews.risk_signals)
    signals.connect(
        app, signals.subject_link_asked, review_views.review_link, subject_type=reviews.SUBJECT
    )
    # A certification found deficient (§7.305(b)) is resubmitted by a later one.
    signals.connect(app, signals.filing_received, reviews.on_filing_received)
    signals.connect(app, signals.reseller_certification_received, reviews.on_filing_received)
    signals.connect(app, signals.risk_signals_asked, change_notices.risk_signals)
    signals.connect(
        app, signals.panels_asked, change_notice_views.notices_panel, subject_type="provider"
    )
    signals.connect(
        app, signals.subject_link_asked, views.request_link, subject_type=sent_requests.SUBJECT
    )
    signals.connect(app, signals.correspondence_sent, sent_requests.on_correspondence_sent)
    signals.connect(app, signals.correspondence_sent, reviews.on_correspondence_sent)
    # The mail kernel's delivery job says how each email to a provider went (core.notifications).
    signals.connect(app, signals.mail_sent, sent_services.on_mail_sent)
    signals.connect(app, signals.mail_undeliverable, sent_services.on_mail_undeliverable)
