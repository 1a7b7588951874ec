"""Casework records: snapshots of the risk score, assessments and penalties (the oversight of
foreign resellers is casework.oversight's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.rules import AssessmentState
from core.auth.models import User
from core.db import JSONDocument, UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from core.ownership.models import OwnedCase
from intake.models import DepartmentRequest, Provider


class RiskSnapshot(db.Model):
    """A provider's score as it stood on one day, with the lines that made it."""

    __tablename__ = "risk_snapshots"
    __table_args__ = (UniqueConstraint("provider_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    lines_json: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The score's version: the weights it was computed with and the scoring rules' version
    # (casework.rules.SCORING_RULES_VERSION); unknown for snapshots taken before they were kept.
    weights_version: Mapped[str | None] = mapped_column(Text)
    rules_version: Mapped[str | None] = mapped_column(String(40))


class RiskScore(db.Model):
    """A provider's score kept between requests (§7.305(d)): one row per provider, rewritten
    when its facts change and every night, so that the queue pages by an index and a provider's
    page reads one row. The explanation page still computes the score line by line."""

    __tablename__ = "risk_scores"
    # The queue's order: highest score first, then by provider (its tiebreak).
    __table_args__ = (Index("ix_risk_scores_score", "score", "provider_id"),)

    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    # Each line as computed, with the paragraph of §7.305(d) it bears on (``criterion``).
    lines_json: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    # The criteria whose lines gave points, as the queue shows them.
    criteria: Mapped[str] = mapped_column(Text, default="")
    certification: Mapped[str] = mapped_column(String(40))
    # The weights in force when it was computed (rule parameters), as "kind=weight;…".
    weights_version: Mapped[str] = mapped_column(Text)
    # The scoring rules' version it was computed under; a row of another is stale.
    rules_version: Mapped[str | None] = mapped_column(String(40))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lateness ages by the day, so a score is good for the office's date it was computed on.
    good_for: Mapped[date] = mapped_column(Date, index=True)


class Assessment(OwnedCase, db.Model):
    """A compliance assessment of one provider's CIP (§7.305(a), (e), (f))."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    origin: Mapped[str] = mapped_column(String(60))
    origin_note: Mapped[str | None] = mapped_column(Text)
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    scope: Mapped[str] = mapped_column(Text)
    state: Mapped[AssessmentState] = mapped_column(
        coded(AssessmentState, constraint="state_known", length=40)
    )
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The risk score when the assessment was opened, with the lines that made it (JSON).
    risk_score: Mapped[int] = mapped_column(Integer)
    risk_lines_json: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    resubmission_days: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date | None] = mapped_column(Date)
    remediation_deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    resubmitted_receipt: Mapped[str | None] = mapped_column(String(24))
    resubmitted_on: Mapped[date | None] = mapped_column(Date)
    audit_requested_on: Mapped[date | None] = mapped_column(Date)
    audit_request_note: Mapped[str | None] = mapped_column(Text)
    transaction_review_note: Mapped[str | None] = mapped_column(Text)
    special_measure_referral_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_note: Mapped[str | None] = mapped_column(Text)

    provider: Mapped[Provider] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    follows: Mapped[Assessment | None] = relationship(remote_side=[id])
    remediation_deadline: Mapped[Deadline | None] = relationship()
    findings: Mapped[list[AssessmentFinding]] = relationship(
        back_populates="assessment", order_by="AssessmentFinding.id", cascade="all, delete-orphan"
    )
    requests: Mapped[list[DepartmentRequest]] = relationship(
        secondary="assessment_requests", order_by="DepartmentRequest.id"
    )


class AssessmentFinding(db.Model):
    """A shortcoming of the CIP against a paragraph of §7.302(b)–(f), with the remediation the
    Department recommends (§7.305(f)(1))."""

    __tablename__ = "assessment_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    requirement: Mapped[str] = mapped_column(String(10))
    shortcoming: Mapped[str] = mapped_column(Text)
    recommendation_kind: Mapped[str] = mapped_column(String(10))
    recommendation: Mapped[str] = mapped_column(Text)
    # Its author alone changes or withdraws it before review (docs/architecture.md §5).
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="findings")
    drafted_by: Mapped[User] = relationship()


class AssessmentRequest(db.Model):
    """An information request of the assessment, made through intake's requests (§7.305(a))."""

    __tablename__ = "assessment_requests"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("department_requests.id"), primary_key=True)
