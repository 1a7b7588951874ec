"""The side navigation: sections per module, showing only what the signed-in role may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MODULE_LABELS = {
    "intake": "Intake",
    "casework": "Casework",
    "exemptions": "Exemptions",
    "special_measures": "Special measures",
}


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS = (
    NavSection(
        "Overview",
        (
            NavItem("Dashboard", "dashboard.index"),
            NavItem("Deadline board", "deadlines.board"),
            NavItem("Review queue", "reviews.queue"),
            NavItem("Consultations", "consultations.index"),
        ),
    ),
    NavSection("Intake", (NavItem("Providers", "intake.providers"),)),
    NavSection("Casework", (NavItem("Casework", "casework.index"),)),
    NavSection(
        "Exemptions",
        (
            NavItem("Exemptions", "exemptions.index"),
            NavItem("Exemption requests", "exemptions.cases"),
        ),
    ),
    NavSection("Special measures", (NavItem("Special measures", "special_measures.index"),)),
    NavSection(
        "Administration",
        (
            NavItem("Audit trail", "audit.events"),
            NavItem("Rule parameters", "parameters.index"),
            NavItem("Users", "users.index"),
            NavItem("Provider API tokens", "intake.api_tokens"),
        ),
    ),
)


def navigation_for(may_open: Callable[[str], bool]) -> list[NavSection]:
    visible = []
    for section in SECTIONS:
        items = tuple(item for item in section.items if may_open(item.endpoint))
        if items:
            visible.append(NavSection(section.label, items))
    return visible
