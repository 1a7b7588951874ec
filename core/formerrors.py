"""Putting a domain error on the form the user sent, next to the field it is about."""

from __future__ import annotations

from flask_wtf import FlaskForm

from core.errors import DomainError, InvalidInput


def attach(form: FlaskForm, error: DomainError, *, field: str | None = None) -> None:
    """Field-level messages go to their fields; anything else goes to ``field`` if named, else
    to the form as a whole (shown in the error summary)."""
    problems = (
        error.field_errors if isinstance(error, InvalidInput) else {field or "": [str(error)]}
    )
    for name, messages in problems.items():
        target = form._fields.get(name) if name else None
        if target is not None:
            target.errors = [*target.errors, *messages]
        else:
            form.form_errors.extend(messages)
