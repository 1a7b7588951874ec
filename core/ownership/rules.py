"""Who may take or give a case, and whether a deadline follows its case's owner. Pure."""

from __future__ import annotations

from core.auth.rules import Role

# Analysts and reviewers give a case to an analyst (or to nobody); an analyst takes one.
REASSIGNERS = frozenset({Role.ANALYST, Role.REVIEWER})
TAKERS = frozenset({Role.ANALYST})
# Who may own a case: an analyst, whose work it is (docs/architecture.md §1).
OWNER_ROLE = Role.ANALYST

CLOSED = "{label} is {state}: a closed case is not reassigned."


def may_reassign(role: Role, *, case_open: bool) -> bool:
    return role in REASSIGNERS and case_open


def may_take(role: Role, *, case_open: bool, owner_id: int | None, actor_id: int) -> bool:
    """An analyst takes an open case that is not already theirs."""
    return role in TAKERS and case_open and owner_id != actor_id


def owns_on_opening(role: Role) -> bool:
    """The opener owns the case they open when they are an analyst; anyone else leaves it to be
    taken (an exemption case opened by a provider's filing has nobody until an analyst takes
    it)."""
    return role is OWNER_ROLE


def may_own(role: Role, *, active: bool) -> bool:
    return role is OWNER_ROLE and active


def follows_owner(*, is_open: bool, assigned_by_hand: bool) -> bool:
    """Whether a case's deadline moves with the case's owner: while it is open, unless someone
    gave it to a person of their choosing (core.deadlines.services.assign_deadline)."""
    return is_open and not assigned_by_hand


def owner_name(name: str | None) -> str:
    return name or "Nobody"
