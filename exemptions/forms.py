"""Forms for working an exemption case (shape of input only; the rules live in rules.py)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.input_hygiene import Form
from exemptions.rules import FACTORS, Assessment, Decision, NoticeKind

TEXT_LIMIT = Length(max=20_000, message="At most 20,000 characters.")
# Agencies that may be added to the four the rule requires (§7.306(e): "or, as the Secretary
# deems appropriate, the heads of other executive departments and agencies").
OPTIONAL_AGENCIES = ("State", "Treasury")


def _date(label: str, what: str) -> DateField:
    return DateField(label, validators=[DataRequired(f"Enter {what}, as YYYY-MM-DD.")])


def _text(label: str, message: str) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(message), TEXT_LIMIT])


class InformationRequestForm(Form):
    questions = _text("What the submitter is asked to provide", "Say what is asked.")
    requested_on = _date("Date of the request", "the date the request is sent")
    respond_by = _date("Respond by", "the date by which the submitter should answer")


class InformationResponseForm(Form):
    response = _text("What the submitter provided", "Summarise the response.")
    responded_on = _date("Date received", "the date the response was received")


class ConsultationForm(Form):
    summary = _text(
        "What the agencies are asked to consider",
        "Summarise the request for the agencies.",
    )
    requested_on = _date("Date of the request", "the date the consultation is sent")
    respond_by = _date("Respond by", "the date by which the agencies should respond")
    optional_agencies = SelectMultipleField(
        "Also consult (optional)",
        choices=[SelectChoice(agency, agency) for agency in OPTIONAL_AGENCIES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[Optional()],
    )


ASSESSMENT_CHOICES = [SelectChoice("", "- Select -")] + [
    SelectChoice(assessment.value, assessment.value.capitalize()) for assessment in Assessment
]


class FindingForm(Form):
    decision = RadioField(
        "Decision",
        choices=[
            SelectChoice(Decision.GRANT.value, "Grant the exemption"),
            SelectChoice(Decision.DENY.value, "Deny the exemption"),
        ],
        validators=[DataRequired("Choose whether to grant or deny the exemption.")],
    )


for _key, _citation, _label in FACTORS:
    setattr(
        FindingForm,
        f"{_key}_assessment",
        SelectField(
            f"{_citation}: assessment",
            choices=ASSESSMENT_CHOICES,
            description=_label,
            validators=[DataRequired(f"Assess this factor ({_citation}).")],
        ),
    )
    setattr(
        FindingForm,
        f"{_key}_reasons",
        _text(f"{_citation}: reasons", f"Give the reasons for this assessment ({_citation})."),
    )


class DecisionForm(Form):
    outcome = RadioField(
        "Your decision",
        choices=[
            SelectChoice("approve", "Approve"),
            SelectChoice("return", "Return to the drafter"),
        ],
        validators=[DataRequired("Choose to approve or return.")],
    )
    comments = TextAreaField("Comments (required when returning)", validators=[TEXT_LIMIT])


class NoticeForm(Form):
    kind = SelectField(
        "Kind of notice",
        choices=[SelectChoice("", "- Select -")]
        + [SelectChoice(kind.value, kind.value.capitalize()) for kind in NoticeKind],
        validators=[DataRequired("Choose the kind of notice.")],
    )
    received_on = _date("Date received", "the date the notice was received")
    summary = _text("What the notice says", "Summarise what the notice says.")


class RevocationForm(Form):
    reasons = _text("Reasons for revoking the exemption", "State the reasons (§7.306(g)).")
    special_measure_reference = StringField(
        "Special-measure case this revocation serves (optional, §7.307)",
        validators=[Optional(), Length(max=100, message="At most 100 characters.")],
    )


class WithdrawalForm(Form):
    withdrawn_on = _date("Date the withdrawal was received", "the date the provider's letter came")
    reasons = _text("Why the provider withdraws its request", "Say why the provider withdraws.")


class AttachmentForm(Form):
    document = FileField(
        "Document (PDF or Word .docx, up to 20 MB)",
        validators=[FileRequired("Choose the file to attach.")],
    )
    description = StringField(
        "What it is",
        validators=[
            DataRequired("Say what the document is."),
            Length(max=300, message="At most 300 characters."),
        ],
    )
