"""A review of one draft of one subject (a finding, a determination, a penalty notice…)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.approvals.rules import ReviewState
from core.auth.models import User
from core.db import UTCDateTime, coded, db, utcnow


class Review(db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("reviewer_id IS NULL OR reviewer_id <> drafted_by_id", name="not_own"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[str] = mapped_column(String(40), index=True)
    subject_label: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[ReviewState] = mapped_column(
        coded(ReviewState, constraint="state_known", length=20), default=ReviewState.IN_REVIEW
    )
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comments: Mapped[str | None] = mapped_column(Text)

    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    @property
    def state_enum(self) -> ReviewState:
        return ReviewState(self.state)
