"""Forms of casework pages (shape of input only)."""

from __future__ import annotations

from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from casework.rules import (
    CIP_REQUIREMENTS,
    FURTHER_ACTIONS,
    RECOMMENDATION_KINDS,
    AssessmentOrigin,
)
from core.input_hygiene import Form
from intake.correspondence.forms import sending_field
from intake.rules import CertificationStatus

# The amounts are stored as 64-bit integers; a trillion dollars is beyond any transaction or
# penalty the office will see, and keeps a mistyped figure from reaching the database.
MAX_DOLLARS = 10**12
DOLLARS_MESSAGE = "Enter a whole number of dollars, up to one trillion."


class QueueFilterForm(Form):
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


def date_field(label: str, what: str) -> DateField:
    return DateField(label, validators=[DataRequired(f"Enter {what}, as YYYY-MM-DD.")])


def statement_field(label: str, required: str) -> TextAreaField:
    """A required statement of a case (conduct, evidence, a decision), up to 20,000 characters."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(required),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )


def reasons_field(label: str, required: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[DataRequired(required), Length(max=5_000, message="At most 5,000 characters.")],
    )


class AssessmentOpenForm(Form):
    origin = SelectField(
        "Opened from (§7.305(e)(1))",
        choices=[
            SelectChoice(origin.name, origin.value.capitalize())
            for origin in AssessmentOrigin
            if origin is not AssessmentOrigin.FOLLOW_UP
        ],
        validators=[DataRequired("Choose where the assessment comes from.")],
    )
    scope = TextAreaField(
        "Scope",
        validators=[
            DataRequired("Say what the assessment covers."),
            Length(max=10_000, message="At most 10,000 characters."),
        ],
    )
    origin_note = TextAreaField(
        "Note on the origin (optional)",
        validators=[Optional(), Length(max=5_000, message="At most 5,000 characters.")],
    )


class InformationRequestForm(Form):
    requested_on = date_field("Date of the request", "the date the request was sent")
    sent_by = sending_field()
    note = TextAreaField(
        "What is asked (optional)",
        validators=[Optional(), Length(max=2_000, message="At most 2,000 characters.")],
    )


class FindingForm(Form):
    requirement = SelectField(
        "Requirement the CIP falls short of",
        choices=[SelectChoice("", "- Select -")]
        + [
            SelectChoice(code, f"{cite}: {text}") for code, (cite, text) in CIP_REQUIREMENTS.items()
        ],
        validators=[DataRequired("Choose the requirement of §7.302 it falls short of.")],
    )
    shortcoming = TextAreaField(
        "The shortcoming",
        validators=[
            DataRequired("Describe the shortcoming."),
            Length(max=10_000, message="At most 10,000 characters."),
        ],
    )
    recommendation_kind = SelectField(
        "Kind of recommendation (§7.305(f)(1))",
        choices=[SelectChoice("", "- Select -")]
        + [
            SelectChoice(code, f"{cite}: {text}")
            for code, (cite, text) in RECOMMENDATION_KINDS.items()
        ],
        validators=[DataRequired("Choose the kind of recommendation.")],
    )
    recommendation = TextAreaField(
        "Recommended remediation",
        validators=[
            DataRequired("Describe the remediation recommended."),
            Length(max=10_000, message="At most 10,000 characters."),
        ],
    )


class SubmitAssessmentForm(Form):
    resubmission_days = IntegerField(
        "Days the provider has to resolve the shortcomings and resubmit (§7.305(a))",
        description="Leave empty for the office default (rule parameter).",
        validators=[Optional(), NumberRange(min=1, max=730, message="From 1 to 730 days.")],
    )


class IssueAssessmentForm(Form):
    issued_on = date_field("Date the report was issued to the provider", "the date of issue")


class ResubmissionForm(Form):
    receipt_number = StringField(
        "Receipt number of the resubmitted CIP",
        validators=[
            DataRequired("Give the receipt number of the provider's resubmitted CIP."),
            Length(max=24, message="At most 24 characters."),
        ],
    )


class CloseAssessmentForm(Form):
    note = reasons_field("Closing note", "Say why the assessment can close.")


class FurtherActionForm(Form):
    action = SelectField(
        "Action",
        choices=[SelectChoice("", "- Select -")]
        + [SelectChoice(code, f"{cite}: {text}") for code, (cite, text) in FURTHER_ACTIONS.items()],
        validators=[DataRequired("Choose the action.")],
    )
    note = reasons_field("Details", "Say what is requested or referred, and why.")
