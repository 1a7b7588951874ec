"""Casework records: snapshots of the risk score, and the oversight of foreign resellers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import UTCDateTime, db, utcnow
from core.deadlines.models import Deadline
from intake.models import ForeignReseller, Provider


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


class ResellerOversight(db.Model):
    """Evidence that a provider's foreign reseller fails its CIP, the provider's knowledge that
    it has not remediated, and how it ended (§7.303(e))."""

    __tablename__ = "reseller_oversight"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("foreign_resellers.id"), index=True)
    state: Mapped[str] = mapped_column(String(40))
    evidence_kind: Mapped[str] = mapped_column(String(80))
    evidence: Mapped[str] = mapped_column(Text)
    evidence_received_on: Mapped[date] = mapped_column(Date)
    reported_to_authorities: Mapped[str | None] = mapped_column(Text)
    knowledge_on: Mapped[date | None] = mapped_column(Date)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship()
    reseller: Mapped[ForeignReseller] = relationship()
    deadline: Mapped[Deadline | None] = relationship()
    opened_by: Mapped[User] = relationship()
