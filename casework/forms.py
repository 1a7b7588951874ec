"""Forms of casework pages (shape of input only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from casework.rules import VIOLATIONS, EvidenceKind
from intake.rules import CertificationStatus


class QueueFilterForm(FlaskForm):
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


def _date(label: str, what: str) -> DateField:
    return DateField(label, validators=[DataRequired(f"Enter {what}, as YYYY-MM-DD.")])


class OversightForm(FlaskForm):
    evidence_kind = RadioField(
        "What the evidence indicates (§7.303(e))",
        choices=[SelectChoice(kind.value, kind.value.capitalize()) for kind in EvidenceKind],
        validators=[DataRequired("Choose what the evidence indicates.")],
    )
    evidence = TextAreaField(
        "The evidence",
        validators=[
            DataRequired("Describe the evidence and where it came from."),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )
    received_on = _date("Date the evidence was received", "the date the evidence was received")
    reported_to_authorities = TextAreaField(
        "Reported to authorities (optional)",
        description="Whether and to whom the provider reported the activity, per its CIP "
        "(§7.304(a)(2)(v)).",
        validators=[Optional(), Length(max=5_000, message="At most 5,000 characters.")],
    )


class KnowledgeForm(FlaskForm):
    knowledge_on = _date(
        "Date the provider knew the reseller had not remediated",
        "the date the provider knew",
    )


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        "Outcome",
        choices=[
            SelectChoice("terminated", "The provider terminated the reseller relationship"),
            SelectChoice("remediated", "The reseller remediated the issues"),
        ],
        validators=[DataRequired("Choose the outcome.")],
    )
    outcome_on = _date("Date", "the date of the termination or remediation")
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=5_000, message="At most 5,000 characters.")],
    )


class PenaltyForm(FlaskForm):
    violations = SelectMultipleField(
        "Violations of §7.309(a)",
        choices=[
            SelectChoice(code, f"{cite}: {text}") for code, (cite, text) in VIOLATIONS.items()
        ],
        validators=[DataRequired("Name at least one violation of §7.309(a).")],
    )
    conduct = TextAreaField(
        "Explanation of the conduct",
        validators=[
            DataRequired("Explain the conduct being penalized."),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )
    transaction_value = IntegerField(
        "Value of the transaction that is the basis of the violation, in whole dollars (optional)",
        validators=[Optional(), NumberRange(min=0, message="Enter a whole number of dollars.")],
    )
    proposed_amount = IntegerField(
        "Proposed penalty, in whole dollars",
        validators=[
            DataRequired("Enter the proposed penalty in whole dollars."),
            NumberRange(min=1, message="Enter a whole number of dollars."),
        ],
    )


class ServeForm(FlaskForm):
    served_on = _date("Date the notice was served", "the date of service")


class PetitionForm(FlaskForm):
    received_on = _date("Date the petition was received", "the date the petition was received")
    summary = TextAreaField(
        "What the petition argues",
        validators=[
            DataRequired("Summarise the petition."),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )


class FinalDecisionForm(FlaskForm):
    decided_on = _date("Date of the final administrative decision", "the date of the decision")
    decision = TextAreaField(
        "The decision and its reasons",
        validators=[
            DataRequired("State the decision and its reasons."),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )
    final_amount = IntegerField(
        "Penalty imposed, in whole dollars (0 if none)",
        validators=[
            InputRequired("Enter the penalty imposed, 0 if none."),
            NumberRange(min=0, message="Enter a whole number of dollars."),
        ],
    )
