"""An exemption case (§7.306), the information requests and notices that belong to it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import JSONDocument, UTCDateTime, coded, db, utcnow
from core.ownership.models import OwnedCase
from exemptions.rules import CaseState, Decision, NoticeKind
from intake.models import Document, Filing, ForeignReseller, Provider


class ExemptionCase(OwnedCase, db.Model):
    """One request for an exemption, from receipt to grant, denial or revocation. The request
    itself is the filing, kept as received; the case holds the office's work on it."""

    __tablename__ = "exemption_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    scope: Mapped[str] = mapped_column(String(30))
    # The provider's foreign reseller the request names, when it is on the provider's list.
    reseller_id: Mapped[int | None] = mapped_column(ForeignKey("foreign_resellers.id"))
    state: Mapped[CaseState] = mapped_column(
        coded(CaseState, constraint="state_known", length=30), default=CaseState.RECEIVED
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The finding (§7.306(e)(3)): each factor's assessment and reasons, as JSON.
    finding_json: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    decision: Mapped[Decision | None] = mapped_column(
        coded(Decision, constraint="decision_known", length=10)
    )
    finding_drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    # Revocation (§7.306(g)): the reasons, and a special-measure case it serves, by reference.
    revocation_reasons: Mapped[str | None] = mapped_column(Text)
    revocation_reference: Mapped[str | None] = mapped_column(String(100))
    revocation_drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_on: Mapped[date | None] = mapped_column(Date)
    # Withdrawal by the provider before a finding: the day its letter arrived, and why.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reasons: Mapped[str | None] = mapped_column(Text)

    filing: Mapped[Filing] = relationship()
    provider: Mapped[Provider] = relationship()
    reseller: Mapped[ForeignReseller | None] = relationship()
    finding_drafted_by: Mapped[User | None] = relationship(foreign_keys=[finding_drafted_by_id])
    information_requests: Mapped[list[InformationRequest]] = relationship(
        back_populates="case", order_by="InformationRequest.id"
    )
    notices: Mapped[list[ExemptionNotice]] = relationship(
        back_populates="case", order_by="ExemptionNotice.id"
    )
    attachments: Mapped[list[ExemptionAttachment]] = relationship(order_by="ExemptionAttachment.id")

    @property
    def state_enum(self) -> CaseState:
        return CaseState(self.state)

    @property
    def finding(self) -> dict[str, Any]:
        return self.finding_json or {}

    @property
    def label(self) -> str:
        return f"Exemption request {self.filing.receipt_number} ({self.provider.legal_name})"


class InformationRequest(db.Model):
    """A request for additional information from the submitter (§7.306(e)(2))."""

    __tablename__ = "exemption_information_requests"
    __table_args__ = (CheckConstraint("respond_by >= requested_on", name="respond_after_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("exemption_cases.id"), index=True)
    questions: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    respond_by: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    responded_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[ExemptionCase] = relationship(back_populates="information_requests")


class ExemptionNotice(db.Model):
    """An annual notification (§7.306(f)) or a material-change notice (§7.309(b)(2))."""

    __tablename__ = "exemption_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("exemption_cases.id"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(coded(NoticeKind, constraint="kind_known", length=30))
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[ExemptionCase] = relationship(back_populates="notices")
    recorded_by: Mapped[User] = relationship()


class ExemptionAttachment(db.Model):
    """A document supporting the request (the written program, policies), kept with its hash."""

    __tablename__ = "exemption_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("exemption_cases.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    description: Mapped[str] = mapped_column(String(300))

    document: Mapped[Document] = relationship()
