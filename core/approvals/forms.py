"""The reviewer's decision on a draft (shape of input only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[
            SelectChoice("approve", "Approve"),
            SelectChoice("return", "Return with comments"),
        ],
        validators=[DataRequired("Choose to approve or return.")],
    )
    comments = TextAreaField(
        "Comments (required when returning)",
        validators=[Optional(), Length(max=10_000, message="At most 10,000 characters.")],
    )
