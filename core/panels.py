"""Sections that one module adds to another module's pages (screening results on a provider's
page), answered through ``core.signals.panels_asked`` so that the page's module never imports
the other."""

from __future__ import annotations

from markupsafe import Markup

from core import signals


def panels_for(subject_type: str, subject_id: object) -> list[Markup]:
    return signals.answers(
        signals.panels_asked, subject_type=subject_type, subject_id=str(subject_id)
    )
