"""Use cases of jobs: store one with the record it works on, hand it to the queue once that is
committed, run it in a worker (one transaction; taken up again from the start if its worker
dies), retry it, and sweep up jobs the queue lost (docs/architecture.md §11)."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, delete, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import crypto, signals
from core.audit.services import FAILURE, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError
from core.jobs import queue, registry, rules
from core.jobs.models import Job, JobInput
from core.jobs.rules import JobState
from core.jobs.schedule import ScheduledRun

logger = logging.getLogger(__name__)
PENDING, COMMITTED = "jobs_pending", "jobs_committed"


class JobRefused(DomainError):
    """A job's work cannot be done, and trying again would not change that (its record is gone,
    its input unreadable): the job fails at once with this reason."""


# --- Storing a job and handing it over --------------------------------------------------------


def enqueue(
    kind: str,
    *,
    subject: tuple[str, int] | None = None,
    arguments: dict[str, Any] | None = None,
    content: bytes | None = None,
    actor: User | None = None,
    requested_by_label: str | None = None,
    run_key: str | None = None,
) -> Job:
    """Store a job in the caller's transaction; the queue is given it once that commits
    (``send_committed``), so a worker never looks for a job that was rolled back."""
    job_kind = registry.kind_named(kind)
    job = Job(
        kind=kind,
        state=JobState.QUEUED,
        subject_type=subject[0] if subject else None,
        subject_id=subject[1] if subject else None,
        arguments=arguments,
        run_key=run_key,
        requested_by_id=actor.id if actor else None,
        requested_by_label=requested_by_label,
        max_attempts=job_kind.max_attempts,
    )
    if content is not None:
        job.job_input = JobInput(
            sealed_content=crypto.encrypt_bytes(content), size_bytes=len(content)
        )
    db.session.add(job)
    db.session.flush()
    record_event(
        "job.queue",
        actor=actor,
        actor_label=requested_by_label,
        subject=("job", job.id),
        after={"kind": kind, "subject": list(subject) if subject else None},
    )
    db.session.info.setdefault(PENDING, []).append(job.id)
    return job


@event.listens_for(Session, "after_commit")
def _jobs_committed(session: Session) -> None:
    if session.info.get(PENDING):
        session.info.setdefault(COMMITTED, []).extend(session.info.pop(PENDING))


@event.listens_for(Session, "after_soft_rollback")
def _jobs_rolled_back(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)


def enqueue_daily(run: ScheduledRun) -> None:
    """Store and send today's run of a daily job (or this slot's of a recurring one), unless a
    scheduler already has."""
    try:
        enqueue(run.kind, run_key=run.run_key(utcnow()), requested_by_label="scheduler")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return
    send_committed()


def send_committed() -> None:
    """Hand the queue every job whose record this session has committed. A job the queue could
    not take stays queued, and the sweep sends it (``sweep``)."""
    waiting = db.session.info.pop(COMMITTED, [])
    for job_id in waiting:
        try:
            queue.send(job_id)
        except Exception:
            logger.exception("job %s could not be handed to the queue; the sweep sends it", job_id)


def get_job(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def latest_job_for(subject_type: str, subject_id: int) -> Job | None:
    return db.session.execute(
        select(Job)
        .where(Job.subject_type == subject_type, Job.subject_id == subject_id)
        .order_by(Job.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def jobs_query(*, state: JobState | None = None) -> Select[tuple[Job]]:
    """Jobs newest first, of one state if named."""
    query = select(Job).order_by(Job.id.desc())
    return query if state is None else query.where(Job.state == state)


# --- Live progress ----------------------------------------------------------------------------


def live_progress(job: Job) -> dict[str, int | None]:
    """Rows checked, stored and in all: as the worker last said while it runs, else as stored."""
    stored = {"checked": job.rows_checked, "stored": job.rows_stored, "total": job.rows_total}
    if job.state is not JobState.RUNNING:
        return stored
    return queue.peek(f"job:{job.id}:progress") or stored


def _heartbeat_at(job_id: int) -> datetime | None:
    beat = queue.peek(f"job:{job_id}:heartbeat")
    return datetime.fromtimestamp(beat, UTC) if beat else None


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("JOB_LEASE_SECONDS", 30))


def say_alive(job_id: int) -> None:
    """Say in the queue's store, outside the job's transaction (which holds its writes until the
    end), that the job's worker is alive: at its claim, then from the worker's main loop
    (core.jobs.cli) for as long as the job runs."""
    queue.put(f"job:{job_id}:heartbeat", utcnow().timestamp())


class _ProgressKept:
    """The job's progress as its work reports it, kept in the queue's store for its page."""

    def __init__(self, job_id: int):
        self.key = f"job:{job_id}:progress"
        self.seen: dict[str, int | None] = {"checked": None, "stored": None, "total": None}

    def __call__(
        self, *, checked: int | None = None, stored: int | None = None, total: int | None = None
    ) -> None:
        for name, value in (("checked", checked), ("stored", stored), ("total", total)):
            if value is not None:
                self.seen[name] = value
        queue.put(self.key, dict(self.seen))


# --- Running a job ----------------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


def _take(job_id: int) -> Job | None:
    """Start the job if it is free: queued, or running under a worker silent for a lease. The
    claim changes with each start, so of two workers that try at once only one succeeds."""
    job = db.session.get(Job, job_id)
    if job is None or not rules.may_take(job.state, _heartbeat_at(job_id), utcnow(), _lease()):
        db.session.rollback()
        return None
    earlier_claim = job.claim
    claim = secrets.token_hex(16)
    # Said before the claim is stored, so that a second worker reading the job between the two
    # finds it alive rather than taking it over too.
    say_alive(job_id)
    taken = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == job.state)
        .where(Job.claim.is_(None) if earlier_claim is None else Job.claim == earlier_claim)
        .values(
            state=JobState.RUNNING,
            claim=claim,
            attempts=Job.attempts + 1,
            worker=_worker_name(),
            started_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if taken != 1:
        return None
    db.session.refresh(job)
    return job


def run_job(job_id: int) -> None:
    """Run one job in one transaction: its work and its outcome commit together, or nothing but
    the failure does. What the job queued in turn is sent once it has committed."""
    job = _take(job_id)
    if job is None:
        return
    claim, kind = job.claim, registry.kind_named(job.kind)
    if rules.worn_out(job.attempts, job.max_attempts):
        _fail(job_id, claim, f"stopped {job.max_attempts} times without finishing "
              "(the worker ended while running it)", None)  # fmt: skip
        return
    progress = _ProgressKept(job_id)
    try:
        outcome = kind.run(job, registry.JobWork(content=lambda: _content(job), progress=progress))
        _finish(job, claim, outcome, progress)
    except JobRefused as refused:
        db.session.rollback()
        _fail(job_id, claim, str(refused), None)
    except Exception as error:
        db.session.rollback()
        reference = secrets.token_hex(4).upper()
        logger.exception("job %s (%s) failed, reference %s", job_id, kind.name, reference)
        _after_error(job_id, claim, f"{type(error).__name__}: {error}"[:500], reference)
    finally:
        queue.forget(f"job:{job_id}:progress")
        queue.forget(f"job:{job_id}:heartbeat")
    send_committed()


# Read from the database at a time: a driver holds a value it reads two or three times over
# (libpq's buffer, its result, Python's bytes), and keeps its buffer at the largest size read.
SEALED_PIECE_BYTES = 4 * 1024 * 1024


def _sealed_input(job_id: int) -> bytes | None:
    """The sealed bytes, read a piece at a time, and not kept by the session in a JobInput: a
    large input would otherwise stay in memory, sealed, beside what the job makes of it."""
    sealed, of_job = JobInput.sealed_content, JobInput.job_id == job_id
    size = db.session.scalar(select(func.length(sealed)).where(of_job))
    if size is None:
        return None
    return b"".join(
        db.session.scalar(select(func.substr(sealed, start, SEALED_PIECE_BYTES)).where(of_job))
        for start in range(1, size + 1, SEALED_PIECE_BYTES)
    )


def _content(job: Job) -> bytes:
    sealed = _sealed_input(job.id)
    if sealed is None:
        raise JobRefused("the job has no input file")
    return crypto.decrypt_bytes(sealed)


def _finish(job: Job, claim: str | None, outcome: str, progress: _ProgressKept) -> None:
    """Store the outcome with the work, if this worker still holds the job: the claim is checked
    by the statement that writes it, so a worker whose job was taken up again stores nothing."""
    finished = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.claim == claim, Job.state == JobState.RUNNING)
        .values(
            state=JobState.SUCCEEDED,
            outcome=outcome,
            finished_at=utcnow(),
            rows_checked=progress.seen["checked"],
            rows_stored=progress.seen["stored"],
            rows_total=progress.seen["total"],
            failure_reason=None,
            failure_reference=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if finished != 1:
        db.session.rollback()
        logger.warning("job %s was taken up by another worker; this run stores nothing", job.id)
        return
    db.session.execute(delete(JobInput).where(JobInput.job_id == job.id))
    record_event("job.succeed", actor=None, actor_label="job worker", subject=("job", job.id),
                 after={"kind": job.kind, "outcome": outcome})  # fmt: skip
    # What commits with a request or a command commits with a job's work too (core.transactions).
    signals.send(signals.transaction_committing)
    db.session.commit()


def _after_error(job_id: int, claim: str | None, reason: str, reference: str) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.claim != claim:
        return
    kind = registry.kind_named(job.kind)
    if kind.on_error is not None:
        kind.on_error(job, reason)
    if rules.after_error(job.attempts, job.max_attempts) is JobState.QUEUED:
        job.state = JobState.QUEUED
        job.failure_reason, job.failure_reference = reason, reference
        db.session.commit()
        queue.send(job_id, delay_seconds=rules.retry_delay(job.attempts).total_seconds())
        return
    _fail(job_id, claim, reason, reference)


def _fail(job_id: int, claim: str | None, reason: str, reference: str | None) -> None:
    """Mark the job and its record failed with the reason, in one transaction."""
    job = db.session.get(Job, job_id)
    if job is None or job.claim != claim:
        return
    kind = registry.kind_named(job.kind)
    job.state = JobState.FAILED
    job.failure_reason, job.failure_reference = reason, reference
    job.finished_at = utcnow()
    if kind.on_failure is not None:
        kind.on_failure(job, reason)
    signals.send(signals.job_failed, job=job)
    record_event("job.fail", actor=None, actor_label="job worker", subject=("job", job.id),
                 after={"kind": job.kind, "reason": reason, "reference": reference},
                 outcome=FAILURE)  # fmt: skip
    db.session.commit()


# --- An analyst's retry, and the sweep ------------------------------------------------------------


def retry(job: Job, *, actor: User) -> Job:
    """Queue a failed job again with its attempts renewed (its input is still kept)."""
    rules.check_step(job.state, JobState.QUEUED)
    before = {"state": job.state.value, "reason": job.failure_reason}
    job.state = JobState.QUEUED
    job.attempts = 0
    job.claim = None
    job.finished_at = None
    record_event("job.retry", actor=actor, subject=("job", job.id), before=before,
                 after={"state": JobState.QUEUED.value})  # fmt: skip
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(job.id)
    return job


def sweep() -> list[int]:
    """Send again every job the queue has lost: stored but never handed over, or running under a
    worker that died. Answers their ids."""
    now, lease = utcnow(), _lease()
    resent = []
    unfinished = select(Job.id, Job.state).where(Job.state.in_([JobState.QUEUED, JobState.RUNNING]))
    for job_id, state in db.session.execute(unfinished).all():
        sent = queue.peek(f"job:{job_id}:sent")
        sent_for = datetime.fromtimestamp(sent, UTC) if sent else None
        if rules.needs_sending(
            state, heartbeat_at=_heartbeat_at(job_id), sent_for=sent_for, now=now, lease=lease
        ):
            queue.send(job_id)
            resent.append(job_id)
    db.session.rollback()
    if resent:
        logger.warning("jobs sent to the queue again: %s", resent)
    return resent
