"""Putting a domain error on the form the user sent, next to the field it is about."""

from __future__ import annotations

from collections.abc import Callable

from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from core.db import db
from core.errors import DomainError, IllegalTransition, InvalidInput


def attach(form: FlaskForm, error: DomainError, *, field: str | None = None) -> None:
    """Field-level messages go to their fields; anything else goes to ``field`` if named, else
    to the form as a whole (shown in the error summary)."""
    problems = (
        error.field_errors if isinstance(error, InvalidInput) else {field or "": [str(error)]}
    )
    for name, messages in problems.items():
        target = _field_named(form, name) if name else None
        if target is not None:
            target.errors = [*target.errors, *messages]
        else:
            form.form_errors.extend(messages)


def _field_named(form: FlaskForm, name: str) -> Field | None:
    """The field of that name, also within a list of rows ("violations-0-paragraph")."""
    if name in form._fields:
        return form._fields[name]
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField) and name.startswith(entry.name + "-"):
                    return _field_named(entry.form, name.removeprefix(entry.name + "-"))
    return None


def handle(
    form: FlaskForm,
    act: Callable[[], ResponseReturnValue],
    *,
    page: Callable[[FlaskForm], str],
    error_field: str | None = None,
) -> ResponseReturnValue:
    """The shape of every form post: check the input's shape, let ``act`` call the service and
    answer (it redirects, and the request commits: core.transactions), or show ``page`` again
    with the refusal next to its field: 422 after a post, 200 when the page is first shown.
    Nothing is half-stored. A step the
    record's state no longer allows is not about a field: it goes to the application's handler,
    which says so at the top of the record's page."""
    if form.validate_on_submit():
        try:
            return act()
        except IllegalTransition:
            raise
        except DomainError as error:
            db.session.rollback()
            attach(form, error, field=error_field)
    return page(form), (422 if form.is_submitted() else 200)
