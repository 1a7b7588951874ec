"""Domain errors raised by rules and services; views turn them into form errors or 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse, with a message fit to show the user."""


class InvalidInput(DomainError):
    """Input that breaks a rule, with messages per form field (``""`` for the whole form)."""

    def __init__(self, field_errors: dict[str, list[str]]):
        self.field_errors = field_errors
        super().__init__("; ".join(m for messages in field_errors.values() for m in messages))


class NotFound(DomainError):
    pass


class IllegalTransition(DomainError):
    """A step the record's current state does not allow: a form from a page that has gone stale,
    a second click. Every module's state tables raise it (or a subclass); the application answers
    it once, with a message at the top of the record's page, or 409 under /api/."""
