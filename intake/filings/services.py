"""The filings inbox: every filing across providers, as the filters select them, and their
download (audited, as every export is)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import aliased, contains_eager, defer

from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from intake import kinds
from intake.filings import rules
from intake.models import Filing, Provider
from intake.registry import provider_named
from intake.reviews.models import CertificationReview
from intake.reviews.paragraphs import REVIEWED_KINDS
from intake.reviews.rules import ReviewOutcome


@dataclass(frozen=True)
class FilingCriteria:
    kind: str = ""
    provider: str = ""
    channel: str = ""
    timeliness: str = ""
    warnings: str = ""
    review: str = ""
    received_from: date | None = None
    received_through: date | None = None

    def as_audited(self) -> dict[str, Any]:
        """The filters a download used, for its audit event: only those set."""
        return {name: value for name, value in asdict(self).items() if value}


# How many warnings a filing carries, counted by the database (json_array_length is SQLite's
# and PostgreSQL's alike), so that the inbox can filter and sort by it.
WARNING_COUNT = Filing.warning_count

# The inbox sorts kinds and channels by what a person reads in those columns, not by the codes
# stored.
KIND_TITLE = case(
    {spec.kind.value: spec.title for spec in kinds.KINDS.values()},
    value=Filing.kind,
    else_=Filing.kind,
)
CHANNEL_SHOWN = case(rules.CHANNEL_SHOWN, value=Filing.channel, else_=Filing.channel)
# Timeliness sorts from the latest to the earliest when descending, filings with no clock last.
TIMELINESS_RANK = case(rules.TIMELINESS_RANK, value=Filing.timeliness, else_=0)


def _reviewed(*conditions: Any) -> Any:
    return (
        select(CertificationReview.id)
        .where(CertificationReview.filing_id == Filing.id, *conditions)
        .exists()
    )


def _review_filter(query: Select[Any], wanted: str) -> Select[Any]:
    if wanted == rules.NOT_REVIEWED:
        # A version corrected since is reviewed in its correction (intake.reviews.rules).
        correction = aliased(Filing)
        corrected = select(correction.id).where(correction.supersedes_id == Filing.id).exists()
        return query.where(Filing.kind.in_(sorted(REVIEWED_KINDS)), ~_reviewed(), ~corrected)
    if wanted == rules.ACCEPTED:
        return query.where(_reviewed(CertificationReview.outcome == ReviewOutcome.ACCEPTED))
    if wanted == rules.DEFICIENT:
        return query.where(_reviewed(CertificationReview.outcome == ReviewOutcome.DEFICIENT))
    if wanted == rules.DEFICIENT_OPEN:
        return query.where(
            _reviewed(
                CertificationReview.outcome == ReviewOutcome.DEFICIENT,
                CertificationReview.resubmitted_on.is_(None),
            )
        )
    return query


def _filtered(query: Select[Any], criteria: FilingCriteria) -> Select[Any]:
    if criteria.kind:
        query = query.where(Filing.kind == criteria.kind)
    if criteria.provider:
        query = query.where(provider_named(criteria.provider))
    if criteria.channel:
        query = query.where(Filing.channel == criteria.channel)
    if criteria.timeliness == rules.NOT_TIMED:
        query = query.where(Filing.timeliness.is_(None))
    elif criteria.timeliness:
        query = query.where(Filing.timeliness == criteria.timeliness)
    if criteria.warnings == rules.WITH_WARNINGS:
        query = query.where(WARNING_COUNT > 0)
    elif criteria.warnings == rules.WITHOUT_WARNINGS:
        query = query.where(WARNING_COUNT == 0)
    query = _review_filter(query, criteria.review)
    # The office's calendar day of receipt, as the receipt states it (docs/architecture.md §3).
    if criteria.received_from:
        query = query.where(Filing.received_on >= criteria.received_from)
    if criteria.received_through:
        query = query.where(Filing.received_on <= criteria.received_through)
    return query


def inbox_query(criteria: FilingCriteria) -> Select[tuple[Filing]]:
    """The filings ``criteria`` selects, each with its provider, newest first."""
    query = (
        select(Filing)
        .join(Filing.provider)
        # A row of the inbox shows neither the body as received nor its checked contents.
        .options(
            contains_eager(Filing.provider), defer(Filing.raw_payload), defer(Filing.data_json)
        )
        .order_by(Filing.received_at.desc(), Filing.id.desc())
    )
    return _filtered(query, criteria)


def inbox_count_query(criteria: FilingCriteria) -> Select[tuple[int]]:
    """The filings of ``inbox_query``, joined to their providers only when a provider's name is
    asked for: what the inbox counts."""
    query = select(Filing.id)
    if criteria.provider:
        query = query.join(Filing.provider)
    return _filtered(query, criteria)


EXPORT_HEADER = (
    "Receipt number",
    "Received (UTC)",
    "Received on (office day)",
    "Kind",
    "Citation",
    "Provider",
    "Channel",
    "Timeliness",
    "Warnings",
    "Warning messages",
    "Corrects receipt",
)


def export_query(criteria: FilingCriteria) -> Select[Any]:
    """The columns of a download of the filings ``criteria`` selects, newest first."""
    corrected = aliased(Filing)
    query = (
        select(
            Filing.receipt_number,
            Filing.received_at,
            Filing.received_on,
            Filing.kind,
            Provider.legal_name,
            Filing.channel,
            Filing.timeliness,
            Filing.warnings_json,
            corrected.receipt_number,
        )
        .join(Provider, Filing.provider_id == Provider.id)
        .outerjoin(corrected, Filing.supersedes_id == corrected.id)
        .order_by(Filing.received_at.desc(), Filing.id.desc())
    )
    return _filtered(query, criteria)


def export_filings(
    query: Select[Any], criteria: FilingCriteria, *, actor: User, file_format: str
) -> list[Any]:
    """The rows of a download (``export_query``, sorted as the page is); the download is itself
    an event."""
    rows = list(db.session.execute(query).all())
    record_event(
        "export.filings",
        actor=actor,
        after={"rows": len(rows), "format": file_format, "filters": criteria.as_audited()},
    )
    return rows
