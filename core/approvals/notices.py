"""What two-person review tells (docs/architecture.md §5, §12): the reviewers of a draft waiting
for them, its author of the decision. A review's comments and its subject's label may hold
protected facts: the inbox title carries them, the email only the review's number, the kind of
draft and the dates."""

from __future__ import annotations

from core import clocks, subjects
from core.approvals.models import Review
from core.auth.models import User
from core.auth.rules import Role
from core.auth.services import active_users
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for

# Two-person review is the office's own control over the decisions the rule gives it; the
# messages cite the subpart whose decisions are reviewed.
CITATION = "15 CFR part 7, subpart D"


AUTHOR = "the draft's author"
# Each kind is emailed at once until the person chooses otherwise (NoticeKind's default).
REVIEW_AWAITING = register_kind(
    NoticeKind(
        "review_awaiting", "A draft awaiting my review", "every reviewer but the draft's author",
        citation=CITATION,
    )
)  # fmt: skip
REVIEW_RETURNED = register_kind(
    NoticeKind("review_returned", "My draft was returned", AUTHOR, citation=CITATION)
)
REVIEW_APPROVED = register_kind(
    NoticeKind("review_approved", "My draft was approved", AUTHOR, citation=CITATION)
)


def _link(review: Review) -> str:
    # The draft's own page, where it is decided; the queue where its module has none.
    return subjects.path_of(review.subject_type, review.subject_id) or path_for("reviews.queue")


def _mail_context(review: Review) -> dict[str, object]:
    return {
        "review_id": review.id,
        "draft_kind": review.subject_type.replace("_", " "),
        "submitted_on": clocks.office_today(review.submitted_at),
        "citation": CITATION,
    }


def draft_submitted(review: Review, author: User) -> None:
    """Every active reviewer but the author is told a draft waits for them."""
    reviewers = [user for user in active_users(Role.REVIEWER) if user.id != author.id]
    notify(
        reviewers,
        REVIEW_AWAITING.name,
        title=f"Awaiting your review: {review.subject_label} (submitted by {author.full_name})",
        link=_link(review),
        subject=("review", review.id),
        mail_context={**_mail_context(review), "author": author.full_name},
    )


def draft_decided(review: Review, reviewer: User, *, approved: bool) -> None:
    """The author hears of the decision; the reviewer's comments stay in the inbox."""
    author = review.drafted_by
    if approved:
        kind, title = REVIEW_APPROVED, f"Approved by {reviewer.full_name}: {review.subject_label}"
    else:
        kind = REVIEW_RETURNED
        title = (
            f"Returned by {reviewer.full_name}: {review.subject_label}. Comments: {review.comments}"
        )
    notify(
        [author],
        kind.name,
        title=title,
        link=_link(review),
        subject=("review", review.id),
        mail_context={**_mail_context(review), "reviewer": reviewer.full_name},
    )


def _sample() -> dict[str, object]:
    return {
        "review_id": 88,
        "draft_kind": "exemption finding",
        "submitted_on": clocks.office_today(),
        "citation": CITATION,
        "author": "Dana Whitfield",
        "reviewer": "Morgan Reyes",
    }


for _kind in (REVIEW_AWAITING, REVIEW_RETURNED, REVIEW_APPROVED):
    register_sample(_kind.name, _sample)
