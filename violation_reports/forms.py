"""Forms of the public report page and of triage (shape of input only; rules.py decides)."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form
from core.schema import PHONE_EXAMPLE, PHONE_MAX_CHARS
from violation_reports.rules import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_DESCRIPTION_CHARS,
    OUTCOME_LABELS,
    REQUIREMENT_LABELS,
    TIMING_LABELS,
    ReportState,
)


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in labels.items()]


class ReportForm(Form):
    requirement = RadioField(
        "Which requirement do you think is, or will be, broken?",
        choices=_choices(REQUIREMENT_LABELS),
        validators=[DataRequired("Choose a requirement, or “I am not sure”.")],
    )
    timing = RadioField(
        "Has it happened?",
        choices=_choices(TIMING_LABELS),
        validators=[DataRequired("Say whether it may have happened or is likely to.")],
    )
    concerns = StringField(
        "Who is it about? (optional)",
        description="The provider, reseller or person, as you know them.",
        validators=[Optional(), Length(max=300, message="At most 300 characters.")],
    )
    # Length is the rule's (rules.description_problems), so its message is the rule's too;
    # the form only stops a body far beyond it.
    description = TextAreaField(
        "What happened, or is likely to happen?",
        description="The facts or circumstances: who, what, when and where, as far as you know.",
        validators=[Length(max=MAX_DESCRIPTION_CHARS * 2, message="This is far too long.")],
    )
    attachments = MultipleFileField(
        f"Documents (optional; up to {MAX_ATTACHMENTS} PDF or Word .docx files, "
        f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB each)",
    )
    name = StringField(
        "Your name (optional)",
        validators=[Optional(), Length(max=200, message="At most 200 characters.")],
    )
    email = StringField(
        "Your email address (optional)",
        validators=[Optional(), Length(max=254, message="At most 254 characters.")],
    )
    phone = StringField(
        "Your telephone number (optional)",
        description=f"With its country code, e.g. {PHONE_EXAMPLE}.",
        validators=[Optional(), Length(max=PHONE_MAX_CHARS, message="This is too long.")],
    )


class ButtonForm(Form):
    """A button that posts: nothing but its CSRF token."""


class LinkProviderForm(Form):
    # Checked by the service (a provider on record), which names the field.
    provider = SelectField("Provider", choices=[], validate_choice=False)


class LinkResellerForm(Form):
    reseller = SelectField("Foreign reseller", choices=[], validate_choice=False)


class LinkCaseForm(Form):
    case = SelectField("Case", choices=[], validate_choice=False)


class CloseForm(Form):
    outcome = RadioField(
        "Outcome", choices=_choices(OUTCOME_LABELS),
        validators=[DataRequired("Choose the outcome.")],
    )  # fmt: skip
    reasons = TextAreaField(
        "Reasons",
        validators=[
            DataRequired("Say why, for whoever reads the report later."),
            Length(max=10_000, message="At most 10,000 characters."),
        ],
    )


class QueueFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    state = SelectField(
        "State",
        choices=[SelectChoice("", "Open (received or in triage)"), SelectChoice("all", "Any")]
        + [SelectChoice(state.value, state.value.capitalize()) for state in ReportState],
        validators=[Optional()],
    )
