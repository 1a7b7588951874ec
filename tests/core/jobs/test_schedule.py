"""When a daily run is due and which office day it is for, read in the office's time zone
through the changes of daylight saving time, and the times an office may move (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from core.config import ConfigurationError
from core.jobs import schedule
from core.jobs.schedule import DailyRun

SNAPSHOT = DailyRun("risk_snapshot", time(6, 0))


def _utc(*parts: int) -> datetime:
    """An instant as Huey's scheduler hands it over: UTC, without its zone."""
    return datetime(*parts)


@pytest.mark.parametrize(
    ("instant", "due"),
    [
        # Daylight time ends at 02:00 on 1 November 2026: 06:00 in Washington is 10:00 UTC the
        # day before and 11:00 UTC that day.
        (_utc(2026, 10, 31, 10, 0), True),
        (_utc(2026, 10, 31, 11, 0), False),
        (_utc(2026, 11, 1, 10, 0), False),
        (_utc(2026, 11, 1, 11, 0), True),
        # It begins at 02:00 on 8 March 2026: 06:00 is 11:00 UTC the day before, 10:00 UTC then.
        (_utc(2026, 3, 7, 11, 0), True),
        (_utc(2026, 3, 7, 10, 0), False),
        (_utc(2026, 3, 8, 10, 0), True),
        (_utc(2026, 3, 8, 11, 0), False),
        # The same instant with its zone, and a second into the minute, are the same minute.
        (datetime(2026, 11, 1, 11, 0, tzinfo=UTC), True),
        (_utc(2026, 11, 1, 11, 0, 30), True),
        (_utc(2026, 11, 1, 11, 1), False),
    ],
)
def test_a_daily_run_is_due_at_its_hour_of_office_time_on_either_side_of_a_clock_change(
    instant, due
):
    assert SNAPSHOT.is_due()(instant) is due


def test_a_run_is_for_the_office_s_day_not_the_utc_one():
    # 03:00 UTC on 2 December is 22:00 on 1 December in Washington.
    assert SNAPSHOT.run_key(_utc(2026, 12, 2, 3, 0)) == "risk_snapshot@2026-12-01"
    assert SNAPSHOT.run_key(_utc(2026, 12, 2, 5, 0)) == "risk_snapshot@2026-12-02"


def test_an_hour_the_office_lives_twice_still_makes_one_run():
    """01:30 comes twice on 1 November 2026 (EDT, then EST): both are due, and both ask for the
    same day's run, which is stored once."""
    night = DailyRun("deadline_sweep", time(1, 30))
    first, second = _utc(2026, 11, 1, 5, 30), _utc(2026, 11, 1, 6, 30)
    assert night.is_due()(first) and night.is_due()(second)
    assert night.run_key(first) == night.run_key(second) == "deadline_sweep@2026-11-01"


def test_the_modules_name_their_daily_runs_at_their_office_times():
    assert [(run.kind, run.at) for run in schedule.daily_runs()] == [
        ("special_measure_lapse", time(0, 5)),
        ("risk_refresh", time(0, 30)),
        ("audit_verification", time(5, 30)),
        ("risk_snapshot", time(6, 0)),
        ("penalty_cap_reminder", time(6, 30)),
        ("deadline_sweep", time(7, 0)),
        ("consultation_reminders", time(7, 10)),
    ]


def test_an_office_moves_a_daily_run_with_the_setting():
    moved = schedule.moved_times(" risk_snapshot = 6:45, deadline_sweep=23:59 ")
    assert moved == {"risk_snapshot": time(6, 45), "deadline_sweep": time(23, 59)}
    runs = {run.kind: run.at for run in schedule.daily_runs(moved)}
    assert runs["risk_snapshot"] == time(6, 45)
    assert runs["audit_verification"] == time(5, 30)
    assert schedule.moved_times("") == {}


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("risk_snapshot=6", "'risk_snapshot=6' is not kind=HH:MM"),
        ("risk_snapshot=24:00", "is not kind=HH:MM"),
        ("risk_snapshot 06:00", "is not kind=HH:MM"),
    ],
)
def test_a_time_that_is_not_one_is_refused_at_start_up(setting, message):
    with pytest.raises(ConfigurationError, match=message):
        schedule.moved_times(setting)


def test_a_kind_that_is_no_daily_run_is_refused_at_start_up():
    with pytest.raises(ConfigurationError, match="names audit_verify, which is no daily run"):
        schedule.daily_runs({"audit_verify": time(5, 0)})


QUARTERLY = schedule.RecurringRun("notification_digest", 15)


@pytest.mark.parametrize(
    ("instant", "due", "key"),
    [
        # 12:30 UTC on 1 December is 07:30 in Washington (EST).
        (_utc(2026, 12, 1, 12, 30), True, "notification_digest@2026-12-01T07:30"),
        (_utc(2026, 12, 1, 12, 44, 59), False, "notification_digest@2026-12-01T07:30"),
        (_utc(2026, 12, 1, 12, 45), True, "notification_digest@2026-12-01T07:45"),
        # 04:00 UTC on 2 December is still 1 December in Washington.
        (_utc(2026, 12, 2, 4, 0), True, "notification_digest@2026-12-01T23:00"),
        # In daylight time (EDT) the same office minute is an hour earlier in UTC.
        (_utc(2026, 7, 1, 11, 30), True, "notification_digest@2026-07-01T07:30"),
    ],
)
def test_a_recurring_run_is_due_every_few_minutes_of_office_time_one_run_a_slot(instant, due, key):
    assert QUARTERLY.is_due()(instant) is due
    assert QUARTERLY.run_key(instant) == key


def test_an_hour_the_office_lives_twice_has_its_slots_once():
    first, second = _utc(2026, 11, 1, 5, 30), _utc(2026, 11, 1, 6, 30)  # 01:30 EDT, then EST
    assert QUARTERLY.run_key(first) == QUARTERLY.run_key(second)


@pytest.mark.parametrize("minutes", [0, 7, 45, 90])
def test_a_recurring_run_divides_the_hour(minutes):
    with pytest.raises(ValueError, match="divide the hour"):
        schedule.RecurringRun("example", minutes)
