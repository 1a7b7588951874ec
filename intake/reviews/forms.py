"""The review of a certification (shape of input only; the paragraphs offered depend on the
kind of filing, so the view sets them)."""

from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from core.input_hygiene import Form
from intake.reviews.paragraphs import Catalogue
from intake.reviews.rules import MAX_REASONS, OUTCOME_LABELS, Reason


class ReviewForm(Form):
    outcome = RadioField(
        "Outcome of the review (§7.305(b))",
        choices=[SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        # Checked against the outcomes by intake.reviews.rules, with its message.
        validate_choice=False,
        validators=[Optional()],
    )

    def offer(self, catalogue: Catalogue[str, tuple[str, str]]) -> None:
        choices = [SelectChoice("", "- Select -")] + [
            SelectChoice(code, f"{citation}: {text}")
            for code, (citation, text) in catalogue.items()
        ]
        for index in range(1, MAX_REASONS + 1):
            self[f"reason_{index}_paragraph"].choices = choices

    def reasons(self) -> list[Reason]:
        return [
            Reason(
                self[f"reason_{index}_paragraph"].data or "",
                self[f"reason_{index}_text"].data or "",
            )
            for index in range(1, MAX_REASONS + 1)
        ]

    def reason_rows(self) -> list[tuple[object, object]]:
        return [
            (self[f"reason_{index}_paragraph"], self[f"reason_{index}_text"])
            for index in range(1, MAX_REASONS + 1)
        ]


for _index in range(1, MAX_REASONS + 1):
    setattr(
        ReviewForm,
        f"reason_{_index}_paragraph",
        SelectField(
            f"Reason {_index}: the paragraph it falls short of",
            choices=[],
            # The paragraphs a kind of filing may cite are checked by intake.reviews.rules.
            validate_choice=False,
            validators=[Optional()],
        ),
    )
    setattr(
        ReviewForm,
        f"reason_{_index}_text",
        TextAreaField(f"Reason {_index}: how the certification falls short", [Optional()]),
    )
