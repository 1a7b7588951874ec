"""States of a review, who may decide it, and what an approval is bound to. Pure."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from core.auth.rules import Role
from core.workflow import rules as workflow


class ReviewState(enum.StrEnum):
    IN_REVIEW = "in review"
    APPROVED = "approved"
    RETURNED = "returned"
    VOIDED = "voided"  # the draft changed after approval; it must be reviewed again


ALLOWED: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.IN_REVIEW: frozenset(
        {ReviewState.APPROVED, ReviewState.RETURNED, ReviewState.VOIDED}
    ),
    ReviewState.APPROVED: frozenset({ReviewState.VOIDED}),
    ReviewState.RETURNED: frozenset(),
    ReviewState.VOIDED: frozenset(),
}

REVIEWERS = frozenset({Role.REVIEWER})


# A review is decided while it is in review; the route is the reviewers' and the service refuses
# the drafter (separation of duties, check_reviewer).
ACTIONS: dict[str, workflow.Action[ReviewState]] = {
    "decide": workflow.Action(REVIEWERS, frozenset({ReviewState.IN_REVIEW})),
}


# A draft is its author's until it goes to review, and again once a reviewer returns it; nobody
# changes or withdraws another's draft (separation of duties, docs/architecture.md §5). The fact
# the actions that change or withdraw a draft need, and what is said to anyone else.
OWN_DRAFT = "own_draft"
OWN_DRAFT_NEEDED = "Only the analyst who wrote this draft may change or withdraw it."


def is_own_draft(
    author_id: int | None, actor_id: int | None, *, author_active: bool = True
) -> bool:
    """Whether ``actor_id`` may change the draft: its author, or anyone while none is written,
    or once its author's account is deactivated (someone who has left the office leaves their
    drafts to be carried on or withdrawn; the review still needs another person)."""
    if actor_id is None:
        return False
    return author_id is None or author_id == actor_id or not author_active


def not_own_draft(author_name: str) -> str:
    """Why someone other than the author is refused, naming the author to ask."""
    return (
        f"{author_name} wrote this draft; only they may change or withdraw it (nobody changes "
        "another's draft)."
    )


def withdrawal_problem(reasons: str) -> str | None:
    if not reasons.strip():
        return "Say why the draft is withdrawn."
    return None


class SelfApproval(ValueError):
    pass


class NotAReviewer(ValueError):
    pass


def check_transition(current: ReviewState, wanted: ReviewState) -> None:
    workflow.check_transition(ALLOWED, current, wanted, record="review")


def check_reviewer(*, drafter_id: int, reviewer_id: int, reviewer_role: Role) -> None:
    """Separation of duties: only a reviewer decides, and never on their own draft."""
    if reviewer_role not in REVIEWERS:
        raise NotAReviewer("Only a reviewer may approve or return a draft.")
    if drafter_id == reviewer_id:
        raise SelfApproval("Nobody may approve or return their own draft.")


def content_hash(content: Mapping[str, Any]) -> str:
    """What an approval is bound to: the draft's content, spelled one way."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
