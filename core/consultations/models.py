"""One consultation request to one agency about one subject, and its recorded position."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.consultations.rules import Position, Purpose
from core.db import UTCDateTime, coded, db, utcnow
from core.documents import StoredDocument


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "agency"),
        CheckConstraint("respond_by >= requested_on", name="respond_after_request"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[Purpose] = mapped_column(coded(Purpose, constraint="purpose_known", length=30))
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[str] = mapped_column(String(40), index=True)
    subject_label: Mapped[str] = mapped_column(String(300))
    # What the agency is asked to consider; liaisons see this, never the underlying filings.
    summary: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(String(80), index=True)
    required: Mapped[bool] = mapped_column(Boolean)
    requested_on: Mapped[date] = mapped_column(Date)
    respond_by: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    position: Mapped[Position | None] = mapped_column(
        coded(Position, constraint="position_known", length=30)
    )
    comments: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    attachments: Mapped[list[ConsultationAttachment]] = relationship(
        back_populates="consultation", order_by="ConsultationAttachment.id"
    )

    @property
    def position_enum(self) -> Position | None:
        return Position(self.position) if self.position else None


class ConsultationAttachment(StoredDocument, db.Model):
    """A document an agency sends with its position (its memo, its conditions), kept as received
    with its SHA-256 (§7.306(e)(2), §7.307(c))."""

    __tablename__ = "consultation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    consultation: Mapped[Consultation] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship()
