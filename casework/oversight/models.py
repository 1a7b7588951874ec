"""The record of one oversight case of a foreign reseller (§7.303(e), §7.308(f))."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.oversight.rules import (
    OversightBasis,
    OversightState,
    TerminationTrigger,
)
from core.auth.models import User
from core.db import UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from core.ownership.models import OwnedCase
from intake.models import ForeignReseller, Provider


class ResellerOversight(OwnedCase, db.Model):
    """Evidence that a provider's foreign reseller fails its CIP, the fact that starts the 30
    days to terminate it, the closing of its account and how it ended (§7.303(e)); or evidence
    that it fails §7.308, the provider's notice to it, the suspension and the resumption on its
    assurances (§7.308(f))."""

    __tablename__ = "reseller_oversight"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    reseller_id: Mapped[int] = mapped_column(ForeignKey("foreign_resellers.id"), index=True)
    state: Mapped[OversightState] = mapped_column(
        coded(OversightState, constraint="state_known", length=40)
    )
    basis: Mapped[OversightBasis] = mapped_column(
        coded(OversightBasis, constraint="basis_known", length=20), default=OversightBasis.CIP
    )
    evidence_kind: Mapped[str] = mapped_column(String(80))
    evidence: Mapped[str] = mapped_column(Text)
    evidence_received_on: Mapped[date] = mapped_column(Date)
    reported_to_authorities: Mapped[str | None] = mapped_column(Text)
    # §7.303(e): which of the two facts started the 30 days, and the day it was known.
    termination_trigger: Mapped[TerminationTrigger | None] = mapped_column(
        coded(TerminationTrigger, constraint="trigger_known", length=80)
    )
    knowledge_on: Mapped[date | None] = mapped_column(Date)
    trigger_note: Mapped[str | None] = mapped_column(Text)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    # §7.303(e): the steps the provider takes on the evidence to close the reseller's account.
    account_closed_on: Mapped[date | None] = mapped_column(Date)
    account_closure_note: Mapped[str | None] = mapped_column(Text)
    # §7.308(f): the notice of the alleged violation and the request for written confirmation.
    notified_on: Mapped[date | None] = mapped_column(Date)
    notice_note: Mapped[str | None] = mapped_column(Text)
    suspended_on: Mapped[date | None] = mapped_column(Date)
    suspension_note: Mapped[str | None] = mapped_column(Text)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    assurances: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship()
    reseller: Mapped[ForeignReseller] = relationship()
    deadline: Mapped[Deadline | None] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
