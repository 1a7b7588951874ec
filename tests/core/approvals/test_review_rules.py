"""Who may decide a review and what an approval binds to (no database)."""

import pytest

from core.approvals import rules
from core.approvals.rules import ReviewState
from core.auth.rules import Role
from core.errors import IllegalTransition


def test_only_a_reviewer_who_did_not_draft_may_decide():
    rules.check_reviewer(drafter_id=1, reviewer_id=2, reviewer_role=Role.REVIEWER)
    with pytest.raises(rules.SelfApproval):
        rules.check_reviewer(drafter_id=2, reviewer_id=2, reviewer_role=Role.REVIEWER)
    with pytest.raises(rules.NotAReviewer):
        rules.check_reviewer(drafter_id=1, reviewer_id=2, reviewer_role=Role.ANALYST)


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (ReviewState.IN_REVIEW, ReviewState.APPROVED, True),
        (ReviewState.IN_REVIEW, ReviewState.RETURNED, True),
        (ReviewState.APPROVED, ReviewState.VOIDED, True),
        (ReviewState.APPROVED, ReviewState.RETURNED, False),
        (ReviewState.RETURNED, ReviewState.APPROVED, False),
        (ReviewState.VOIDED, ReviewState.APPROVED, False),
    ],
)
def test_the_table_of_transitions(current, wanted, allowed):
    if allowed:
        rules.check_transition(current, wanted)
    else:
        with pytest.raises(IllegalTransition):
            rules.check_transition(current, wanted)


def test_the_content_hash_follows_the_content_not_its_key_order():
    draft = {"finding": "(a)(3)(i)", "measure": "prohibition", "summary": "…"}
    assert rules.content_hash(draft) == rules.content_hash(dict(reversed(draft.items())))
    assert rules.content_hash(draft) != rules.content_hash({**draft, "measure": "conditions"})
