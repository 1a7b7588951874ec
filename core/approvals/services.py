"""Submitting drafts for review, deciding them, and checking an approval still holds."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select

from core import pdf
from core.approvals import notices, rules
from core.approvals.models import Review
from core.approvals.rules import ReviewState
from core.audit.services import DENIED, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition
from core.workflow.rules import State
from core.workflow.services import Stateful, change_state


class ReviewRefused(DomainError):
    pass


def latest_review(subject_type: str, subject_id: object) -> Review | None:
    return db.session.execute(
        select(Review)
        .where(Review.subject_type == subject_type, Review.subject_id == str(subject_id))
        .order_by(Review.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def approval_line(subject_type: str, subject_id: object) -> str | None:
    """Who approved the draft and when, for the approved document; None while not approved."""
    review = latest_review(subject_type, subject_id)
    if review is None or review.state != ReviewState.APPROVED.value or review.reviewer is None:
        return None
    when = f" on {pdf.formal_time(review.decided_at)}" if review.decided_at else ""
    return f"{review.reviewer.full_name}{when}"


def submit_for_review(
    subject: tuple[str, object], *, label: str, content: Mapping[str, Any], actor: User
) -> Review:
    """Send a draft to the reviewers' queue; an earlier open review of it is voided."""
    previous = latest_review(*subject)
    if previous is not None and previous.state_enum in (
        ReviewState.IN_REVIEW,
        ReviewState.APPROVED,
    ):
        _set_state(previous, ReviewState.VOIDED, actor, "resubmitted")
    review = Review(
        subject_type=subject[0],
        subject_id=str(subject[1]),
        subject_label=label,
        content_hash=rules.content_hash(content),
        drafted_by_id=actor.id,
    )
    db.session.add(review)
    db.session.flush()
    record_event(
        "review.submit",
        actor=actor,
        subject=("review", review.id),
        after={"subject": f"{subject[0]}:{subject[1]}", "hash": review.content_hash},
    )
    notices.draft_submitted(review, actor)
    return review


def _set_state(review: Review, state: ReviewState, actor: User, comments: str | None) -> None:
    change_state(
        review, state, rules.ALLOWED, subject_type="review", actor=actor, noun="review",
        comments=comments,
    )  # fmt: skip
    if state in (ReviewState.APPROVED, ReviewState.RETURNED):
        review.reviewer_id, review.decided_at = actor.id, utcnow()
    review.comments = comments or review.comments


def decide(
    review: Review,
    *,
    approve: bool,
    actor: User,
    current_content: Mapping[str, Any],
    comments: str = "",
) -> Review:
    """Approve or return a draft. Refused for the drafter, for non-reviewers, and when the
    draft has changed since it was submitted (the approval must bind to what was read)."""
    try:
        rules.check_reviewer(
            drafter_id=review.drafted_by_id, reviewer_id=actor.id, reviewer_role=actor.role_enum
        )
        if rules.content_hash(current_content) != review.content_hash:
            raise ReviewRefused("The draft changed after it was submitted; it must be resubmitted.")
        if not approve and not comments.strip():
            raise ReviewRefused("Say what must change when returning a draft.")
        _set_state(
            review, ReviewState.APPROVED if approve else ReviewState.RETURNED, actor, comments
        )
    except (rules.SelfApproval, rules.NotAReviewer) as refusal:
        record_event(
            "review.decide", actor=actor, subject=("review", review.id), outcome=DENIED,
            after={"reason": str(refusal)},
        )  # fmt: skip
        raise ReviewRefused(str(refusal)) from refusal
    db.session.flush()
    notices.draft_decided(review, actor, approved=approve)
    return review


def submit_record(
    record: Stateful,
    wanted: State,
    allowed: Mapping[State, Collection[State]],
    *,
    subject_type: str,
    label: str,
    content: Mapping[str, Any],
    actor: User,
) -> Review:
    """Move a record into review (its own state, along its own table) and queue its draft; the
    review's subject is the record itself."""
    change_state(record, wanted, allowed, subject_type=subject_type, actor=actor)
    return submit_for_review((subject_type, record.id), label=label, content=content, actor=actor)


def decide_record(
    record: Stateful,
    allowed: Mapping[State, Collection[State]],
    *,
    subject_type: str,
    approve: bool,
    comments: str,
    actor: User,
    content: Mapping[str, Any],
    approved: State,
    returned: State,
    nothing: str,
) -> None:
    """Decide the review of a record queued by ``submit_record`` and move the record with the
    decision: on to ``approved``, or back to ``returned`` for its drafter. ``nothing`` says why
    there is nothing to decide."""
    review = latest_review(subject_type, record.id)
    if review is None:
        raise IllegalTransition(nothing)
    decide(review, approve=approve, actor=actor, current_content=content, comments=comments)
    wanted = approved if approve else returned
    change_state(record, wanted, allowed, subject_type=subject_type, actor=actor)


def approval_holds(subject_type: str, subject_id: object, content: Mapping[str, Any]) -> bool:
    """Whether the subject's latest review approved exactly ``content``."""
    review = latest_review(subject_type, subject_id)
    return (
        review is not None
        and review.state_enum is ReviewState.APPROVED
        and review.content_hash == rules.content_hash(content)
    )


def void_if_changed(
    subject_type: str, subject_id: object, content: Mapping[str, Any], *, actor: User
) -> bool:
    """A material change after approval voids it and sends the draft back to review."""
    review = latest_review(subject_type, subject_id)
    if review is None or review.state_enum is not ReviewState.APPROVED:
        return False
    if review.content_hash == rules.content_hash(content):
        return False
    _set_state(review, ReviewState.VOIDED, actor, "changed after approval")
    return True


def withdraw_from_review(
    subject_type: str, subject_id: object, *, actor: User, reason: str
) -> Review | None:
    """The case a draft belongs to ended before the draft took effect (a request withdrawn, a
    case closed): a draft waiting for a reviewer leaves the queue, and an approval not yet acted
    on no longer holds. The voided review, if any."""
    review = latest_review(subject_type, subject_id)
    if review is None or review.state_enum not in (ReviewState.IN_REVIEW, ReviewState.APPROVED):
        return None
    _set_state(review, ReviewState.VOIDED, actor, reason)
    return review


def queue() -> list[Review]:
    """Drafts waiting for a reviewer, oldest first."""
    return list(
        db.session.execute(
            select(Review)
            .where(Review.state == ReviewState.IN_REVIEW.value)
            .order_by(Review.submitted_at, Review.id)
        ).scalars()
    )
