"""How urgent a deadline is, and in what order the board shows them."""

from __future__ import annotations

import enum
from datetime import date, timedelta

from core.wording import counted

DUE_SOON_DAYS = 14
# The daily sweep looks a week ahead, for what someone must act on now (the board's "due soon"
# looks further, for planning).
NOTICE_DAYS = 7


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


def due_soon_ends(today: date) -> date:
    """The last due date the board counts as due soon (``urgency``): urgency rises as the due
    date falls, so ordering by due date is ordering by urgency, then due date."""
    return today + timedelta(days=DUE_SOON_DAYS)


def days_left_phrase(due_on: date, today: date) -> str:
    delta = (due_on - today).days
    if delta == 0:
        return "due today"
    if delta > 0:
        return f"{delta} day{'s' if delta != 1 else ''} left"
    return f"{-delta} day{'s' if delta != -1 else ''} overdue"


def notice_ends(today: date) -> date:
    """The last due date the daily sweep counts as falling due soon."""
    return today + timedelta(days=NOTICE_DAYS)


def in_notice(due_on: date, today: date) -> Urgency | None:
    """What the daily sweep makes of an open deadline: overdue once its due date has passed, due
    soon from today to ``NOTICE_DAYS`` ahead, else nothing yet."""
    if due_on < today:
        return Urgency.OVERDUE
    return Urgency.DUE_SOON if due_on <= notice_ends(today) else None


def sweep_outcome(today: date, *, due_soon: int, overdue: int) -> str:
    """What the daily sweep found, in a sentence for its job's record."""
    if due_soon:
        falling = f"{counted(due_soon, 'open deadline')} {'falls' if due_soon == 1 else 'fall'}"
    else:
        falling = "no open deadline falls"
    late = {0: "none is", 1: "1 is"}.get(overdue, f"{overdue:,} are")
    return (
        f"On {today.isoformat()}, {falling} due within {NOTICE_DAYS} days (by "
        f"{notice_ends(today).isoformat()}) and {late} overdue."
    )
