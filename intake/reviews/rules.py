"""The review of a certification to an outcome (§7.305(b)): what a review must say, who may make
it, where a reviewed filing stands, what a later filing resubmits, and what an open deficiency
adds to the provider's risk (§7.305(d)(2)). Pure: facts in, decisions out."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core import clocks
from core.risk import RiskSignal
from intake.reviews.paragraphs import REVIEWED_KINDS, citable

# The provider resolves the shortcomings a deficiency notice names and resubmits within the
# period the Department sets (§7.305(a), the model §7.305(b) reviews follow); the office gives
# 30 days from the notice's receipt (core.clocks).
RESUBMISSION_CLOCK = "cip.certification_resubmission"
MAX_REASONS = 6
MAX_REASON_CHARS = 2_000

# The kinds of filing that resubmit a certification found deficient: any later certification
# of the same CIP, a correction of the deficient filing included (§7.304(a), (b), (d); for a
# compiled reseller certification, another one, §7.304(f)).
RESUBMITTING_KINDS: Mapping[str, frozenset[str]] = {
    "cip_certification": frozenset(
        {"cip_certification", "annual_certification", "new_provider_certification"}
    ),
    "annual_certification": frozenset(
        {"cip_certification", "annual_certification", "new_provider_certification"}
    ),
    "new_provider_certification": frozenset(
        {"cip_certification", "annual_certification", "new_provider_certification"}
    ),
    "reseller_certification": frozenset({"reseller_certification"}),
}


class ReviewOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    DEFICIENT = "deficient"


OUTCOME_LABELS = {
    ReviewOutcome.ACCEPTED: "Accepted: the certification holds what §7.304 asks and describes a "
    "CIP meeting §7.302",
    ReviewOutcome.DEFICIENT: "Deficient: the provider is sent a notice of the shortcomings and "
    "must resubmit",
}


class ReviewStanding(enum.StrEnum):
    """Where a reviewable filing stands, as the filings inbox shows it."""

    NOT_REVIEWED = "not reviewed"
    ACCEPTED = "accepted"
    DEFICIENT_NOTICE_PENDING = "deficient: notice not yet received"
    RESUBMISSION_DUE = "deficient: resubmission due"
    RESUBMISSION_OVERDUE = "deficient: resubmission overdue"
    RESUBMITTED = "deficient: resubmitted"


@dataclass(frozen=True)
class Reason:
    paragraph: str  # the code in intake.reviews.paragraphs
    text: str


def is_reviewed_kind(kind: str) -> bool:
    return kind in REVIEWED_KINDS


def review_problems(
    kind: str,
    outcome: str | None,
    reasons: Sequence[Reason],
    *,
    reviewer_id: int,
    keyed_by_id: int | None,
    already_reviewed: bool,
    superseded: bool,
) -> dict[str, list[str]]:
    """Every reason a review cannot be recorded, by the field it concerns ("" for the whole)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not is_reviewed_kind(kind):
        add("", "Only CIP certifications and compiled foreign-reseller certifications are "
            "reviewed (§7.305(b)).")  # fmt: skip
        return problems
    if already_reviewed:
        add("", "This filing was reviewed already; a resubmission is reviewed on its own.")
    if superseded:
        add("", "A correction of this filing was received since; review the latest version.")
    # Separation of duties: whoever keyed a filing in for the provider does not judge it.
    if keyed_by_id is not None and keyed_by_id == reviewer_id:
        add("", "You keyed this filing in; another analyst reviews it.")
    if outcome not in {each.value for each in ReviewOutcome}:
        add("outcome", "Choose accepted or deficient.")
        return problems
    catalogue = citable(kind)
    for index, reason in enumerate(reasons, start=1):
        if reason.paragraph and reason.paragraph not in catalogue:
            add(f"reason_{index}_paragraph", "Choose one of the paragraphs listed.")
        if reason.paragraph and not reason.text.strip():
            add(f"reason_{index}_text", "Say how the certification falls short of it.")
        if reason.text.strip() and not reason.paragraph:
            add(f"reason_{index}_paragraph", "Choose the paragraph this reason cites.")
        if len(reason.text) > MAX_REASON_CHARS:
            add(f"reason_{index}_text", f"At most {MAX_REASON_CHARS:,} characters.")
    given = [reason for reason in reasons if reason.paragraph or reason.text.strip()]
    if outcome == ReviewOutcome.DEFICIENT and not given:
        # §7.305(a): the notice names "the specific shortcomings identified".
        add("reason_1_paragraph", "A deficient certification needs at least one reason, citing "
            "the paragraph it falls short of.")  # fmt: skip
    return problems


def standing(
    *,
    kind: str,
    outcome: str | None,
    resubmitted_on: date | None,
    resubmission_due_on: date | None,
    today: date,
) -> ReviewStanding | None:
    """Where a filing stands on review; None for a kind that is not reviewed."""
    if not is_reviewed_kind(kind):
        return None
    if outcome is None:
        return ReviewStanding.NOT_REVIEWED
    if outcome == ReviewOutcome.ACCEPTED:
        return ReviewStanding.ACCEPTED
    if resubmitted_on is not None:
        return ReviewStanding.RESUBMITTED
    if resubmission_due_on is None:
        return ReviewStanding.DEFICIENT_NOTICE_PENDING
    if today > resubmission_due_on:
        return ReviewStanding.RESUBMISSION_OVERDUE
    return ReviewStanding.RESUBMISSION_DUE


def resubmits(
    *,
    deficient_kind: str,
    filing_kind: str,
    supersedes_deficient: bool,
    received_on: date,
    notice_issued_on: date,
) -> bool:
    """Whether a filing the provider sends resubmits its deficient certification: a correction
    of the deficient filing, or a later certification of the same CIP received on or after the
    day the notice was issued."""
    if supersedes_deficient:
        return True
    return (
        filing_kind in RESUBMITTING_KINDS.get(deficient_kind, frozenset())
        and received_on >= notice_issued_on
    )


@dataclass(frozen=True)
class OpenDeficiency:
    """A certification found deficient and not yet resubmitted, with its clock's due date once
    the notice reached the provider."""

    receipt_number: str
    due_on: date | None


def deficiency_signals(open_ones: Sequence[OpenDeficiency], today: date) -> list[RiskSignal]:
    """A deficient certification is a certification not validly made until it is resubmitted
    (§7.305(d)(2)(i)); once its period has passed, the provider has failed to implement what
    the Department's review called for (§7.305(d)(2)(ii))."""
    if not open_ones:
        return []
    overdue = [each for each in open_ones if each.due_on is not None and today > each.due_on]
    found = [
        RiskSignal(
            "§7.305(d)(2)(i)",
            "deficient_certification",
            len(open_ones),
            "Certification(s) reviewed as deficient, resubmission awaited: "
            + ", ".join(each.receipt_number for each in open_ones),
        )
    ]
    if overdue:
        found.append(
            RiskSignal(
                "§7.305(d)(2)(ii)",
                "overdue_certification_resubmission",
                len(overdue),
                "Deficient certification(s) not resubmitted by the end of the "
                f"{clocks.get(RESUBMISSION_CLOCK).days}-day period: "
                + ", ".join(f"{each.receipt_number} (due {each.due_on})" for each in overdue),
            )
        )
    return found
