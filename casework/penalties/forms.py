"""Forms of a penalty case's pages (shape of input only)."""

from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from casework.forms import DOLLARS_MESSAGE, MAX_DOLLARS, date_field, reasons_field, statement_field
from casework.penalties.rules import PROCEEDING_CITATIONS, VIOLATIONS, ProceedingKind, Violation
from core.input_hygiene import Form
from core.wording import sentence_case

# A notice lists its violations one by one (§7.309(c)(1)); an office notice of more goes in parts.
MAX_VIOLATIONS = 50


class ViolationForm(Form):
    """One violation, on its own row of the notice (§7.309(a), (c)(1))."""

    class Meta:
        csrf = False  # a row of the notice's form, which carries the token

    paragraph = SelectField(
        "Paragraph of §7.309(a)",
        choices=[SelectChoice("", "- Select -")]
        + [SelectChoice(code, f"{cite}: {text}") for code, (cite, text) in VIOLATIONS.items()],
        validators=[Optional()],
    )
    occurred_on = DateField("Date of the violation", validators=[Optional()])
    transaction = StringField(
        "The transaction it rests on (blank if none)",
        validators=[Optional(), Length(max=500, message="At most 500 characters.")],
    )
    transaction_value = IntegerField(
        "Value of that transaction, in whole dollars (blank if none)",
        validators=[Optional(), NumberRange(min=0, max=MAX_DOLLARS, message=DOLLARS_MESSAGE)],
    )

    @property
    def blank(self) -> bool:
        return not (
            self.paragraph.data
            or self.occurred_on.data
            or (self.transaction.data or "").strip()
            or self.transaction_value.data is not None
        )


class PenaltyForm(Form):
    violations = FieldList(FormField(ViolationForm), min_entries=3, max_entries=MAX_VIOLATIONS)
    conduct = statement_field("Explanation of the conduct", "Explain the conduct being penalized.")
    proposed_amount = IntegerField(
        "Proposed penalty, in whole dollars",
        validators=[
            DataRequired("Enter the proposed penalty in whole dollars."),
            NumberRange(min=1, max=MAX_DOLLARS, message=DOLLARS_MESSAGE),
        ],
    )

    def validate_violations(self, field: FieldList) -> None:
        """Every row filled in is whole; blank rows are spare."""
        for entry in field.entries:
            row = entry.form
            if row.blank:
                continue
            if not row.paragraph.data:
                row.paragraph.errors.append("Choose the paragraph of §7.309(a) violated.")
            if row.occurred_on.data is None and not row.occurred_on.errors:
                row.occurred_on.errors.append("Enter the date of the violation, as YYYY-MM-DD.")
        if all(entry.form.blank for entry in field.entries):
            raise ValidationError("List at least one violation of §7.309(a).")
        if any(entry.form.errors for entry in field.entries):
            raise ValidationError("Correct the violations marked below.")

    def violation_lines(self) -> list[Violation]:
        return [
            Violation(
                row.paragraph.data, row.occurred_on.data, (row.transaction.data or "").strip(),
                row.transaction_value.data,
            )
            for row in (entry.form for entry in self.violations.entries)
            if not row.blank
        ]  # fmt: skip


class PersonForm(Form):
    """The respondent when it is neither a provider nor a foreign reseller (§7.309(a))."""

    person_name = StringField(
        "Name of the person",
        validators=[
            DataRequired("Enter the name of the person the penalty is proposed on."),
            Length(max=300, message="At most 300 characters."),
        ],
    )
    person_address = TextAreaField(
        "Address the notice is served at",
        validators=[
            DataRequired("Enter the address the notice is to be served at."),
            Length(max=1_000, message="At most 1,000 characters."),
        ],
    )


class NewPersonPenaltyForm(PenaltyForm, PersonForm):
    pass


class ProceedingForm(Form):
    kind = SelectField(
        "What was done",
        choices=[SelectChoice("", "- Select -")]
        + [
            SelectChoice(kind.name, f"{PROCEEDING_CITATIONS[kind]}: {sentence_case(kind.value)}")
            for kind in ProceedingKind
        ],
        validators=[DataRequired("Choose the referral or the civil action.")],
    )
    started_on = date_field("Date referred or brought", "the date it was referred or brought")
    note = reasons_field("To whom, and what", "Say what was referred or brought, and to whom.")


class ProceedingOutcomeForm(Form):
    outcome_on = date_field("Date of the outcome", "the date of the outcome")
    outcome = reasons_field("Outcome", "Say how it ended.")


class ServeForm(Form):
    served_on = date_field("Date the notice was served", "the date of service")


class PetitionForm(Form):
    received_on = date_field("Date the petition was received", "the date the petition was received")
    summary = statement_field("What the petition argues", "Summarise the petition.")


class FinalDecisionForm(Form):
    decided_on = date_field("Date of the final administrative decision", "the date of the decision")
    decision = statement_field(
        "The decision and its reasons", "State the decision and its reasons."
    )
    final_amount = IntegerField(
        "Penalty imposed, in whole dollars (0 if none)",
        validators=[
            InputRequired("Enter the penalty imposed, 0 if none."),
            NumberRange(min=0, max=MAX_DOLLARS, message=DOLLARS_MESSAGE),
        ],
    )


class WithdrawPenaltyForm(Form):
    reasons = reasons_field("Why the penalty is withdrawn", "Say why the penalty is withdrawn.")
