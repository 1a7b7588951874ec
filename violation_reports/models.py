"""A report of a suspected violation from anyone (§7.310), and the files sent with it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import ENCRYPTED, UTCDateTime, coded, db, utcnow
from core.documents import StoredDocument
from core.ownership.models import OwnedCase
from intake.models import ForeignReseller, Provider
from violation_reports.rules import Outcome, ReportState, Requirement, Timing


class ViolationReport(OwnedCase, db.Model):
    """One report as its reporter sent it, and the office's triage of it. What the reporter
    wrote is never changed; the links and the outcome are the office's."""

    __tablename__ = "violation_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    acknowledgement: Mapped[str] = mapped_column(String(20), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    received_on: Mapped[date] = mapped_column(Date)
    requirement: Mapped[Requirement] = mapped_column(
        coded(Requirement, constraint="requirement_known", length=20)
    )
    timing: Mapped[Timing] = mapped_column(coded(Timing, constraint="timing_known", length=10))
    # Whom the reporter names (a provider, a reseller, anyone), as typed.
    concerns: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text)
    # The reporter's name, email and telephone as JSON, sealed with the field key (core.crypto);
    # None for an anonymous report.
    contact_sealed: Mapped[str | None] = mapped_column(Text, info=ENCRYPTED)
    state: Mapped[ReportState] = mapped_column(
        coded(ReportState, constraint="state_known", length=20), default=ReportState.RECEIVED
    )
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    reseller_id: Mapped[int | None] = mapped_column(ForeignKey("foreign_resellers.id"))
    # A case of any module (core.ownership.registry): its kind's key and its id.
    case_kind: Mapped[str | None] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[Outcome | None] = mapped_column(
        coded(Outcome, constraint="outcome_known", length=20)
    )
    outcome_reasons: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    provider: Mapped[Provider | None] = relationship()
    reseller: Mapped[ForeignReseller | None] = relationship()
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    attachments: Mapped[list[ViolationReportAttachment]] = relationship(
        back_populates="report", order_by="ViolationReportAttachment.id"
    )

    @property
    def state_enum(self) -> ReportState:
        return ReportState(self.state)

    @property
    def anonymous(self) -> bool:
        return self.contact_sealed is None

    @property
    def label(self) -> str:
        return f"Violation report {self.acknowledgement}"


class ViolationReportAttachment(StoredDocument, db.Model):
    """A file the reporter sent, kept as received with its SHA-256."""

    __tablename__ = "violation_report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("violation_reports.id"), index=True)

    report: Mapped[ViolationReport] = relationship(back_populates="attachments")
