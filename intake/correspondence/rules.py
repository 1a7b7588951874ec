"""What the office sends providers, and the rules of the one-time download link (pure)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta


class CorrespondenceKind(enum.StrEnum):
    CIP_COPY_REQUEST = "cip_copy_request"
    RESELLER_CIP_COPY_REQUEST = "reseller_cip_copy_request"
    INFORMATION_REQUEST = "information_request"
    ASSESSMENT_REPORT = "assessment_report"
    EXEMPTION_DECISION = "exemption_decision"
    PENALTY_NOTICE = "penalty_notice"
    SPECIAL_MEASURE_NOTICE = "special_measure_notice"
    CERTIFICATION_DEFICIENCY = "certification_deficiency"


@dataclass(frozen=True)
class KindSpec:
    label: str
    citation: str
    # The clock the provider's receipt of the document starts, if any (core.clocks).
    clock_key: str | None = None


KINDS: dict[CorrespondenceKind, KindSpec] = {
    CorrespondenceKind.CIP_COPY_REQUEST: KindSpec(
        "Request for a copy of the customer identification program", "§7.305(a)",
        "cip.copy_on_request",
    ),
    CorrespondenceKind.RESELLER_CIP_COPY_REQUEST: KindSpec(
        "Request for a copy of a foreign reseller's customer identification program",
        "§7.303(d)", "reseller.cip_copy_on_request",
    ),
    CorrespondenceKind.INFORMATION_REQUEST: KindSpec(
        "Request for additional information", "§7.308(e)", "ai.follow_up_report"
    ),
    CorrespondenceKind.ASSESSMENT_REPORT: KindSpec("Compliance assessment report", "§7.305"),
    CorrespondenceKind.EXEMPTION_DECISION: KindSpec("Decision on a request for an exemption",
                                                    "§7.306"),
    CorrespondenceKind.PENALTY_NOTICE: KindSpec(
        "Notice of a proposed civil penalty", "§7.309(c)(1)", "penalty.petition"
    ),
    CorrespondenceKind.SPECIAL_MEASURE_NOTICE: KindSpec("Notice of a special measure", "§7.307"),
    CorrespondenceKind.CERTIFICATION_DEFICIENCY: KindSpec(
        "Notice of deficiencies in a CIP certification", "§7.305(b)",
        "cip.certification_resubmission",
    ),
}  # fmt: skip


def spec_of(kind: str) -> KindSpec:
    return KINDS[CorrespondenceKind(kind)]


class SentBy(enum.StrEnum):
    """How a document reached the provider."""

    EMAIL = "email"
    API = "api"  # the provider's system read it through the filing API before any email arrived
    HAND = "hand"  # sent by another means (post, courier, in person) and recorded by an analyst


SENT_BY_LABELS = {
    SentBy.EMAIL: "email",
    SentBy.API: "the filing API",
    SentBy.HAND: "another means, recorded by hand",
}


class Delivery(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    UNDELIVERED = "undelivered"


# The one-time download link the email carries (single use, docs/architecture.md §8).
LINK_DAYS = 14


def link_expires_at(created_at: datetime) -> datetime:
    return created_at + timedelta(days=LINK_DAYS)


def link_refusal(*, expires_at: datetime, used_at: datetime | None, now: datetime) -> str | None:
    """Why a link no longer opens its document, or None while it does."""
    if used_at is not None:
        return "This link was used already: each link downloads its document once."
    if now >= expires_at:
        return f"This link has expired: links work for {LINK_DAYS} days."
    return None


def sent_on_problem(*, sent_on: date, issued_on: date, today: date) -> str | None:
    """A date of sending recorded by hand is neither before the document was issued nor in the
    future (the clock it opens would start before the document existed, or not yet)."""
    if sent_on < issued_on:
        return "The document cannot have been sent before it was issued."
    if sent_on > today:
        return "The date of sending cannot be in the future."
    return None
