"""Filters for the deadline board and the form to record a clock met."""

from __future__ import annotations

from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core import clocks
from core.input_hygiene import Form
from core.navigation import MODULE_LABELS


class BoardFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    module = SelectField(
        "Module",
        choices=[SelectChoice("", "All modules")]
        + [SelectChoice(module, label) for module, label in MODULE_LABELS.items()],
        validators=[Optional()],
    )
    assignee = SelectField(
        "Assignee", choices=[SelectChoice("", "Anyone")], validators=[Optional()]
    )
    clock = SelectField(
        "Clock",
        choices=[SelectChoice("", "All clocks")]
        + [
            SelectChoice(clock.key, f"{clock.title} ({clock.citation})")
            for clock in clocks.CATALOGUE.values()
        ],
        validators=[Optional()],
    )


class MeetDeadlineForm(Form):
    met_on = DateField(
        "Date met",
        validators=[DataRequired("Enter the date the clock was met, as YYYY-MM-DD.")],
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=2000, message="Keep the note under 2,000 characters.")],
    )


class AssignDeadlineForm(Form):
    # No Optional(): it would let a blank that is not the "Nobody" choice (" ") past the
    # choice check; "" is a choice of its own.
    assignee = SelectField("Assign to", choices=[SelectChoice("", "Nobody")])
