"""The forms of the administrators' pages of accounts: the shape of input only."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.auth.forms import email_field
from core.auth.rules import CONSULTED_AGENCIES, Role
from core.input_hygiene import Form

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]
AGENCY_HINT = (
    f"Liaisons only: {', '.join(CONSULTED_AGENCIES)}, or another agency's name. "
    "Leave it empty for every other role."
)


def _role_field() -> SelectField:
    return SelectField(
        "Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose the person's role.")]
    )


def _agency_field() -> StringField:
    return StringField(
        "Agency",
        description=AGENCY_HINT,
        validators=[Optional(), Length(max=80, message="An agency name is at most 80 characters.")],
    )


class NewAccountForm(Form):
    email = email_field(
        missing="Enter the person's email address.",
        description="Where the enrolment link is sent: the person chooses their own password.",
        autocomplete="off",
    )
    full_name = StringField(
        "Full name",
        validators=[
            DataRequired("Enter the person's full name."),
            Length(max=120, message="A name is at most 120 characters."),
        ],
        render_kw={"autocomplete": "off"},
    )
    role = _role_field()
    agency = _agency_field()


class RoleForm(Form):
    role = _role_field()
    agency = _agency_field()
