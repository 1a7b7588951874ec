"""A Deadline is one open (or met) clock of the catalogue for one subject."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from core.auth.models import User
from core.db import JSONDocument, UTCDateTime, db, utcnow


class Deadline(db.Model):
    __tablename__ = "deadlines"
    __table_args__ = (
        CheckConstraint("due_on >= started_on", name="due_not_before_start"),
        # A clock is met by a person, or by a filing that arrived by API (met_by_id empty).
        CheckConstraint("met_on IS NOT NULL OR met_by_id IS NULL", name="met_by_only_when_met"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_key: Mapped[str] = mapped_column(String(60), index=True)
    module: Mapped[str] = mapped_column(String(30), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    subject_label: Mapped[str] = mapped_column(String(300))
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    period_days: Mapped[int | None] = mapped_column(Integer)
    citation: Mapped[str] = mapped_column(String(40))
    computation: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Given to a person of someone's choosing (assign_deadline), it stays with them; otherwise
    # a case's deadline follows the case's owner (docs/architecture.md §16).
    assigned_by_hand: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    met_on: Mapped[date | None] = mapped_column(Date, index=True)
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    met_note: Mapped[str | None] = mapped_column(Text)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    met_by: Mapped[User | None] = relationship(foreign_keys=[met_by_id])

    @property
    def is_open(self) -> bool:
        return self.met_on is None


class CalendarAddress(db.Model):
    """A person's own address for the deadline board's calendar feed, read by calendar programs
    without a session. Only the hash of its secret is kept; the person can reset it at once."""

    __tablename__ = "calendar_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class BoardPdf(db.Model):
    """The deadline board as a PDF, made by the job worker: for a whole office's open clocks it
    takes seconds, which no request waits for. Kept for the staff to download once it is made."""

    __tablename__ = "deadline_board_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The board's filters as asked for ({"module": "special_measures"}), none when empty.
    filters: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_count: Mapped[int | None] = mapped_column(Integer)
    # Loaded only when read, and then streamed (core.exports.document_download).
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))

    requested_by: Mapped[User] = relationship()

    content_type = "application/pdf"

    @property
    def is_made(self) -> bool:
        return self.made_at is not None

    @property
    def filename(self) -> str:
        return f"oicts-deadlines-{self.id}.pdf"
