"""A penalty case's records (§7.309): the case against its respondent, its violations one by one,
and the referrals and civil actions that follow it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.penalties import rules
from casework.penalties.rules import PenaltyState, ProceedingKind, RespondentKind
from core import crypto
from core.auth.models import User
from core.db import ENCRYPTED, UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from core.ownership.models import OwnedCase
from intake.models import ForeignReseller, Provider


class PenaltyCase(OwnedCase, db.Model):
    """A proposed civil penalty (§7.309(c)): the violations, the conduct, the amount and its
    maximum, reviewed, served, perhaps petitioned, and decided."""

    __tablename__ = "penalty_cases"
    # "Any person" (§7.309(a)): a provider, a foreign reseller, or a person named on the case.
    __table_args__ = (
        CheckConstraint(
            "(respondent_kind = 'provider') = (provider_id IS NOT NULL) AND "
            "(respondent_kind = 'foreign reseller') = (reseller_id IS NOT NULL) AND "
            "(respondent_kind = 'other person') = (person_name_sealed IS NOT NULL)",
            name="one_respondent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    respondent_kind: Mapped[RespondentKind] = mapped_column(
        coded(RespondentKind, constraint="respondent_known", length=20)
    )
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    reseller_id: Mapped[int | None] = mapped_column(ForeignKey("foreign_resellers.id"), index=True)
    # A named person's name and address are personal information, kept encrypted.
    person_name_sealed: Mapped[str | None] = mapped_column(Text, info=ENCRYPTED)
    person_address_sealed: Mapped[str | None] = mapped_column(Text, info=ENCRYPTED)
    state: Mapped[PenaltyState] = mapped_column(
        coded(PenaltyState, constraint="state_known", length=30)
    )
    conduct: Mapped[str] = mapped_column(Text)
    proposed_amount: Mapped[int] = mapped_column(BigInteger)
    proposed_on: Mapped[date] = mapped_column(Date)
    # The cap per violation the maximum was figured with, and on which day it was in force: the
    # drafting day until the notice is served, then fixed on the day of service (§7.309(c)(1)).
    cap: Mapped[int] = mapped_column(BigInteger)
    cap_source: Mapped[str] = mapped_column(String(200))
    cap_on: Mapped[date] = mapped_column(Date)
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

    provider: Mapped[Provider | None] = relationship()
    reseller: Mapped[ForeignReseller | None] = relationship()
    violations: Mapped[list[PenaltyViolation]] = relationship(
        back_populates="case", order_by="PenaltyViolation.number", cascade="all, delete-orphan"
    )
    proceedings: Mapped[list[PenaltyProceeding]] = relationship(
        back_populates="case", order_by="PenaltyProceeding.id", cascade="all, delete-orphan"
    )
    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    petition_deadline: Mapped[Deadline | None] = relationship(foreign_keys=[petition_deadline_id])
    decision_deadline: Mapped[Deadline | None] = relationship(foreign_keys=[decision_deadline_id])

    @property
    def person_name(self) -> str | None:
        return crypto.decrypt(self.person_name_sealed) if self.person_name_sealed else None

    @property
    def person_address(self) -> str | None:
        return crypto.decrypt(self.person_address_sealed) if self.person_address_sealed else None

    @property
    def respondent_name(self) -> str:
        if self.provider is not None:
            return self.provider.legal_name
        if self.reseller is not None:
            return self.reseller.name
        return self.person_name or ""

    @property
    def violation_lines(self) -> tuple[rules.Violation, ...]:
        return tuple(violation.line for violation in self.violations)


class PenaltyViolation(db.Model):
    """One violation of §7.309(a) a notice names, with the transaction it rests on, whose value
    sets its own maximum (§7.309(c)(1))."""

    __tablename__ = "penalty_violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[str] = mapped_column(String(4))
    occurred_on: Mapped[date] = mapped_column(Date)
    transaction: Mapped[str] = mapped_column(Text, default="")
    transaction_value: Mapped[int | None] = mapped_column(BigInteger)  # whole dollars

    case: Mapped[PenaltyCase] = relationship(back_populates="violations")

    @property
    def line(self) -> rules.Violation:
        return rules.Violation(
            self.paragraph, self.occurred_on, self.transaction, self.transaction_value
        )


class PenaltyProceeding(db.Model):
    """A referral to the Attorney General for criminal action (§7.309(c)(2)) or a civil action
    to recover the penalty (§7.309(c)(3)): when, and how it ended."""

    __tablename__ = "penalty_proceedings"

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id"), index=True)
    kind: Mapped[ProceedingKind] = mapped_column(
        coded(ProceedingKind, constraint="kind_known", length=60)
    )
    started_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[PenaltyCase] = relationship(back_populates="proceedings")
    recorded_by: Mapped[User] = relationship()
