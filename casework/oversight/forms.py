"""Forms of the oversight pages (shape of input only)."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from casework.forms import date_field, statement_field
from casework.oversight.rules import EVIDENCE_CITATION, EvidenceKind, TerminationTrigger
from core.input_hygiene import Form
from core.wording import sentence_case

NOTE_LIMIT = Length(max=5_000, message="At most 5,000 characters.")


class OversightForm(Form):
    evidence_kind = RadioField(
        "What the evidence indicates (§7.303(e), §7.308(f))",
        choices=[
            SelectChoice(kind.value, f"{sentence_case(kind.value)} ({EVIDENCE_CITATION[kind]})")
            for kind in EvidenceKind
        ],
        validators=[DataRequired("Choose what the evidence indicates.")],
    )
    evidence = statement_field("The evidence", "Describe the evidence and where it came from.")
    received_on = date_field("Date the evidence was received", "the date the evidence was received")
    reported_to_authorities = TextAreaField(
        "Reported to authorities (optional)",
        description="Whether and to whom the provider reported the activity, per its CIP "
        "(§7.304(a)(2)(v)).",
        validators=[Optional(), NOTE_LIMIT],
    )


class KnowledgeForm(Form):
    trigger = RadioField(
        "What the provider knew (§7.303(e))",
        choices=[
            SelectChoice(kind.value, sentence_case(kind.value)) for kind in TerminationTrigger
        ],
        default=TerminationTrigger.NOT_REMEDIATED.value,
        validators=[DataRequired("Choose what the provider knew.")],
    )
    knowledge_on = date_field("Date the provider knew", "the date the provider knew")
    note = TextAreaField("How it knew (optional)", validators=[Optional(), NOTE_LIMIT])


class OutcomeForm(Form):
    outcome = RadioField(
        "Outcome",
        choices=[
            SelectChoice("terminated", "The provider terminated the reseller relationship"),
            SelectChoice("remediated", "The reseller remediated the issues"),
        ],
        validators=[DataRequired("Choose the outcome.")],
    )
    outcome_on = date_field("Date", "the date of the termination or remediation")
    note = TextAreaField("Note (optional)", validators=[Optional(), NOTE_LIMIT])


class StepForm(Form):
    """A step kept as a day and words; which words are required is the service's to say."""

    on = date_field("Date", "the date")
    note = TextAreaField("Details", validators=[Optional(), NOTE_LIMIT])
