"""A job's record: what to do, to which record, for whom, how far it got and how it ended. The
queue carries only the job's id; everything a worker needs is here, stored in the transaction
of the record it works on (docs/architecture.md §11)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import ENCRYPTED, JSONDocument, UTCDateTime, coded, db, utcnow
from core.jobs.rules import DEFAULT_ATTEMPTS, JobState


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    state: Mapped[JobState] = mapped_column(
        coded(JobState, constraint="state_known", length=12), default=JobState.QUEUED, index=True
    )
    # The record the job works on ("reseller_import", 12), when there is one.
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    arguments: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # A scheduled run's slot ("risk_snapshot@2026-12-01T06:00"): one job a slot, however many
    # schedulers run.
    run_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who asked when no person did: a provider's system by API token, or the scheduler.
    requested_by_label: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=DEFAULT_ATTEMPTS)
    # Changes at each start: a worker whose job was taken up again stores nothing.
    claim: Mapped[str | None] = mapped_column(String(32))
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_checked: Mapped[int | None] = mapped_column(Integer)
    rows_stored: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(Text)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    failure_reference: Mapped[str | None] = mapped_column(String(16))

    requested_by: Mapped[User | None] = relationship()
    job_input: Mapped[JobInput | None] = relationship(
        back_populates="job", cascade="all, delete-orphan"
    )


class JobInput(db.Model):
    """The bytes a job works from (an uploaded file), sealed with the field key because they
    carry identifiers; dropped once the job has stored what it made of them."""

    __tablename__ = "job_inputs"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    sealed_content: Mapped[bytes] = mapped_column(LargeBinary, info=ENCRYPTED)
    size_bytes: Mapped[int] = mapped_column(Integer)

    job: Mapped[Job] = relationship(back_populates="job_input")
