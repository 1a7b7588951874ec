"""The shape of a notice of §7.309(b) and of its later receipt."""

from __future__ import annotations

from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form
from intake.change_notices.rules import OBLIGATIONS


class ChangeNoticeForm(Form):
    obligation = RadioField(
        "What the notice concerns",
        choices=[
            SelectChoice(obligation.value, f"{label} ({cite})")
            for obligation, (cite, label) in OBLIGATIONS.items()
        ],
        validators=[DataRequired("Choose what the notice concerns (§7.309(b)(1) or (b)(3)).")],
    )
    changed_on = DateField(
        "Date the change took effect",
        validators=[DataRequired("Enter the date the change took effect, as YYYY-MM-DD.")],
    )
    notice_received_on = DateField(
        "Date the provider's notice was received (leave empty if none has come)",
        validators=[Optional()],
    )
    learned_on = DateField(
        "Date the Department learned of the change by other means (optional)",
        validators=[Optional()],
    )
    learned_from = StringField(
        "How the Department learned of it (§7.305(c))",
        validators=[Optional(), Length(max=300, message="At most 300 characters.")],
    )
    summary = TextAreaField(
        "What changed",
        validators=[
            DataRequired("Summarise the change."),
            Length(max=5000, message="At most 5,000 characters."),
        ],
    )


class ReceiptForm(Form):
    received_on = DateField(
        "Date the provider's notice was received",
        validators=[DataRequired("Enter the date the notice was received, as YYYY-MM-DD.")],
    )
