"""The shape of giving a case to someone, of a list's owner filter, and of the teams page."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.input_hygiene import Form

NOBODY_CHOICE = SelectChoice("", "Nobody")
NO_TEAM_CHOICE = SelectChoice("", "No team")


class ReassignForm(Form):
    # Checked by the service (an active analyst, an active team), which names the field.
    owner = SelectField("Owner", choices=[NOBODY_CHOICE], validate_choice=False)
    team = SelectField("Team", choices=[NO_TEAM_CHOICE], validate_choice=False)


class ButtonForm(Form):
    """A button that posts: nothing but its CSRF token (take a case, retire a team)."""


class OwnerFilterField(SelectField):
    """``?owner=``: anyone's (blank), mine, nobody's, or one analyst's; padding forgiven, and
    anything not offered named at the field."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([str(value).strip() for value in valuelist])

    def pre_validate(self, form: Form) -> None:
        if self.data and self.data not in {choice[0] for choice in self.iter_choices()}:
            raise ValidationError("Choose one of the owners listed.")


class OwnerFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    owner = OwnerFilterField("Owner", choices=[SelectChoice("", "Anyone")], validators=[Optional()])


class TeamForm(Form):
    name = StringField(
        "Team name",
        validators=[
            DataRequired("Enter the team's name."),
            Length(max=80, message="At most 80 characters."),
        ],
    )
