"""The form on which an agency's position is recorded."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.consultations.rules import Position
from core.input_hygiene import Form


class PositionForm(Form):
    position = SelectField(
        "The agency's position",
        choices=[SelectChoice("", "- Select -")]
        + [SelectChoice(position.value, position.value.capitalize()) for position in Position],
        validators=[DataRequired("Choose the agency's position.")],
    )
    comments = TextAreaField(
        "Comments, conditions or reasons",
        validators=[Optional(), Length(max=10_000, message="At most 10,000 characters.")],
    )


class AttachmentForm(Form):
    document = FileField(
        "A document from the agency (PDF or Word .docx, up to 20 MB)",
        validators=[FileRequired("Choose the document to attach.")],
    )
