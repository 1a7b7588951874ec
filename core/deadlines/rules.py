"""How urgent a deadline is, and in what order the board shows them."""

from __future__ import annotations

import enum
from datetime import date

DUE_SOON_DAYS = 14


class Urgency(enum.Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    LATER = "later"

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


def urgency(due_on: date, today: date) -> Urgency:
    """Overdue once the due date has passed (on the due date itself it is still on time)."""
    if due_on < today:
        return Urgency.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.LATER


def days_left_phrase(due_on: date, today: date) -> str:
    delta = (due_on - today).days
    if delta == 0:
        return "due today"
    if delta > 0:
        return f"{delta} day{'s' if delta != 1 else ''} left"
    return f"{-delta} day{'s' if delta != -1 else ''} overdue"
