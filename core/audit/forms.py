"""Filters for the audit trail page."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from core.input_hygiene import Form


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField(
        "Action", choices=[SelectChoice("", "Any action")], validators=[Optional()]
    )
    actor = StringField(
        "Who (email contains)",
        validators=[Optional(), Length(max=254, message="At most 254 characters.")],
    )
    outcome = SelectField(
        "Outcome",
        choices=[
            SelectChoice("", "Any"),
            SelectChoice("success", "Success"),
            SelectChoice("failure", "Failure"),
            SelectChoice("denied", "Denied"),
        ],
        validators=[Optional()],
    )
    subject_type = StringField(
        "Subject type", validators=[Optional(), Length(max=60, message="At most 60 characters.")]
    )
    subject_id = StringField(
        "Subject id", validators=[Optional(), Length(max=60, message="At most 60 characters.")]
    )
    from_on = DateField(
        "From (YYYY-MM-DD)",
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    through_on = DateField(
        "Through (YYYY-MM-DD)",
        validators=[Optional()],
        format="%Y-%m-%d",
    )

    def validate_through_on(self, field: DateField) -> None:
        if field.data and self.from_on.data and field.data < self.from_on.data:
            raise ValidationError("The end date must not be before the start date.")
