"""What a job is and how it moves, without a queue or a database: its states, when a job that
stopped answering is taken up again, and how often one is tried (docs/architecture.md §11).
Pure."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from core.workflow import rules as workflow


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


JOB_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED}),
    # A worker that died mid-job leaves it running; another takes it up again from the start.
    JobState.RUNNING: frozenset(
        {JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED, JobState.QUEUED}
    ),
    JobState.SUCCEEDED: frozenset(),
    # An analyst's retry.
    JobState.FAILED: frozenset({JobState.QUEUED}),
}
FINISHED = frozenset({JobState.SUCCEEDED, JobState.FAILED})

# A running job's worker says it is alive this often; one silent for a lease is taken to have
# died with its process (a kill, a crash, a machine lost) and the job is run again.
HEARTBEAT_EVERY = timedelta(seconds=5)
DEFAULT_LEASE = timedelta(seconds=30)
# A queued job whose message the queue has held this long without a worker taking it is sent
# again (a message lost between the worker taking it and starting it); running it twice is
# refused by the claim, so a second message costs nothing.
RESEND_AFTER = timedelta(minutes=10)
DEFAULT_ATTEMPTS = 3


def check_step(current: JobState, wanted: JobState) -> None:
    workflow.check_transition(JOB_TRANSITIONS, current, wanted, record="job")


def may_take(
    state: JobState, heartbeat_at: datetime | None, now: datetime, lease: timedelta
) -> bool:
    """Whether a worker may start the job: it waits in the queue, or its last worker has been
    silent for a whole lease."""
    if state is JobState.QUEUED:
        return True
    if state is JobState.RUNNING:
        return heartbeat_at is None or now - heartbeat_at > lease
    return False


def needs_sending(
    state: JobState,
    *,
    heartbeat_at: datetime | None,
    sent_for: datetime | None,
    now: datetime,
    lease: timedelta,
) -> bool:
    """Whether the sweep sends the job to the queue again: a queued job that was never sent (the
    queue was down when its record was stored) or sent long ago, and a running job whose worker
    died. ``sent_for`` is when the last message was due to run (later than sending for a retry
    that waits)."""
    if state is JobState.QUEUED:
        return sent_for is None or now - sent_for > RESEND_AFTER
    if state is JobState.RUNNING:
        return may_take(state, heartbeat_at, now, lease)
    return False


def after_error(attempts: int, max_attempts: int) -> JobState:
    """A job that raised is queued again until it has had its attempts."""
    return JobState.QUEUED if attempts < max_attempts else JobState.FAILED


def retry_delay(attempts: int) -> timedelta:
    """Ten seconds after the first failure, then four times longer each time: a database that
    restarts or a full disk has time to come back."""
    return timedelta(seconds=10 * 4 ** max(attempts - 1, 0))


def worn_out(attempts: int, max_attempts: int) -> bool:
    """A job started more times than it may be: each start but the last ended with its worker
    (a file that kills the process every time must not do so for ever)."""
    return attempts > max_attempts


def progress_text(checked: int | None, stored: int | None, total: int | None) -> str | None:
    """ "12,000 of 50,000 rows checked, 0 stored" — what a job's page says of its progress."""
    if checked is None and stored is None:
        return None
    parts = []
    if checked is not None:
        parts.append(
            f"{checked:,} of {total:,} rows checked" if total else f"{checked:,} rows checked"
        )
    if stored is not None:
        parts.append(f"{stored:,} stored")
    return ", ".join(parts)
