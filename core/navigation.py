"""The side navigation: sections per module, showing only what the signed-in role may open."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for

from core import access
from core.auth.rules import Role

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
    # Its address, once built for a role's navigation (``navigation_of_role``).
    url: str = ""


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS = (
    NavSection(
        "Overview",
        (
            NavItem("Dashboard", "dashboard.index"),
            NavItem("Notifications", "notifications.inbox"),
            NavItem("My account", "auth.account"),
            NavItem("Deadline board", "deadlines.board"),
            NavItem("Review queue", "reviews.queue"),
            NavItem("Consultations", "consultations.index"),
            NavItem("Jobs and daily runs", "jobs.job_list"),
        ),
    ),
    NavSection(
        "Intake",
        (
            NavItem("Providers", "intake.providers"),
            NavItem("Filings received", "intake.filings"),
            NavItem("Where else does it appear?", "intake_ai.search"),
            NavItem("Is it a covered transaction?", "intake_ai.coverage"),
            NavItem("Accelerator catalogue", "intake_ai.accelerators"),
        ),
    ),
    NavSection(
        "Casework",
        (
            NavItem("Clocks and deadlines", "casework.index"),
            NavItem("Risk queue", "casework.risk_queue"),
            NavItem("Assessments", "casework.assessments"),
            NavItem("Penalties", "casework.penalties"),
            NavItem("Reseller oversight", "casework.oversight_list"),
        ),
    ),
    NavSection(
        "Exemptions",
        (
            NavItem("Clocks and deadlines", "exemptions.index"),
            NavItem("Exemption requests", "exemptions.cases"),
        ),
    ),
    NavSection(
        "Special measures",
        (
            NavItem("Clocks and deadlines", "special_measures.index"),
            NavItem("Cases", "special_measures.cases"),
            NavItem("Measures in force", "special_measures.in_force"),
            NavItem("Screening hits to decide", "special_measures.hit_queue"),
        ),
    ),
    NavSection(
        "Violation reports",
        (NavItem("Triage queue", "violation_reports.queue"),),
    ),
    NavSection(
        "Administration",
        (
            NavItem("Audit trail", "audit.events"),
            NavItem("Rule parameters", "parameters.index"),
            NavItem("Office settings", "office.settings"),
            NavItem("Users", "users.index"),
            NavItem("Teams", "ownership.teams"),
            NavItem("Provider API tokens", "intake.api_tokens"),
            NavItem("Outbox", "outbox.outbox"),
            NavItem("Message templates", "outbox.message_templates"),
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


def navigation_of_role(role: Role | None) -> list[NavSection]:
    """The sections someone of ``role`` may open: the same for everyone of the role, so worked
    out once per role for the life of the application rather than on every page."""
    known = current_app.extensions.setdefault("navigation_by_role", {})
    if role not in known:
        known[role] = [
            NavSection(
                section.label,
                tuple(
                    dataclasses.replace(item, url=url_for(item.endpoint)) for item in section.items
                ),
            )
            for section in navigation_for(functools.partial(access.role_may, role))
        ]
    return known[role]
