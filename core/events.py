"""Things that happened in one module that another reacts to, without either importing the
other (DESIGN.md §2): intake announces a filing; special measures screens it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = {}


def subscribe(name: str, handler: Handler) -> None:
    handlers = _handlers.setdefault(name, [])
    if handler not in handlers:  # every application built in one process subscribes again
        handlers.append(handler)


def publish(name: str, **details: Any) -> None:
    """Runs each handler in the caller's transaction: what they write commits or fails with it."""
    for handler in _handlers.get(name, ()):
        handler(**details)
