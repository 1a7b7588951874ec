"""Sections that one module adds to another module's pages (screening results on a provider's
page), registered at start-up so that the page's module never imports the other."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

Panel = Callable[[str], Markup | None]
_panels: dict[str, list[Panel]] = {}


def register_panel(subject_type: str, panel: Panel) -> None:
    panels = _panels.setdefault(subject_type, [])
    if panel not in panels:
        panels.append(panel)


def panels_for(subject_type: str, subject_id: object) -> list[Markup]:
    rendered = (panel(str(subject_id)) for panel in _panels.get(subject_type, ()))
    return [html for html in rendered if html]
