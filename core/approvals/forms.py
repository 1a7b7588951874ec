"""The reviewer's decision on a draft (shape of input only)."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form


class DecisionForm(Form):
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


class WithdrawDraftForm(Form):
    """The author takes their draft off the record, saying why (its history keeps the reasons)."""

    reasons = TextAreaField(
        "Why the draft is withdrawn",
        validators=[
            DataRequired("Say why the draft is withdrawn."),
            Length(max=5_000, message="At most 5,000 characters."),
        ],
    )
