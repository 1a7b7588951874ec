"""A certification's review, kept beside the filing it judges (the filing is never edited)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import JSONDocument, UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from intake.models import Filing
from intake.reviews.rules import ReviewOutcome


class CertificationReview(db.Model):
    """An analyst's review of a certification to accepted or deficient (§7.305(b)), with its
    reasons, each citing the paragraph it applies. A deficiency is a notice to the provider
    (intake.correspondence, subject ``certification_review``) whose receipt opens the
    resubmission clock; the provider's resubmission meets it."""

    __tablename__ = "certification_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One review a filing: a resubmission is a filing of its own, reviewed on its own.
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    outcome: Mapped[ReviewOutcome] = mapped_column(
        coded(ReviewOutcome, constraint="outcome_known", length=12)
    )
    # [{"paragraph": code, "citation": "§…", "text": …}], the citation kept as written then.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=lambda: [])
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    resubmission_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"))
    resubmitted_on: Mapped[date | None] = mapped_column(Date)

    filing: Mapped[Filing] = relationship(foreign_keys=[filing_id])
    resubmission: Mapped[Filing | None] = relationship(foreign_keys=[resubmission_id])
    reviewed_by: Mapped[User] = relationship()
    deadline: Mapped[Deadline | None] = relationship()
