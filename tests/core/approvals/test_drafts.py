"""An author's own draft (docs/architecture.md §5): only its author changes or withdraws it; each
change is audited with the draft before and after and their SHA-256, and voids an approval of
other content; a withdrawn draft is kept whole, with its hash, in the audit trail."""

import json

import pytest
from sqlalchemy import select

from core.approvals import rules, services
from core.approvals.rules import ReviewState
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.errors import IllegalTransition, InvalidInput
from core.workflow.rules import Action
from tests.factories import make_user

SUBJECT = ("determination", 41)
DRAFT = {"measure": "prohibition", "summary": "Forty incidents traced to resold accounts."}
CHANGED = {**DRAFT, "summary": "Forty-two incidents traced to resold accounts."}


@pytest.mark.parametrize(
    ("author_id", "actor_id", "author_active", "own"),
    [(7, 7, True, True), (7, 8, True, False), (None, 8, True, True), (7, None, True, False),
     (7, 8, False, True), (7, None, False, False), (None, None, True, False)],
    ids=["the author", "another analyst", "nothing drafted yet", "nobody signed in",
         "the author has left", "the author has left, nobody signed in", "nobody at all"],
)  # fmt: skip
def test_a_draft_is_its_authors_and_anyones_to_start(author_id, actor_id, author_active, own):
    assert rules.is_own_draft(author_id, actor_id, author_active=author_active) is own


def test_a_page_says_what_only_the_author_may_do():
    actions = {
        "edit": Action(frozenset({Role.ANALYST}), frozenset({"drafted"}), {rules.OWN_DRAFT: "x"}),
        "submit": Action(frozenset({Role.ANALYST}), frozenset({"drafted"})),
    }
    facts = {rules.OWN_DRAFT: False}
    assert services.authors_only(actions, "drafted", Role.ANALYST, facts) == {"edit"}
    assert services.authors_only(actions, "drafted", Role.REVIEWER, facts) == frozenset()
    assert services.authors_only(actions, "drafted", Role.ANALYST, {rules.OWN_DRAFT: True}) == (
        frozenset()
    )


def _events(action):
    db.session.commit()  # an event is linked into the trail when its transaction commits
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_change_is_audited_before_and_after_with_the_hash_an_approval_binds_to(app):
    analyst = make_user(Role.ANALYST)
    assert services.revise_draft(
        SUBJECT, event="determination.draft_edited", before=DRAFT, after=CHANGED,
        content=CHANGED, actor=analyst,
    )  # fmt: skip
    [event] = _events("determination.draft_edited")
    before, after = json.loads(event.before_json), json.loads(event.after_json)
    assert (before["draft"], after["draft"]) == (DRAFT, CHANGED)
    assert (before["sha256"], after["sha256"]) == (
        rules.content_hash(DRAFT), rules.content_hash(CHANGED)
    )  # fmt: skip
    assert not services.revise_draft(
        SUBJECT, event="determination.draft_edited", before=CHANGED, after=dict(CHANGED),
        content=CHANGED, actor=analyst,
    )  # fmt: skip
    assert len(_events("determination.draft_edited")) == 1


def test_a_change_voids_an_approval_of_the_old_text(app):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    review = services.submit_for_review(SUBJECT, label="Determination 41", content=DRAFT,
                                        actor=analyst)  # fmt: skip
    services.decide(review, approve=True, actor=reviewer, current_content=DRAFT)
    services.revise_draft(
        SUBJECT, event="determination.draft_edited", before=DRAFT, after=CHANGED,
        content=CHANGED, actor=analyst,
    )  # fmt: skip
    assert review.state_enum is ReviewState.VOIDED
    assert not services.approval_holds(*SUBJECT, CHANGED)


def test_a_withdrawn_draft_is_kept_whole_with_its_hash_and_the_reasons(app):
    analyst = make_user(Role.ANALYST)
    with pytest.raises(InvalidInput) as blank:
        services.withdraw_draft(
            SUBJECT, event="determination.draft_withdrawn", draft=DRAFT, reasons="  ",
            content={}, actor=analyst,
        )  # fmt: skip
    assert blank.value.field_errors == {"reasons": ["Say why the draft is withdrawn."]}
    digest = services.withdraw_draft(
        SUBJECT, event="determination.draft_withdrawn", draft=DRAFT,
        reasons="Superseded by the agencies' new evidence.", content={}, actor=analyst,
    )  # fmt: skip
    assert digest == rules.content_hash(DRAFT)
    db.session.commit()
    [kept] = services.withdrawn_drafts(SUBJECT, "determination.draft_withdrawn")
    assert (kept.draft, kept.sha256, kept.withdrawn_by, kept.reasons) == (
        DRAFT, digest, analyst.full_name, "Superseded by the agencies' new evidence."
    )  # fmt: skip
    assert services.withdrawn_drafts(("determination", 42), "determination.draft_withdrawn") == []


def test_anyone_but_the_author_is_refused_by_name(app):
    author, other = make_user(Role.ANALYST), make_user(Role.ANALYST)
    actions = {
        "edit": Action(frozenset({Role.ANALYST}), frozenset({"drafted"}),
                       {rules.OWN_DRAFT: rules.OWN_DRAFT_NEEDED}),
    }  # fmt: skip
    services.require_own_draft(actions, "edit", "drafted", author=author, actor=author)
    with pytest.raises(IllegalTransition, match=f"{author.full_name} wrote this draft; only they"):
        services.require_own_draft(actions, "edit", "drafted", author=author, actor=other)
    with pytest.raises(IllegalTransition, match="in review"):
        services.require_own_draft(
            actions, "edit", "in review", author=author, actor=author, message="It is in review."
        )
