"""The machinery every record's state table runs on. Each module keeps its own states, its table of
allowed steps and its table of actions in its ``rules.py``; this module checks a step against the
table and says which actions a person may take now, so that the screens offer what the services
accept and nothing else. Pure."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from core.auth.rules import Role
from core.errors import IllegalTransition

State = TypeVar("State", bound=enum.Enum)

# One name for every audited state change: "<subject type>.transition", the state before and
# after in the event's before/after, and whatever the step adds (reasons, dates) with the after.
TRANSITION_EVENT = "{subject_type}.transition"


def transition_event(subject_type: str) -> str:
    return TRANSITION_EVENT.format(subject_type=subject_type)


def check_transition(
    allowed: Mapping[State, Collection[State]],
    current: State,
    wanted: State,
    *,
    record: str = "case",
) -> None:
    """Refuse a step the table does not allow from ``current`` (a stale page, a second click)."""
    if wanted not in allowed[current]:
        raise IllegalTransition(
            f"This {record} now stands at “{current}”, from which it cannot move to “{wanted}”."
        )


def open_states(allowed: Mapping[State, Collection[State]]) -> frozenset[State]:
    """The states a record may still move on from: its case is open in them, and ended in the
    states its table leads nowhere from."""
    return frozenset(state for state, nexts in allowed.items() if nexts)


def leading_to(allowed: Mapping[State, Collection[State]], end: State) -> frozenset[State]:
    """The states from which a record may end at ``end`` in one step."""
    return frozenset(state for state, nexts in allowed.items() if end in nexts)


# --- Actions a person may take ---------------------------------------------------------------


@dataclass(frozen=True)
class Action(Generic[State]):
    """Something a person does to a record: the roles whose routes take it (the page offers it to
    no one else), the states it is taken from, and the facts about the record it needs, each
    with the message that says what is missing."""

    roles: frozenset[Role]
    states: frozenset[State]
    needs: Mapping[str, str] | None = None

    def refusal(self, state: State, facts: Mapping[str, bool]) -> str | None:
        """Why the record's state or facts refuse the action now, or None."""
        if state not in self.states:
            return f"This step is not open while the record stands at “{state}”."
        return next((m for fact, m in (self.needs or {}).items() if not facts.get(fact)), None)


def available_actions(
    actions: Mapping[str, Action[State]],
    state: State,
    role: Role | None,
    facts: Mapping[str, bool] | None = None,
) -> frozenset[str]:
    """The names of the actions ``role`` may take on a record in ``state``: what its page offers."""
    return frozenset(
        name
        for name, action in actions.items()
        if role in action.roles and action.refusal(state, facts or {}) is None
    )


def check_action(
    actions: Mapping[str, Action[State]],
    name: str,
    state: State,
    facts: Mapping[str, bool] | None = None,
    *,
    message: str | None = None,
    explain: Mapping[str, str] | None = None,
) -> None:
    """Refuse an action the record's page would not offer now. ``message`` says why the state
    refuses it in the action's own words, ``explain`` a missing fact's; the role is the route's
    and the service's to check."""
    action = actions[name]
    if state not in action.states:
        raise IllegalTransition(message or action.refusal(state, {}) or "")
    facts = facts or {}
    for fact, reason in (action.needs or {}).items():
        if not facts.get(fact):
            raise IllegalTransition((explain or {}).get(fact, reason))
