"""A special-measure case from referral to determination, the factors weighed, the notices to
Congress, and the extensions and revocations of an issued measure (§7.307)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import JSONDocument, UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from core.jobs.models import Job
from core.ownership.models import OwnedCase
from intake.models import Provider
from special_measures.rules import (
    ActionKind,
    CaseState,
    HitDecision,
    MeasureKind,
    ReferralSource,
    SubjectKind,
)


class SpecialMeasureCase(OwnedCase, db.Model):
    __tablename__ = "special_measure_cases"
    __table_args__ = (
        CheckConstraint(
            "issued_on IS NULL OR last_day_on >= issued_on", name="last_day_after_issue"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[CaseState] = mapped_column(
        coded(CaseState, constraint="state_known", length=30), default=CaseState.REFERRED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    # The referral (§7.307(a)(2)).
    source: Mapped[ReferralSource] = mapped_column(
        coded(ReferralSource, constraint="source_known", length=20)
    )
    referring_agency: Mapped[str | None] = mapped_column(String(120))
    referring_provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    referral_received_on: Mapped[date] = mapped_column(Date)
    referral_summary: Mapped[str] = mapped_column(Text)

    # The subject: a jurisdiction (ISO 3166, maybe a region within it) or a foreign person.
    subject_kind: Mapped[SubjectKind] = mapped_column(
        coded(SubjectKind, constraint="subject_kind_known", length=20)
    )
    jurisdiction: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(120))
    person_name: Mapped[str | None] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JSONDocument, default=lambda: [])
    identifiers: Mapped[list[str]] = mapped_column(JSONDocument, default=lambda: [])
    related_receipts: Mapped[list[str]] = mapped_column(JSONDocument, default=lambda: [])

    # The determination (§7.307(a)(3)–(4), (b)(1)–(2)).
    evaluation_summary: Mapped[str | None] = mapped_column(Text)
    measure_kind: Mapped[MeasureKind | None] = mapped_column(
        coded(MeasureKind, constraint="measure_kind_known", length=20)
    )
    conditions_text: Mapped[str | None] = mapped_column(Text)
    consistency_text: Mapped[str | None] = mapped_column(Text)
    compliance_on: Mapped[date | None] = mapped_column(Date)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_reason: Mapped[str | None] = mapped_column(Text)

    # Issuance and what follows it.
    issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    earliest_compliance_on: Mapped[date | None] = mapped_column(Date)
    earliest_compliance_computation: Mapped[str | None] = mapped_column(Text)
    original_last_day_on: Mapped[date | None] = mapped_column(Date)
    expiry_computation: Mapped[str | None] = mapped_column(Text)
    last_day_on: Mapped[date | None] = mapped_column(Date, index=True)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    # Kept because the NPRM preamble dates effect from publication; the rule text does not.
    federal_register_citation: Mapped[str | None] = mapped_column(String(60))
    published_on: Mapped[date | None] = mapped_column(Date)

    referring_provider: Mapped[Provider | None] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    factors: Mapped[list[FactorAssessment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="FactorAssessment.id"
    )
    notices: Mapped[list[CongressionalNotice]] = relationship(
        back_populates="case", order_by="CongressionalNotice.id"
    )
    actions: Mapped[list[MeasureAction]] = relationship(
        back_populates="case", order_by="MeasureAction.id"
    )

    @property
    def state_enum(self) -> CaseState:
        return CaseState(self.state)

    @property
    def kind(self) -> SubjectKind:
        return SubjectKind(self.subject_kind)

    @property
    def subject_label(self) -> str:
        if self.kind is SubjectKind.PERSON:
            return self.person_name or ""
        return f"{self.jurisdiction}{' — ' + self.region if self.region else ''}"

    @property
    def reasons(self) -> dict[str, str]:
        return {factor.code: factor.reasons for factor in self.factors}


class FactorAssessment(db.Model):
    """One factor of §7.307(b)(3) or (b)(4) weighed for a case: the reasons and the evidence."""

    __tablename__ = "special_measure_factors"
    __table_args__ = (UniqueConstraint("case_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("special_measure_cases.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str] = mapped_column(Text, default="")
    # One item per line: a filing's receipt number, a page of this system, or a description.
    evidence: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[SpecialMeasureCase] = relationship(back_populates="factors")


class MeasureAction(db.Model):
    """An extension (with its Federal Register notice) or a revocation of an issued measure,
    each reviewed by a second person before it is recorded (§7.307(a)(5))."""

    __tablename__ = "special_measure_actions"
    __table_args__ = (
        CheckConstraint(
            "kind <> 'extension' OR new_last_day_on IS NOT NULL", name="extension_has_last_day"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("special_measure_cases.id"), index=True)
    kind: Mapped[ActionKind] = mapped_column(coded(ActionKind, constraint="kind_known", length=20))
    # For an extension: the finding that the measure remains necessary; for a revocation: why.
    reasons: Mapped[str] = mapped_column(Text)
    new_last_day_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    federal_register_citation: Mapped[str | None] = mapped_column(String(60))
    published_on: Mapped[date | None] = mapped_column(Date)
    prior_last_day_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[SpecialMeasureCase] = relationship(back_populates="actions")
    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class CongressionalNotice(db.Model):
    """One letter to one committee about a determination or an extension (§7.307(d))."""

    __tablename__ = "congressional_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("special_measure_cases.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("special_measure_actions.id"))
    committee: Mapped[str] = mapped_column(String(40))
    addressee: Mapped[str] = mapped_column(String(200))
    prepared_on: Mapped[date] = mapped_column(Date)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"))
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_how: Mapped[str | None] = mapped_column(String(200))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[SpecialMeasureCase] = relationship(back_populates="notices")
    action: Mapped[MeasureAction | None] = relationship()
    deadline: Mapped[Deadline] = relationship()
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])


class ScreeningRun(db.Model):
    """One check of the parties named in a filing, or on a provider's list, against the measures
    in force on the relevant day, with the evidence of how it was done (docs/architecture.md §5)."""

    __tablename__ = "screening_runs"
    # A screening job keeps one run per provider, however often its work is done again.
    __table_args__ = (UniqueConstraint("job_id", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    relevant_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text)
    threshold: Mapped[int] = mapped_column()
    # [{"reference": ..., "version": ...}] of every measure in force that day.
    measures_json: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument)
    parties_screened: Mapped[int] = mapped_column()
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ran_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The job that screened every provider again when a measure was issued or extended.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))

    ran_by: Mapped[User | None] = relationship()
    job: Mapped[Job | None] = relationship()
    hits: Mapped[list[ScreeningHit]] = relationship(
        back_populates="run", order_by="ScreeningHit.id"
    )


class ScreeningHit(db.Model):
    __tablename__ = "screening_hits"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("special_measure_cases.id"), index=True)
    measure_version: Mapped[str] = mapped_column(String(12))
    party_kind: Mapped[str] = mapped_column(String(40))
    party_name: Mapped[str] = mapped_column(String(300))
    party_key: Mapped[str] = mapped_column(String(300), index=True)  # the normalised name
    party_jurisdiction: Mapped[str | None] = mapped_column(String(2))
    party_reference: Mapped[str] = mapped_column(String(60))
    matched_on: Mapped[str] = mapped_column(String(20))
    matched_text: Mapped[str] = mapped_column(String(300))
    score: Mapped[int] = mapped_column()
    decision: Mapped[HitDecision | None] = mapped_column(
        coded(HitDecision, constraint="decision_known", length=20)
    )
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[ScreeningRun] = relationship(back_populates="hits")
    case: Mapped[SpecialMeasureCase] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
