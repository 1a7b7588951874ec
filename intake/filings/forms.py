"""The filters of the filings inbox (shape of input only). A filter is a GET: whatever is typed
into the address gives a message at its field, never an error page."""

from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from core.input_hygiene import Form
from intake import kinds
from intake.filings.rules import (
    CHANNEL_SHOWN,
    REVIEW_CHOICES,
    TIMELINESS_CHOICES,
    WARNING_CHOICES,
    range_reversed,
)
from intake.forms import FilterChoiceField, FilterDateField, stripped


def _any(label: str) -> list[SelectChoice]:
    return [SelectChoice("", label)]


class FilingFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kind = FilterChoiceField(
        "Kind of filing",
        _any("Any kind")
        + [SelectChoice(spec.kind.value, f"{spec.title} ({spec.citation})")
           for spec in kinds.KINDS.values()],
        unknown="Choose one of the kinds of filing listed.",
    )  # fmt: skip
    provider = StringField(
        "Provider (name contains)",
        filters=[stripped],
        validators=[Optional(), Length(max=200, message="At most 200 characters.")],
    )
    channel = FilterChoiceField(
        "Channel",
        _any("Any channel")
        + [SelectChoice(value, label) for value, label in CHANNEL_SHOWN.items()],
        unknown="Choose one of the channels listed.",
    )
    timeliness = FilterChoiceField(
        "Timeliness",
        _any("Any") + [SelectChoice(value, label) for value, label in TIMELINESS_CHOICES],
        unknown="Choose one of the timeliness values listed.",
    )
    warnings = FilterChoiceField(
        "Warnings",
        _any("With or without") + [SelectChoice(value, label) for value, label in WARNING_CHOICES],
        unknown="Choose with or without warnings.",
    )
    review = FilterChoiceField(
        "Review (§7.305(b))",
        _any("Any") + [SelectChoice(value, label) for value, label in REVIEW_CHOICES],
        unknown="Choose one of the review outcomes listed.",
    )
    received_from = FilterDateField("Received from")
    received_through = FilterDateField("Received through")

    def validate_received_through(self, field: DateField) -> None:
        if range_reversed(self.received_from.data, field.data):
            raise ValidationError("The end date must not be before the start date.")
