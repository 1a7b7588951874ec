"""The pure rules of one-time account links and of what nobody does to their own account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.auth.rules import LinkPurpose, link_refusal, own_account_refusal

NOW = datetime(2027, 3, 5, 15, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("purpose", "expires_at", "used_at", "withdrawn_at", "says"),
    [
        (LinkPurpose.ENROLMENT, LATER, None, None, None),
        (LinkPurpose.ENROLMENT, NOW, None, None, "expired: it worked for 72 hours. Ask an admin"),
        (LinkPurpose.PASSWORD_RESET, NOW, None, None, "expired: it worked for 1 hour. Ask for a"),
        (LinkPurpose.PASSWORD_RESET, LATER, NOW, None, "used already"),
        (LinkPurpose.ENROLMENT, NOW, NOW, NOW, "used already"),  # used says more than the rest
        (LinkPurpose.ENROLMENT, LATER, None, NOW, "replaced by a newer one"),
    ],
)
def test_why_a_link_no_longer_works(purpose, expires_at, used_at, withdrawn_at, says):
    refusal = link_refusal(purpose, expires_at=expires_at, used_at=used_at,
                           withdrawn_at=withdrawn_at, now=NOW)  # fmt: skip
    assert refusal == says if says is None else says in refusal


@pytest.mark.parametrize("action", ["role", "deactivate", "second_factor"])
def test_nobody_acts_on_their_own_account(action):
    assert "Nobody" in own_account_refusal(action, actor_id=7, user_id=7)
    assert own_account_refusal(action, actor_id=7, user_id=8) is None
    assert own_account_refusal(action, actor_id=None, user_id=8) is None
