"""The daily lapse of measures not extended (§7.307(a)(5)), run through the job queue: only an
issued measure past its last day with no extension moves to "lapsed", audited as every step of a
case is, and its expiry clock leaves the deadline board."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines import services as deadlines
from core.jobs.rules import JobState
from special_measures import actions as measure_actions
from special_measures import services
from special_measures.lapse import DAILY_LAPSE
from special_measures.rules import ActionKind, CaseState, MeasureStatus
from tests.factories import (
    extend_measure,
    log_in,
    make_measure,
    make_user,
    revoke_measure,
    run_daily,
)

TODAY = office_today()
# Issued 400 days ago: its 365 days in effect ended 36 days ago.
LONG_AGO = TODAY - timedelta(days=400)


def _transitions(case) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == "special_measure.transition",
                AuditEvent.subject_id == str(case.id),
            )
            .order_by(AuditEvent.seq)
        )
    )


def test_only_measures_past_their_last_day_and_not_extended_lapse(app, client):
    unextended = make_measure(LONG_AGO)
    extended = make_measure(LONG_AGO)
    extend_measure(
        extended, new_last_day=TODAY + timedelta(days=300),
        published_on=extended.last_day_on - timedelta(days=10),
    )  # fmt: skip
    revoked = make_measure(LONG_AGO)
    revoke_measure(revoked, effective_on=LONG_AGO + timedelta(days=100))
    recent = make_measure(TODAY - timedelta(days=30))
    last_day = unextended.last_day_on
    assert last_day == TODAY - timedelta(days=36)

    job = run_daily(DAILY_LAPSE)

    assert job.state is JobState.SUCCEEDED
    assert job.outcome == (
        f"1 measure lapsed on {TODAY.isoformat()}, past the last day in effect with no "
        f"extension (§7.307(a)(5)): {unextended.reference}."
    )
    states = {case.id: services.get_case(case.id).state_enum for case in (
        unextended, extended, revoked, recent)}  # fmt: skip
    assert states == {
        unextended.id: CaseState.LAPSED,
        extended.id: CaseState.ISSUED,
        revoked.id: CaseState.ISSUED,
        recent.id: CaseState.ISSUED,
    }
    lapse = _transitions(unextended)[-1]
    assert (lapse.actor_id, lapse.actor_label) == (None, "scheduler")
    assert lapse.remote_addr == "job worker"
    assert json.loads(lapse.before_json) == {"state": "issued"}
    assert json.loads(lapse.after_json) == {"state": "lapsed", "last_day_on": last_day.isoformat()}

    # The expiry clock ran its whole length and leaves the board; the extended one's stays.
    (clock,) = [
        deadline
        for deadline in deadlines.deadlines_for_subject(services.CASE, unextended.id)
        if deadline.clock_key == services.EXPIRY_CLOCK
    ]
    assert clock.met_on == last_day
    assert "lapsed: no extension was published" in clock.met_note
    assert services.expiry_deadline(extended) is not None

    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/special-measures/cases/{unextended.id}").text
    assert 'data-testid="case-state">lapsed<' in page
    assert "Draft an extension" not in page
    assert services.status_of(unextended, TODAY) is MeasureStatus.LAPSED


def test_a_measure_whose_extension_waits_to_be_recorded_lapses_only_once_it_is_returned(app):
    """A notice published by the last day may be recorded after it (§7.307(a)(5)): the run leaves
    the measure issued while its extension waits for the reviewer or its recording."""
    case = make_measure(LONG_AGO)
    drafted = measure_actions.draft_action(
        case, kind=ActionKind.EXTENSION, reasons="Incidents continue at the same rate.",
        new_last_day_on=TODAY + timedelta(days=300), effective_on=None, actor=case.drafted_by,
        today=case.last_day_on - timedelta(days=5),
    )  # fmt: skip
    db.session.commit()

    waited = run_daily(DAILY_LAPSE)

    assert waited.outcome == (
        f"No measure lapsed on {TODAY.isoformat()} (§7.307(a)(5)). Past the last day but waiting "
        f"for an extension or revocation to be recorded: {case.reference}."
    )
    assert services.get_case(case.id).state_enum is CaseState.ISSUED

    measure_actions.decide_action(
        drafted, approve=False, comments="Not supported.", actor=make_user(Role.REVIEWER)
    )
    waited.run_key = f"{DAILY_LAPSE.kind}@{(TODAY - timedelta(days=1)).isoformat()}"
    db.session.commit()

    lapsed = run_daily(DAILY_LAPSE)

    assert lapsed.outcome.startswith(f"1 measure lapsed on {TODAY.isoformat()}")
    assert services.get_case(case.id).state_enum is CaseState.LAPSED
