"""Submitting drafts for review, deciding them, and checking an approval still holds."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from core import pdf
from core.approvals import notices, rules
from core.approvals.models import Review
from core.approvals.rules import ReviewState
from core.audit.models import AuditEvent
from core.audit.services import DENIED, record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.workflow import rules as workflow
from core.workflow.rules import Action, State
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


# --- An author's own draft, before review or once returned (docs/architecture.md §5) ----------


def own_draft_facts(author: User | None, actor: User | None) -> dict[str, bool]:
    """The fact an action on a draft needs, for ``actor``: that the draft is theirs."""
    return {
        rules.OWN_DRAFT: rules.is_own_draft(
            author.id if author else None,
            actor.id if actor else None,
            author_active=author.active if author else True,
        )
    }


def authors_only(
    actions: Mapping[str, Action[State]],
    state: State,
    role: Role | None,
    facts: Mapping[str, bool],
) -> frozenset[str]:
    """The actions a page withholds from ``role`` only because the draft is another's: what it
    says the author alone may do now."""
    own = {**facts, rules.OWN_DRAFT: True}
    return workflow.available_actions(actions, state, role, own) - workflow.available_actions(
        actions, state, role, facts
    )


def require_own_draft(
    actions: Mapping[str, Action[State]],
    name: str,
    state: State,
    *,
    author: User | None,
    actor: User,
    facts: Mapping[str, bool] | None = None,
    message: str | None = None,
) -> None:
    """Refuse an action on a draft its page would not offer ``actor``: its state, its facts, and
    the author's alone to take (separation of duties), naming the author to anyone else."""
    workflow.check_action(
        actions, name, state, {**(facts or {}), **own_draft_facts(author, actor)},
        message=message,
        explain={rules.OWN_DRAFT: rules.not_own_draft(author.full_name)} if author else None,
    )  # fmt: skip


def _sealed(draft: Mapping[str, Any]) -> dict[str, Any]:
    return {"draft": dict(draft), "sha256": rules.content_hash(draft)}


def revise_draft(
    subject: tuple[str, object],
    *,
    event: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    content: Mapping[str, Any],
    actor: User,
) -> bool:
    """Audit an author's change to their draft with the draft before and after, each with its
    SHA-256, and void an approval the record's reviewed ``content`` no longer matches, if any
    (the draft goes to review again with its new hash). False when nothing changed."""
    if rules.content_hash(before) == rules.content_hash(after):
        return False
    record_event(event, actor=actor, subject=subject, before=_sealed(before), after=_sealed(after))
    void_if_changed(subject[0], subject[1], content, actor=actor)
    return True


def check_withdrawal(reasons: str) -> None:
    """A draft is withdrawn with the reasons, so that its history says why."""
    if problem := rules.withdrawal_problem(reasons):
        raise InvalidInput({"reasons": [problem]})


def withdraw_draft(
    subject: tuple[str, object],
    *,
    event: str,
    draft: Mapping[str, Any],
    reasons: str,
    content: Mapping[str, Any],
    actor: User,
) -> str:
    """Audit the withdrawal of a draft the record no longer holds: the audit trail keeps it whole
    with its SHA-256 (append-only and chained, §8), so what was withdrawn can be read and shown
    to be what was written. The caller removes it from the record; ``content`` is the record's
    reviewed content without it. The SHA-256 of the withdrawn draft."""
    check_withdrawal(reasons)
    sealed = _sealed(draft)
    record_event(
        event, actor=actor, subject=subject, before=sealed,
        after={"withdrawn": sealed["sha256"], "reasons": reasons.strip()},
    )  # fmt: skip
    void_if_changed(subject[0], subject[1], content, actor=actor)
    return sealed["sha256"]


@dataclass(frozen=True)
class WithdrawnDraft:
    """A draft withdrawn from a record, as its audit event keeps it."""

    withdrawn_at: datetime
    withdrawn_by: str
    reasons: str
    sha256: str
    draft: dict[str, Any]


def withdrawn_drafts(subject: tuple[str, object], event: str) -> list[WithdrawnDraft]:
    """The drafts withdrawn from ``subject`` under ``event``, oldest first: their history."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == event,
            AuditEvent.subject_type == subject[0],
            AuditEvent.subject_id == str(subject[1]),
        )
        .order_by(AuditEvent.seq)
    ).all()
    authors = {
        user.id: user.full_name
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        )
    }
    withdrawn = []
    for audited in events:
        before = json.loads(audited.before_json or "{}")
        after = json.loads(audited.after_json or "{}")
        withdrawn.append(
            WithdrawnDraft(
                audited.occurred_at, authors.get(audited.actor_id) or audited.actor_label,
                after.get("reasons", ""),
                before.get("sha256", ""), before.get("draft", {}),
            )
        )  # fmt: skip
    return withdrawn


def queue() -> list[Review]:
    """Drafts waiting for a reviewer, oldest first."""
    return list(
        db.session.execute(
            select(Review)
            .where(Review.state == ReviewState.IN_REVIEW.value)
            .order_by(Review.submitted_at, Review.id)
        ).scalars()
    )


def returned_to(author: User) -> list[Review]:
    """The author's drafts a reviewer returned and they have not sent again, oldest first."""
    later = aliased(Review)
    return list(
        db.session.execute(
            select(Review)
            .where(
                Review.drafted_by_id == author.id,
                Review.state == ReviewState.RETURNED.value,
                ~exists().where(
                    later.subject_type == Review.subject_type,
                    later.subject_id == Review.subject_id,
                    later.id > Review.id,
                ),
            )
            .order_by(Review.decided_at, Review.id)
        ).scalars()
    )


def waiting_for(reviewer: User) -> int:
    """How many drafts wait for a review the reviewer may give (not their own)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Review)
        .where(Review.state == ReviewState.IN_REVIEW.value, Review.drafted_by_id != reviewer.id)
    )
