"""The lapse of measures not extended (§7.307(a)(5)), a daily run: the day after its last day
in effect, an issued measure with no extension published by then is recorded as lapsed, through
the workflow kernel, and its expiry clock leaves the deadline board."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from core.db import db
from core.deadlines import services as deadlines
from core.jobs import schedule
from core.wording import counted
from core.workflow.services import change_state
from special_measures import rules, services
from special_measures.models import SpecialMeasureCase
from special_measures.rules import CaseState

LAPSE_JOB = "special_measure_lapse"


def _lapse(case: SpecialMeasureCase) -> None:
    assert case.last_day_on is not None
    change_state(
        case, CaseState.LAPSED, rules.ALLOWED, subject_type=services.CASE, actor=None,
        last_day_on=case.last_day_on,
    )  # fmt: skip
    if (clock := services.expiry_deadline(case)) is not None:
        # The clock ran its whole length: the measure was in effect through its last day.
        deadlines.meet_deadline(
            clock, met_on=case.last_day_on, actor=None,
            note="lapsed: no extension was published by the last day in effect (§7.307(a)(5))",
        )  # fmt: skip


def lapse_unextended(today: date) -> str:
    """Record the lapse of every issued measure past its last day in effect and not extended,
    and say which measures past it wait for an extension or revocation to be recorded."""
    past_last_day = (
        select(SpecialMeasureCase)
        .where(
            SpecialMeasureCase.state == CaseState.ISSUED,
            SpecialMeasureCase.last_day_on < today,
        )
        .order_by(SpecialMeasureCase.last_day_on, SpecialMeasureCase.id)
    )
    lapsed, waiting = [], []
    for case in db.session.execute(past_last_day).scalars():
        pending = any(services.action_pending(action) for action in case.actions)
        if rules.lapses(
            today, state=case.state_enum, last_day=case.last_day_on, revoked_on=case.revoked_on,
            action_pending=pending,
        ):  # fmt: skip
            _lapse(case)
            lapsed.append(case.reference)
        elif pending:
            waiting.append(case.reference)
    db.session.flush()
    outcome = (
        f"{counted(len(lapsed), 'measure')} lapsed on {today.isoformat()}, past the last day "
        f"in effect with no extension (§7.307(a)(5)): {', '.join(lapsed)}."
        if lapsed
        else f"No measure lapsed on {today.isoformat()} (§7.307(a)(5))."
    )
    if waiting:
        outcome += (
            f" Past the last day but waiting for an extension or revocation to be recorded: "
            f"{', '.join(waiting)}."
        )
    return outcome


DAILY_LAPSE = schedule.daily(
    LAPSE_JOB,
    at=time(0, 5),
    label="Daily lapse of measures not extended (§7.307(a)(5))",
    run=lapse_unextended,
)
