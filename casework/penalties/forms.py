"""Forms of a penalty case's pages (shape of input only)."""

from __future__ import annotations

from wtforms import DateField, IntegerField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from casework.forms import DOLLARS_MESSAGE, MAX_DOLLARS
from casework.penalties.rules import VIOLATIONS
from core.input_hygiene import Form


def _date(label: str, what: str) -> DateField:
    return DateField(label, validators=[DataRequired(f"Enter {what}, as YYYY-MM-DD.")])


def _why(label: str, required: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[DataRequired(required), Length(max=5_000, message="At most 5,000 characters.")],
    )


class PenaltyForm(Form):
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
        validators=[Optional(), NumberRange(min=0, max=MAX_DOLLARS, message=DOLLARS_MESSAGE)],
    )
    proposed_amount = IntegerField(
        "Proposed penalty, in whole dollars",
        validators=[
            DataRequired("Enter the proposed penalty in whole dollars."),
            NumberRange(min=1, max=MAX_DOLLARS, message=DOLLARS_MESSAGE),
        ],
    )


class ServeForm(Form):
    served_on = _date("Date the notice was served", "the date of service")


class PetitionForm(Form):
    received_on = _date("Date the petition was received", "the date the petition was received")
    summary = TextAreaField(
        "What the petition argues",
        validators=[
            DataRequired("Summarise the petition."),
            Length(max=20_000, message="At most 20,000 characters."),
        ],
    )


class FinalDecisionForm(Form):
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
            NumberRange(min=0, max=MAX_DOLLARS, message=DOLLARS_MESSAGE),
        ],
    )


class WithdrawPenaltyForm(Form):
    reasons = _why("Why the penalty is withdrawn", "Say why the penalty is withdrawn.")
