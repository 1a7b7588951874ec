"""Two-person review tells the reviewers of a draft waiting for them, never its author, and the
author of the decision; a reviewer's comments reach the inbox, never the email."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.penalties import services as penalties
from core import clocks
from core.auth.rules import Role
from core.db import db
from core.notifications.models import Notification
from tests.factories import commit_and_deliver, make_provider, make_user, notices_of, violations_of
from tests.mailcatcher import html_of, text_of

COMMENTS = "The conduct of Summit Ridge Hosting in RU is not shown; cite the reseller's filings."


def _kinds(user) -> list[str]:
    return [notice.kind for notice in notices_of(user)]


@pytest.fixture
def penalty(mail_app):
    analyst = make_user(Role.ANALYST)
    provider = make_provider("Summit Ridge Hosting, LLC")
    case = penalties.draft_penalty(
        provider, violations=violations_of("a2"), conduct="Never certified its CIP.",
        proposed_amount=10_000, actor=analyst, today=clocks.office_today(),
    )  # fmt: skip
    commit_and_deliver()
    return case


def test_every_active_reviewer_hears_of_a_draft_waiting_and_the_author_does_not(
    penalty, smtp_server
):
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    away = make_user(Role.REVIEWER)
    away.active = False
    other_analyst = make_user(Role.ANALYST)

    penalties.submit_penalty(penalty, actor=penalty.drafted_by)
    commit_and_deliver()

    for reviewer in (first, second):
        [notice] = db.session.scalars(
            select(Notification).where(Notification.user_id == reviewer.id)
        ).all()
        assert notice.kind == "review_awaiting"
        assert notice.link == f"/casework/penalties/{penalty.id}"
        assert "Summit Ridge Hosting" in notice.title  # the inbox names the draft
        [message] = smtp_server.to(reviewer.email)
        assert "A draft awaits your review: penalty, review" in " ".join(message["Subject"].split())
        assert f"/casework/penalties/{penalty.id}" in text_of(message)
        assert "Summit Ridge" not in text_of(message) + html_of(message) + message["Subject"]
    assert _kinds(away) == [] and smtp_server.to(away.email) == []
    assert _kinds(penalty.drafted_by) == [] and _kinds(other_analyst) == []


def test_a_returned_draft_tells_its_author_with_the_comments_in_the_inbox_only(
    penalty, smtp_server
):
    reviewer = make_user(Role.REVIEWER)
    author = penalty.drafted_by
    penalties.submit_penalty(penalty, actor=author)
    commit_and_deliver()

    penalties.decide_penalty(penalty, approve=False, comments=COMMENTS, actor=reviewer)
    commit_and_deliver()

    [notice] = db.session.scalars(select(Notification).where(Notification.user_id == author.id))
    assert notice.kind == "review_returned"
    assert COMMENTS in notice.title and reviewer.full_name in notice.title
    [message] = smtp_server.to(author.email)
    body = text_of(message) + html_of(message) + message["Subject"]
    assert "Your draft was returned" in message["Subject"]
    assert "Summit Ridge" not in body and "reseller's filings" not in body
    assert "The reviewer's comments are in the case system" in text_of(message)
    assert _kinds(reviewer) == ["review_awaiting"]  # the reviewer is not told of their own act


def test_an_approved_draft_tells_its_author_once(penalty, smtp_server):
    reviewer = make_user(Role.REVIEWER)
    author = penalty.drafted_by
    penalties.submit_penalty(penalty, actor=author)
    penalties.decide_penalty(penalty, approve=True, comments="", actor=reviewer)
    commit_and_deliver()

    assert _kinds(author) == ["review_approved"]
    [message] = smtp_server.to(author.email)
    assert "Your draft was approved: penalty" in " ".join(message["Subject"].split())
    assert reviewer.full_name in text_of(message)
