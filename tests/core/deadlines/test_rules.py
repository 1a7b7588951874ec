"""Urgency and the words for days left (no database)."""

from datetime import date

import pytest

from core.deadlines.rules import Urgency, days_left_phrase, urgency

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
