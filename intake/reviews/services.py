"""Reviewing a certification to an outcome (§7.305(b)): record the review, send a deficiency
as a notice through the channel to providers, open the resubmission clock when the notice
reaches the provider, meet it when the provider resubmits, and tell the risk score."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import clocks, signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import InvalidInput
from core.office import services as office
from core.risk import RiskSignal
from intake.correspondence import services as channel
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind
from intake.models import Filing
from intake.reviews import reports, rules
from intake.reviews.models import CertificationReview
from intake.reviews.paragraphs import citable

SUBJECT = "certification_review"


def get_review(review_id: object) -> CertificationReview | None:
    return db.session.get(CertificationReview, int(review_id)) if str(review_id).isdigit() else None


def review_of(filing: Filing) -> CertificationReview | None:
    return db.session.scalars(
        select(CertificationReview).where(CertificationReview.filing_id == filing.id)
    ).first()


def reviews_of(filing_ids: Iterable[int]) -> dict[int, CertificationReview]:
    """The reviews of the filings listed (a page of the inbox), by filing id, in one query."""
    wanted = list(filing_ids)
    if not wanted:
        return {}
    found = db.session.scalars(
        select(CertificationReview)
        .where(CertificationReview.filing_id.in_(wanted))
        .options(selectinload(CertificationReview.deadline))
    )
    return {review.filing_id: review for review in found}


def standing_of(
    filing: Filing, review: CertificationReview | None, today: date
) -> rules.ReviewStanding | None:
    deadline = review.deadline if review else None
    return rules.standing(
        kind=filing.kind,
        outcome=review.outcome.value if review else None,
        resubmitted_on=review.resubmitted_on if review else None,
        resubmission_due_on=deadline.due_on if deadline else None,
        today=today,
    )


def _superseded(filing: Filing) -> bool:
    return (
        db.session.scalar(select(Filing.id).where(Filing.supersedes_id == filing.id).limit(1))
        is not None
    )


def _reasons_kept(kind: str, reasons: Sequence[rules.Reason]) -> list[dict[str, str]]:
    """The reasons given, each with its citation as the catalogue writes it today."""
    catalogue = citable(kind)
    return [
        {
            "paragraph": reason.paragraph,
            "citation": catalogue[reason.paragraph][0],
            "text": reason.text.strip(),
        }
        for reason in reasons
        if reason.paragraph
    ]


def review_filing(
    filing: Filing,
    *,
    outcome: str,
    reasons: Sequence[rules.Reason],
    actor: User,
    today: date,
) -> CertificationReview:
    """Record the review of a certification; a deficient one is issued to the provider as a
    notice of its shortcomings (§7.305(a)), whose receipt opens the resubmission clock."""
    problems = rules.review_problems(
        filing.kind,
        outcome,
        reasons,
        reviewer_id=actor.id,
        keyed_by_id=filing.keyed_by_id,
        already_reviewed=review_of(filing) is not None,
        superseded=_superseded(filing),
    )
    if problems:
        raise InvalidInput(problems)
    review = CertificationReview(
        filing_id=filing.id,
        provider_id=filing.provider_id,
        outcome=rules.ReviewOutcome(outcome),
        reasons=_reasons_kept(filing.kind, reasons),
        reviewed_on=today,
        reviewed_by_id=actor.id,
    )
    db.session.add(review)
    db.session.flush()
    record_event(
        "filing.review",
        actor=actor,
        subject=("filing", filing.receipt_number),
        after={
            "outcome": review.outcome.value,
            "reasons": [f"{each['citation']}: {each['text']}" for each in review.reasons],
        },
    )
    if review.outcome is rules.ReviewOutcome.DEFICIENT:
        _send_notice(review, actor=actor, today=today)
    # A deficiency weighs on the provider's risk until it is resubmitted (§7.305(d)(2)).
    signals.send(signals.provider_facts_changed, provider_ids=[filing.provider_id])
    return review


def _send_notice(review: CertificationReview, *, actor: User, today: date) -> Correspondence:
    filing = review.filing
    letter = reports.deficiency_notice_pdf(
        filing, review.reasons, review_id=review.id, dated=today,
        office=office.documents(), generated_at=utcnow(),
    )  # fmt: skip
    return channel.issue_to_provider(
        filing.provider,
        CorrespondenceKind.CERTIFICATION_DEFICIENCY,
        title=f"Notice of deficiencies in certification {filing.receipt_number}",
        subject=(SUBJECT, review.id),
        pdf=letter,
        filename=f"deficiency-notice-{review.id}.pdf",
        actor=actor,
        today=today,
    )


def notice_of(review: CertificationReview) -> Correspondence | None:
    return channel.latest_about(SUBJECT, review.id)


def on_correspondence_sent(correspondence: Correspondence, actor: User | None) -> None:
    """The notice reached the provider: its resubmission period starts that day (§7.305(a)),
    unless the provider has resubmitted already."""
    if correspondence.subject_type != SUBJECT or correspondence.sent_on is None:
        return
    review = db.session.get(CertificationReview, int(correspondence.subject_id))
    if review is None or review.deadline_id is not None or review.resubmitted_on is not None:
        return
    reviewer = db.session.get(User, review.reviewed_by_id)
    review.deadline = deadlines.open_deadline(
        rules.RESUBMISSION_CLOCK,
        subject=(SUBJECT, review.id),
        subject_label=f"{review.filing.provider.legal_name}: resubmission of "
        f"{review.filing.receipt_number}",
        start_on=correspondence.sent_on,
        # The delivery job sends it, but the clock is still the reviewer's own doing.
        actor=actor or reviewer,
        assignee=reviewer,
    )
    db.session.flush()
    signals.send(signals.provider_facts_changed, provider_ids=[review.provider_id])


def _open_deficiencies(provider_id: int) -> list[CertificationReview]:
    return list(
        db.session.scalars(
            select(CertificationReview)
            .where(
                CertificationReview.provider_id == provider_id,
                CertificationReview.outcome == rules.ReviewOutcome.DEFICIENT,
                CertificationReview.resubmitted_on.is_(None),
            )
            .order_by(CertificationReview.id)
        )
    )


def on_filing_received(filing: Filing, actor: User | None) -> None:
    """A certification the provider sends resubmits each of its deficient ones it answers: a
    correction of it, or a later certification of the same CIP (rules.resubmits)."""
    if not rules.is_reviewed_kind(filing.kind):
        return
    for review in _open_deficiencies(filing.provider_id):
        notice = notice_of(review)
        if notice is None or review.filing_id == filing.id:
            continue
        if not rules.resubmits(
            deficient_kind=review.filing.kind,
            filing_kind=filing.kind,
            supersedes_deficient=filing.supersedes_id == review.filing_id,
            received_on=filing.received_on,
            notice_issued_on=notice.issued_on,
        ):
            continue
        review.resubmission_id, review.resubmitted_on = filing.id, filing.received_on
        if review.deadline is not None and review.deadline.is_open:
            deadlines.meet_deadline(
                review.deadline,
                # A resubmission made before the notice was recorded as received counts on the
                # clock's first day.
                met_on=max(filing.received_on, review.deadline.started_on),
                actor=actor,
                note=f"Resubmitted as {filing.receipt_number}",
            )
        record_event(
            "filing.resubmission",
            actor=actor,
            subject=("filing", review.filing.receipt_number),
            after={"resubmission": filing.receipt_number, "on": filing.received_on},
        )
        signals.send(signals.provider_facts_changed, provider_ids=[filing.provider_id])
    db.session.flush()


def risk_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Per provider asked about (None: every one): its certifications reviewed as deficient and
    not yet resubmitted, and those whose period has passed (§7.305(d)(2))."""
    query = (
        select(CertificationReview.provider_id, Filing.receipt_number, Deadline.due_on)
        .join(Filing, CertificationReview.filing_id == Filing.id)
        .outerjoin(Deadline, CertificationReview.deadline_id == Deadline.id)
        .where(
            CertificationReview.outcome == rules.ReviewOutcome.DEFICIENT,
            CertificationReview.resubmitted_on.is_(None),
        )
        .order_by(CertificationReview.id)
    )
    if provider_ids is not None:
        query = query.where(CertificationReview.provider_id.in_(list(provider_ids)))
    open_ones: dict[int, list[rules.OpenDeficiency]] = {}
    for provider_id, receipt_number, due_on in db.session.execute(query):
        open_ones.setdefault(provider_id, []).append(rules.OpenDeficiency(receipt_number, due_on))
    return {
        provider_id: rules.deficiency_signals(found, today)
        for provider_id, found in open_ones.items()
    }


def resubmission_clock() -> clocks.Clock:
    return clocks.get(rules.RESUBMISSION_CLOCK)
