"""The daily reminder of the positions the agencies still owe (§7.306(e)(2), §7.307(c)): a run
of its own rather than a part of the deadline sweep, since a response-by date is set by the
analyst for each case and is not a clock of the rule (docs/architecture.md §4, §11)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from core.consultations import notices, rules, services
from core.consultations.models import Consultation
from core.db import db
from core.jobs import schedule
from core.wording import counted

REMINDER_RUN = "consultation_reminders"


def remind_agencies(today: date) -> str:
    """Tell the liaisons of each agency whose position is not in, while the decision it bears on
    is still to be made, that it is due soon or overdue; each reminder once."""
    waiting = db.session.execute(
        select(Consultation)
        .where(
            Consultation.position.is_(None),
            Consultation.respond_by <= today + timedelta(days=rules.DUE_SOON_DAYS),
        )
        .order_by(Consultation.respond_by, Consultation.id)
    ).scalars()
    still_open = [c for c in waiting if services.position_lock(c) is None]
    soon, late = notices.remind(still_open, today)
    horizon = today + timedelta(days=rules.DUE_SOON_DAYS)
    return (
        f"{counted(soon, 'position')} due by {horizon.isoformat()} and "
        f"{counted(late, 'position')} overdue on {today.isoformat()}: the agencies' liaisons "
        "are told once of each."
    )


DAILY_REMINDER = schedule.daily(
    REMINDER_RUN,
    at=time(7, 10),
    label="Daily reminder of the agencies' positions due soon or overdue",
    run=remind_agencies,
)
