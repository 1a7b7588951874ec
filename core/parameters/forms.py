"""Form for a new effective-dated value of a rule parameter."""

from __future__ import annotations

from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form


class ParameterValueForm(Form):
    value = StringField(
        "New value",
        validators=[
            DataRequired("Enter the new value."),
            Length(max=40, message="At most 40 characters."),
        ],
        description="A whole number: 180, 1e26 or 10^26, 377,700.",
    )
    effective_from = DateField(
        "Effective from (YYYY-MM-DD)",
        validators=[DataRequired("Enter the date the value takes effect, as YYYY-MM-DD.")],
    )
    citation = StringField(
        "Source",
        validators=[
            DataRequired("Cite the source of the value (a rule, notice or statute)."),
            Length(max=200, message="At most 200 characters."),
        ],
        description="For example: 90 FR 3687 (2025-01-15).",
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=2000, message="At most 2,000 characters.")],
    )
