"""Which agencies must be consulted, what a position can be, and when a decision may go on.
Pure."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date


class Position(enum.StrEnum):
    CONCUR = "concur"
    CONCUR_WITH_CONDITIONS = "concur with conditions"
    DO_NOT_CONCUR = "do not concur"
    NO_RESPONSE = "no response"


class Purpose(enum.StrEnum):
    EXEMPTION = "exemption"
    SPECIAL_MEASURE = "special_measure"


# §7.306(e)(2): the Secretary of Defense, the Attorney General, the Secretary of Homeland
# Security and the Director of National Intelligence, before an exemption finding.
# §7.307(c): those four and the Secretaries of State and the Treasury, before a determination.
REQUIRED_AGENCIES: dict[Purpose, tuple[str, ...]] = {
    Purpose.EXEMPTION: ("DoD", "DOJ", "DHS", "DNI"),
    Purpose.SPECIAL_MEASURE: ("State", "Treasury", "DoD", "DOJ", "DHS", "DNI"),
}
CITATIONS = {Purpose.EXEMPTION: "§7.306(e)(2)", Purpose.SPECIAL_MEASURE: "§7.307(c)"}


def missing_positions(
    purpose: Purpose, recorded: Iterable[tuple[str, Position | None]]
) -> list[str]:
    """Required agencies with no recorded position yet; a decision waits until this is empty.
    "No response" is a recorded position: the office noted that the agency did not answer."""
    answered = {agency for agency, position in recorded if position is not None}
    return [agency for agency in REQUIRED_AGENCIES[purpose] if agency not in answered]


def respond_by_problem(requested_on: date, respond_by: date) -> str | None:
    if respond_by < requested_on:
        return "The response-by date cannot be before the request."
    return None


# The agencies' liaisons are reminded this many days before the response-by date the analyst
# set, which leaves a working week's end to clear a position that is nearly ready.
DUE_SOON_DAYS = 3


class Reminder(enum.StrEnum):
    DUE_SOON = "due soon"
    OVERDUE = "overdue"


def reminder_due(respond_by: date, today: date) -> Reminder | None:
    """Which reminder an unanswered consultation calls for on ``today``, if any."""
    if today > respond_by:
        return Reminder.OVERDUE
    if (respond_by - today).days <= DUE_SOON_DAYS:
        return Reminder.DUE_SOON
    return None
