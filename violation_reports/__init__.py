"""Reports of suspected violations from anyone (§7.310): the public page, the triage queue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """How violation reports answer the kernel (core.signals), in ``app``."""
    from core import signals
    from core.ownership import registry
    from violation_reports import notices, search

    signals.connect(app, signals.search_asked, search.answer)
    registry.register(notices.owned_kind())
    signals.connect(
        app,
        signals.subject_link_asked,
        notices.report_link,
        subject_type=notices.SUBJECT,
    )
