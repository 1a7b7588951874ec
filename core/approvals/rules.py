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
