"""Urgency and the words for days left (no database)."""

from datetime import date

import pytest

from core.deadlines.rules import Urgency, days_left_phrase, in_notice, sweep_outcome, urgency

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2026, 11, 21), Urgency.OVERDUE),
        (date(2026, 11, 22), Urgency.DUE_SOON),  # on time on the due date itself
        (date(2026, 12, 6), Urgency.DUE_SOON),  # 14 days ahead
        (date(2026, 12, 7), Urgency.LATER),
    ],
)
def test_urgency_follows_the_due_date(due_on, expected):
    assert urgency(due_on, TODAY) is expected


@pytest.mark.parametrize(
    ("due_on", "phrase"),
    [
        (date(2026, 11, 22), "due today"),
        (date(2026, 11, 23), "1 day left"),
        (date(2026, 11, 30), "8 days left"),
        (date(2026, 11, 21), "1 day overdue"),
        (date(2026, 11, 2), "20 days overdue"),
    ],
)
def test_days_left_reads_naturally(due_on, phrase):
    assert days_left_phrase(due_on, TODAY) == phrase


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2026, 11, 21), Urgency.OVERDUE),
        (date(2026, 11, 22), Urgency.DUE_SOON),  # due today
        (date(2026, 11, 29), Urgency.DUE_SOON),  # a week ahead
        (date(2026, 11, 30), None),  # the board's "due soon", not yet the sweep's
    ],
)
def test_the_daily_sweep_looks_a_week_ahead(due_on, expected):
    assert in_notice(due_on, TODAY) is expected


@pytest.mark.parametrize(
    ("due_soon", "overdue", "sentence"),
    [
        (0, 0, "no open deadline falls due within 7 days (by 2026-11-29) and none is overdue."),
        (1, 1, "1 open deadline falls due within 7 days (by 2026-11-29) and 1 is overdue."),
        (1_204, 12, "1,204 open deadlines fall due within 7 days (by 2026-11-29) and 12 are"),
    ],
)
def test_the_sweep_says_what_it_found_in_a_sentence(due_soon, overdue, sentence):
    outcome = sweep_outcome(TODAY, due_soon=due_soon, overdue=overdue)
    assert outcome.startswith(f"On 2026-11-22, {sentence}")
