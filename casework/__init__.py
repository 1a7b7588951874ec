"""Casework: risk scoring (§7.305(d)), compliance assessments, reseller oversight, penalties."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """What casework adds to providers' pages and the kernel (core.signals), in ``app``."""
    from casework import notices, search, services, views
    from casework.oversight import services as oversight
    from casework.oversight import views as oversight_views
    from casework.penalties import correspondence
    from casework.penalties import services as penalties
    from casework.penalties import views as penalty_views
    from casework.risk import kept
    from core import signals
    from core.ownership import registry

    signals.connect(app, signals.panels_asked, views.provider_risk_panel, subject_type="provider")
    signals.connect(app, signals.search_asked, search.answer)
    signals.connect(app, signals.risk_signals_asked, services.open_findings_signals)
    signals.connect(app, signals.risk_signals_asked, oversight.open_oversight_signals)
    # Kept scores follow the facts they read, refreshed once before the commit (§7.305(d)).
    signals.connect(app, signals.provider_facts_changed, kept.facts_changed)
    signals.connect(app, signals.transaction_committing, kept.before_commit)
    # Who is told of what arrives for a provider's open cases (docs/architecture.md §12).
    signals.connect(app, signals.case_owners_asked, notices.case_owners)
    for kind in notices.owned_kinds():
        registry.register(kind)
    for subject_type, link in (
        (services.ASSESSMENT, views.assessment_link),
        (penalties.PENALTY, penalty_views.penalty_link),
        (oversight.OVERSIGHT, oversight_views.oversight_link),
    ):
        signals.connect(app, signals.subject_link_asked, link, subject_type=subject_type)
    signals.connect(app, signals.correspondence_sent, correspondence.on_correspondence_sent)
