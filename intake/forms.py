"""Forms for the Department's requests, the responses to them and compiled reseller files
(shape of input only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.schema import COUNTRY_CHOICES


class CipRequestForm(FlaskForm):
    reseller = SelectField(
        "Whose CIP",
        choices=[SelectChoice("", "The provider's own CIP (§7.305(a))")],
        validators=[Optional()],
    )
    requested_on = DateField(
        "Date of the request",
        validators=[DataRequired("Enter the date the request was sent, as YYYY-MM-DD.")],
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=2000, message="At most 2,000 characters.")],
    )


class ResponseForm(FlaskForm):
    document = FileField(
        "The CIP as received (PDF or Word .docx, up to 20 MB)",
        validators=[FileRequired("Choose the file the provider sent.")],
    )
    responded_on = DateField(
        "Date received",
        validators=[DataRequired("Enter the date the copy was received, as YYYY-MM-DD.")],
    )


class ResellerUploadForm(FlaskForm):
    compiled_file = FileField(
        "The compiled file (CSV or Excel .xlsx, up to 40 MB)",
        validators=[FileRequired("Choose the compiled file to upload.")],
    )


class ResellerFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    name = StringField(
        "Name contains",
        validators=[Optional(), Length(max=200, message="At most 200 characters.")],
    )
    jurisdiction = SelectField(
        "Jurisdiction",
        choices=[SelectChoice("", "Any jurisdiction")]
        + [SelectChoice(code, f"{code} — {name}") for code, name in COUNTRY_CHOICES],
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            SelectChoice("active", "Active"),
            SelectChoice("ended", "Ended"),
        ],
        validators=[Optional()],
    )
