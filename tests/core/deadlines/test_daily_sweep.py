"""The clocks' daily sweep (core.deadlines), run through the job queue: the open deadlines due
within a week and those overdue, counted in the job's outcome and announced for notifications."""

from __future__ import annotations

from datetime import timedelta

from core import signals
from core.clocks import office_today
from core.db import db
from core.deadlines import services
from core.jobs.rules import JobState
from tests.core.deadlines.test_services import _open
from tests.factories import run_daily

TODAY = office_today()
# cip.copy_on_request runs for 10 days (§7.305(a)): a start 10 days ago is due today.
TEN_DAYS = timedelta(days=10)


def test_the_sweep_counts_what_falls_due_within_a_week_and_what_is_overdue(app):
    def due(days_from_today: int):
        return _open("cip.copy_on_request", TODAY - TEN_DAYS + timedelta(days=days_from_today))

    overdue = [due(-5), due(-1)]
    soon = [due(7), due(0), due(3)]
    due(8)  # a week and a day ahead: not yet
    met = due(-3)
    services.meet_deadline(met, met_on=TODAY - timedelta(days=4), actor=None)
    db.session.commit()
    announced = []

    def notifications(_app, *, today, due_soon, overdue):
        announced.append((today, [d.id for d in due_soon], [d.id for d in overdue]))

    with signals.deadlines_due_soon.connected_to(notifications, sender=app):
        job = run_daily(services.DAILY_SWEEP)

    assert job.state is JobState.SUCCEEDED
    assert job.outcome == (
        f"On {TODAY.isoformat()}, 3 open deadlines fall due within 7 days (by "
        f"{(TODAY + timedelta(days=7)).isoformat()}) and 2 are overdue."
    )
    soonest_first = sorted(soon, key=lambda deadline: deadline.due_on)
    assert announced == [
        (TODAY, [d.id for d in soonest_first], [d.id for d in overdue]),
    ]
