"""What each module owns: its kinds of case, registered from the module's ``init_app`` (as
kinds of notice are, core.notifications.rules.register_kind), so that the kernel counts, lists
and reassigns cases without importing any module (docs/architecture.md §16)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from core.ownership.models import OwnedCase


@dataclass(frozen=True)
class OwnedKind:
    """A kind of case: its key in addresses (``/owners/<key>/<id>``), what people call it, its
    model (an ``OwnedCase``), the states it is open in, its reference and label as a list shows
    them, its page (``link(str(id))``, the module's subject link), the endpoint of its list,
    which takes ``?owner=``, and the subject type of its deadlines and audit events."""

    key: str
    label: str
    model: type[OwnedCase]
    open_states: frozenset[str]
    reference: Callable[[Any], str]
    subject_label: Callable[[Any], str]
    link: Callable[[str], str]
    list_endpoint: str
    subject_type: str = ""
    # The module the kind belongs to, as the deadline board and the dashboard name them.
    module: str = ""

    @property
    def deadline_subject_type(self) -> str:
        return self.subject_type or self.key

    def is_open(self, case: Any) -> bool:
        return str(case.state) in self.open_states

    def deadline_subject(self, case: Any) -> tuple[str, str]:
        return self.deadline_subject_type, str(case.id)


_kinds: dict[str, OwnedKind] = {}


def register(kind: OwnedKind) -> OwnedKind:
    """Called by each module's ``init_app``; again for another application, it changes nothing."""
    known = _kinds.setdefault(kind.key, kind)
    if known != kind:
        raise ValueError(f"two kinds of case are keyed {kind.key!r}")
    return kind


def open_values(states: Collection[Any]) -> frozenset[str]:
    return frozenset(str(getattr(state, "value", state)) for state in states)


def kinds() -> list[OwnedKind]:
    """Every kind of case, in the order the modules registered them."""
    return list(_kinds.values())


def kind(key: str) -> OwnedKind | None:
    return _kinds.get(key)


def kind_of_subject(subject_type: str) -> OwnedKind | None:
    """The kind whose deadlines and audit events carry ``subject_type``, if any."""
    return next(
        (found for found in _kinds.values() if found.deadline_subject_type == subject_type), None
    )
