"""The job rules, as tables of cases worked out by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import IllegalTransition
from core.jobs import rules
from core.jobs.rules import JobState

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("state", "heartbeat_seconds_ago", "may_take"),
    [
        (JobState.QUEUED, None, True),
        (JobState.RUNNING, 5, False),  # its worker is alive
        (JobState.RUNNING, 31, True),  # silent for a whole lease: it died
        (JobState.RUNNING, None, True),  # it never said it was alive
        (JobState.SUCCEEDED, None, False),
        (JobState.FAILED, None, False),
    ],
)
def test_a_job_is_taken_when_it_waits_or_its_worker_died(state, heartbeat_seconds_ago, may_take):
    heartbeat = NOW - timedelta(seconds=heartbeat_seconds_ago) if heartbeat_seconds_ago else None
    assert rules.may_take(state, heartbeat, NOW, LEASE) is may_take


@pytest.mark.parametrize(
    ("state", "sent_minutes_ago", "heartbeat_seconds_ago", "resent"),
    [
        (JobState.QUEUED, None, None, True),  # stored, never handed to the queue
        (JobState.QUEUED, 1, None, False),  # waiting its turn in the queue
        (JobState.QUEUED, 11, None, True),  # the queue lost it
        (JobState.QUEUED, -5, None, False),  # a retry due in five minutes
        (JobState.RUNNING, 1, 2, False),
        (JobState.RUNNING, 1, 40, True),
        (JobState.FAILED, None, None, False),
        (JobState.SUCCEEDED, None, None, False),
    ],
)
def test_the_sweep_sends_what_the_queue_lost(
    state, sent_minutes_ago, heartbeat_seconds_ago, resent
):
    sent_for = NOW - timedelta(minutes=sent_minutes_ago) if sent_minutes_ago is not None else None
    heartbeat = NOW - timedelta(seconds=heartbeat_seconds_ago) if heartbeat_seconds_ago else None
    assert (
        rules.needs_sending(state, heartbeat_at=heartbeat, sent_for=sent_for, now=NOW, lease=LEASE)
        is resent
    )


def test_a_failing_job_is_tried_three_times_with_longer_pauses():
    assert [rules.after_error(n, 3) for n in (1, 2, 3)] == [
        JobState.QUEUED,
        JobState.QUEUED,
        JobState.FAILED,
    ]
    assert [rules.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 40, 160]
    assert not rules.worn_out(3, 3)
    assert rules.worn_out(4, 3)


def test_only_a_failed_job_is_retried_and_a_finished_one_never_moves():
    rules.check_step(JobState.FAILED, JobState.QUEUED)
    with pytest.raises(IllegalTransition):
        rules.check_step(JobState.SUCCEEDED, JobState.QUEUED)
    with pytest.raises(IllegalTransition):
        rules.check_step(JobState.QUEUED, JobState.SUCCEEDED)


@pytest.mark.parametrize(
    ("checked", "stored", "total", "said"),
    [
        (None, None, None, None),
        (12_000, None, 50_000, "12,000 of 50,000 rows checked"),
        (50_000, 50_000, 50_000, "50,000 of 50,000 rows checked, 50,000 stored"),
        (300, None, None, "300 rows checked"),
    ],
)
def test_progress_is_said_in_rows(checked, stored, total, said):
    assert rules.progress_text(checked, stored, total) == said
