"""Forms of casework pages (shape of input only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from intake.rules import CertificationStatus


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    name = StringField(
        "Name contains", validators=[Optional(), Length(max=200, message="At most 200 characters.")]
    )
    certification = SelectField(
        "Certification",
        choices=[SelectChoice("", "Any")]
        + [SelectChoice(status.value, status.value.capitalize()) for status in CertificationStatus],
        validators=[Optional()],
    )
    minimum_score = IntegerField(
        "Score at least",
        validators=[
            Optional(),
            NumberRange(min=0, max=1_000_000, message="Enter a whole number from 0."),
        ],
    )
