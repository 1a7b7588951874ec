"""Two-person review as the office uses it: submit, decide, void on change, the queue."""

import pytest
from sqlalchemy import select

from core.approvals import services
from core.approvals.rules import ReviewState
from core.audit import services as audit
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from tests.factories import log_in, make_user

DRAFT = {"finding": "§7.307(a)(3)(i)", "measure": "prohibition", "summary": "Evaluation of …"}
SUBJECT = ("determination", 41)


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER), make_user(Role.REVIEWER)


def _submit(drafter, content=DRAFT):
    review = services.submit_for_review(
        SUBJECT, label="Determination 41", content=content, actor=drafter
    )
    db.session.commit()
    return review


def test_another_reviewer_approves_and_the_approval_holds_for_that_text(people):
    analyst, reviewer, _ = people
    review = _submit(analyst)
    services.decide(review, approve=True, actor=reviewer, current_content=DRAFT)
    db.session.commit()
    assert review.state_enum is ReviewState.APPROVED
    assert services.approval_holds(*SUBJECT, DRAFT)
    assert not services.approval_holds(*SUBJECT, {**DRAFT, "measure": "conditions"})


def test_nobody_approves_their_own_draft_and_the_refusal_is_audited(people):
    _, reviewer, _ = people
    review = _submit(reviewer)
    with pytest.raises(services.ReviewRefused, match="their own draft"):
        services.decide(review, approve=True, actor=reviewer, current_content=DRAFT)
    db.session.commit()
    assert review.state_enum is ReviewState.IN_REVIEW
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "review.decide")
    ).one()
    assert denied.outcome == "denied"


def test_an_analyst_cannot_approve(people):
    analyst, _, _ = people
    review = _submit(make_user(Role.ANALYST))
    with pytest.raises(services.ReviewRefused, match="Only a reviewer"):
        services.decide(review, approve=True, actor=analyst, current_content=DRAFT)


def test_a_draft_changed_since_submission_cannot_be_approved(people):
    analyst, reviewer, _ = people
    review = _submit(analyst)
    with pytest.raises(services.ReviewRefused, match="changed after it was submitted"):
        services.decide(
            review, approve=True, actor=reviewer, current_content={**DRAFT, "summary": "new"}
        )


def test_returning_needs_a_reason(people):
    analyst, reviewer, _ = people
    review = _submit(analyst)
    with pytest.raises(services.ReviewRefused, match="Say what must change"):
        services.decide(review, approve=False, actor=reviewer, current_content=DRAFT)
    services.decide(
        review, approve=False, actor=reviewer, current_content=DRAFT, comments="Cite (b)(3)(ii)(D)."
    )
    assert review.state_enum is ReviewState.RETURNED
    assert review.comments == "Cite (b)(3)(ii)(D)."


def test_a_change_after_approval_voids_it_and_the_draft_goes_back_to_review(people):
    analyst, reviewer, _ = people
    review = _submit(analyst)
    services.decide(review, approve=True, actor=reviewer, current_content=DRAFT)
    changed = {**DRAFT, "measure": "conditions"}
    assert services.void_if_changed(*SUBJECT, changed, actor=analyst)
    assert review.state_enum is ReviewState.VOIDED
    again = _submit(analyst, changed)
    assert services.queue() == [again]


def test_the_queue_page_lists_waiting_drafts_for_staff(client, people):
    analyst, reviewer, _ = people
    _submit(analyst)
    log_in(client, reviewer)
    page = client.get("/reviews/").text
    assert "Determination 41" in page
    assert analyst.full_name in page


def test_a_decision_is_audited_as_the_review_s_transition(people):
    """Every state change is audited under one name, "<subject>.transition", with the state
    before and after; the audit trail offers it among the actions to search by."""
    analyst, reviewer, _ = people
    review = _submit(analyst)
    services.decide(
        review, approve=False, actor=reviewer, current_content=DRAFT, comments="Cite (b)(3)."
    )
    db.session.commit()
    (event,) = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "review.transition", AuditEvent.subject_id == str(review.id)
        )
    )
    assert '"in review"' in event.before_json and '"returned"' in event.after_json
    assert "Cite (b)(3)." in event.after_json
    assert "review.transition" in audit.distinct_actions()
