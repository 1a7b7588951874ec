"""Who may take or give a case, and whether a deadline follows its case's owner."""

from __future__ import annotations

import pytest

from core.auth.rules import Role
from core.ownership import rules


@pytest.mark.parametrize("role", list(Role))
def test_analysts_and_reviewers_reassign_an_open_case_and_nobody_a_closed_one(role):
    allowed = role in (Role.ANALYST, Role.REVIEWER)
    assert rules.may_reassign(role, case_open=True) is allowed
    assert rules.may_reassign(role, case_open=False) is False


def test_only_an_analyst_takes_an_open_case_that_is_not_already_theirs():
    assert rules.may_take(Role.ANALYST, case_open=True, owner_id=None, actor_id=7)
    assert rules.may_take(Role.ANALYST, case_open=True, owner_id=3, actor_id=7)
    assert not rules.may_take(Role.ANALYST, case_open=True, owner_id=7, actor_id=7)
    assert not rules.may_take(Role.ANALYST, case_open=False, owner_id=None, actor_id=7)
    assert not rules.may_take(Role.REVIEWER, case_open=True, owner_id=None, actor_id=7)


def test_only_an_active_analyst_owns_a_case_and_an_opener_owns_it_if_an_analyst():
    assert rules.may_own(Role.ANALYST, active=True)
    assert not rules.may_own(Role.ANALYST, active=False)
    assert not rules.may_own(Role.REVIEWER, active=True)
    assert rules.owns_on_opening(Role.ANALYST)
    assert not rules.owns_on_opening(Role.ADMIN)


def test_an_open_deadline_follows_its_owner_unless_assigned_by_hand():
    assert rules.follows_owner(is_open=True, assigned_by_hand=False)
    assert not rules.follows_owner(is_open=True, assigned_by_hand=True)
    assert not rules.follows_owner(is_open=False, assigned_by_hand=False)
