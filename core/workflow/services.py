"""The audited state change: the one place a record's state is written."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from core.audit.services import record_event
from core.auth.models import User
from core.workflow.rules import State, check_transition, transition_event


class Stateful(Protocol):
    id: Any
    state: Any


def change_state(
    record: Stateful,
    wanted: State,
    allowed: Mapping[State, Collection[State]],
    *,
    subject_type: str,
    actor: User | None,
    noun: str = "case",
    **details: Any,
) -> None:
    """Check the step against ``allowed``, take it, and audit it in the caller's transaction."""
    current = type(wanted)(record.state)
    check_transition(allowed, current, wanted, record=noun)
    record.state = wanted.value
    record_event(
        transition_event(subject_type),
        actor=actor,
        subject=(subject_type, record.id),
        before={"state": current.value},
        after={"state": wanted.value, **details},
    )
