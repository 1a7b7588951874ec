"""One row per value a parameter has had; a new value is a new row, never an edit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class RuleParameter(db.Model):
    __tablename__ = "rule_parameters"
    __table_args__ = (UniqueConstraint("key", "effective_from", name="one_value_per_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)
    # Whole numbers beyond 64 bits (10^26 operations), kept as their decimal digits.
    value: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def number(self) -> int:
        return int(self.value)
