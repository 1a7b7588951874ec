"""The daily check of the audit trail: what `flask audit verify` does, run by the scheduler as a
job, and what the administrators' dashboard says of the latest one (docs/architecture.md §8)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from core import signals
from core.audit import services as audit
from core.db import db
from core.jobs import schedule
from core.jobs.models import Job
from core.jobs.rules import FINISHED, JobState
from core.jobs.services import JobRefused

AUDIT_CHECK_JOB = "audit_verification"


def check_trail(today: date) -> str:
    """Verify the whole chain against its checkpoints. A broken chain fails the job at once
    (``JobRefused``): checking again finds the same break, and the failure, with its reason, is
    what the dashboard shows until a later check verifies the trail."""
    try:
        verification = audit.verified_trail()
    except audit.TrailBroken as broken:
        raise JobRefused(str(broken)) from None
    agreed = audit.checkpoints_sentence(verification) or audit.no_checkpoint_sentence()
    return f"{audit.verified_sentence(verification)} {agreed}"


def _check_failed(job: Job, reason: str) -> None:
    signals.send(signals.audit_check_failed, job=job, reason=reason)


DAILY_CHECK = schedule.daily(
    AUDIT_CHECK_JOB,
    at=time(5, 30),
    label="Daily check of the audit trail",
    run=check_trail,
    on_failure=_check_failed,
)


def failed_check() -> Job | None:
    """The latest check to finish, when it failed; None once a later one verified the trail
    (or before any has run)."""
    latest = db.session.execute(
        select(Job)
        .where(Job.kind == AUDIT_CHECK_JOB, Job.state.in_(FINISHED))
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return latest if latest is not None and latest.state is JobState.FAILED else None
