"""The base of every web form: what cannot be stored is dealt with before any check runs.

A control character means nothing in a field of a case or a filing, and PostgreSQL cannot keep
U+0000 at all. Free text (a text area; a hidden field, which nobody types) loses its control
characters, keeping tabs and line breaks; a one-line field that has one is refused with a
message at the field, shown with the character taken out. A number beyond what a database
column holds (400 digits, 1e309) is refused the same way.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectField, SelectMultipleField, TextAreaField

from core import control_characters

# The largest value of a BIGINT column, the widest integer either database stores.
MAX_STORED_INTEGER = 2**63 - 1
NUMBER_OUT_OF_RANGE = "Enter a number within range; this one is too large to be a figure."


def _refusal(field: Field) -> str | None:
    found = control_characters.find(field.data)
    if found is None:
        return None
    position, code = found
    field.data = control_characters.strip(field.data, free_text=False)
    return (
        f"This had a control character ({code}, at character {position:,}), which cannot be "
        "kept. It has been taken out: check the text and send it again."
    )


def _out_of_range(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return True
    if isinstance(value, Decimal) and not value.is_finite():
        return True
    return abs(value) > MAX_STORED_INTEGER


def _as_choice(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _read_blanks_as_any(field: Field) -> None:
    # A filter offers no choice with spaces
    # around it: " " typed into an address is its blank choice, "any", never a value a view
    # would take for a state. A form that changes something keeps refusing it as no choice.
    if isinstance(field, SelectMultipleField) and isinstance(field.data, list):
        field.data = [_as_choice(value) for value in field.data]
    elif isinstance(field, SelectField):
        field.data = _as_choice(field.data)


class Form(FlaskForm):
    """A FlaskForm whose fields hold nothing the database cannot store."""

    @property
    def _is_filter(self) -> bool:
        # A filter declares ``class Meta: csrf = False`` (it changes nothing); the setting of
        # the application, which tests turn off for every form, is not what makes one.
        return vars(type(self).Meta).get("csrf") is False

    def post_process(self, formdata: Any = None) -> None:
        super().post_process(formdata)
        for field in self._fields.values():
            message = None
            if self._is_filter:
                _read_blanks_as_any(field)
            if isinstance(field.data, str):
                if isinstance(field, TextAreaField | HiddenField):
                    field.data = control_characters.strip(field.data)
                else:
                    message = _refusal(field)
            elif _out_of_range(field.data):
                field.data = None
                message = NUMBER_OUT_OF_RANGE
            # Kept with the errors of reading the input, so the field's own checks still run
            # and post_process may run again without saying it twice.
            if message and message not in field.process_errors:
                field.process_errors.append(message)
