"""Casework records: the weekly snapshots of the risk score that "what changed" compares."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class RiskSnapshot(db.Model):
    """A provider's score as it stood on one day, with the lines that made it."""

    __tablename__ = "risk_snapshots"
    __table_args__ = (UniqueConstraint("provider_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    lines_json: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
