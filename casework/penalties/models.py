"""A penalty case's records (§7.309)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.penalties.rules import PenaltyState
from core.auth.models import User
from core.db import JSONDocument, coded, db
from core.deadlines.models import Deadline
from core.ownership.models import OwnedCase
from intake.models import Provider


class PenaltyCase(OwnedCase, db.Model):
    """A proposed civil penalty (§7.309(c)): the violations, the conduct, the amount and its
    maximum, reviewed, served, perhaps petitioned, and decided."""

    __tablename__ = "penalty_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    state: Mapped[PenaltyState] = mapped_column(
        coded(PenaltyState, constraint="state_known", length=30)
    )
    violation_codes: Mapped[list[str]] = mapped_column(JSONDocument)  # ["a2", "a8"]
    conduct: Mapped[str] = mapped_column(Text)
    transaction_value: Mapped[int | None] = mapped_column(BigInteger)  # whole dollars
    proposed_amount: Mapped[int] = mapped_column(BigInteger)
    proposed_on: Mapped[date] = mapped_column(Date)
    cap: Mapped[int] = mapped_column(BigInteger)
    cap_source: Mapped[str] = mapped_column(String(200))
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    served_on: Mapped[date | None] = mapped_column(Date)
    petition_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    petition_received_on: Mapped[date | None] = mapped_column(Date)
    petition_summary: Mapped[str | None] = mapped_column(Text)
    decision_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(Text)
    final_amount: Mapped[int | None] = mapped_column(BigInteger)
    # Withdrawn before service (§7.309(c)(1)): when, and why.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reasons: Mapped[str | None] = mapped_column(Text)

    provider: Mapped[Provider] = relationship()
    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    petition_deadline: Mapped[Deadline | None] = relationship(foreign_keys=[petition_deadline_id])
    decision_deadline: Mapped[Deadline | None] = relationship(foreign_keys=[decision_deadline_id])
