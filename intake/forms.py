"""Forms for the Department's requests, the responses to them and compiled reseller files
(shape of input only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.input_hygiene import Form
from core.schema import COUNTRY_CHOICES
from intake.correspondence.forms import sending_field
from intake.rules import CertificationStatus


class CipRequestForm(Form):
    reseller = SelectField(
        "Whose CIP",
        choices=[SelectChoice("", "The provider's own CIP (§7.305(a))")],
        validators=[Optional()],
    )
    requested_on = DateField(
        "Date of the request",
        validators=[DataRequired("Enter the date the request was sent, as YYYY-MM-DD.")],
    )
    sent_by = sending_field()
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=2000, message="At most 2,000 characters.")],
    )


class ResponseForm(Form):
    document = FileField(
        "The CIP as received (PDF or Word .docx, up to 20 MB)",
        validators=[FileRequired("Choose the file the provider sent.")],
    )
    responded_on = DateField(
        "Date received",
        validators=[DataRequired("Enter the date the copy was received, as YYYY-MM-DD.")],
    )


class ResellerUploadForm(Form):
    compiled_file = FileField(
        "The compiled file (CSV or Excel .xlsx, up to 40 MB)",
        validators=[FileRequired("Choose the compiled file to upload.")],
    )


class ResellerFilterForm(Form):
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


# --- Reports of large AI model training (§7.308) ----------------------------------------------


class IpLogUploadForm(Form):
    ip_log = FileField(
        "IP access log (CSV: ip_address, accessed_at, action; up to 1,000,000 rows)",
        validators=[FileRequired("Choose the CSV log to attach.")],
    )


class InformationRequestForm(Form):
    requested_on = DateField(
        "Date of the request",
        validators=[DataRequired("Enter the date the request was sent, as YYYY-MM-DD.")],
    )
    sent_by = sending_field()
    note = TextAreaField(
        "Information requested",
        validators=[
            DataRequired("Say what information is requested (§7.308(e))."),
            Length(max=5000, message="At most 5,000 characters."),
        ],
    )


class SearchForm(Form):
    class Meta:
        csrf = False  # a search changes nothing

    q = StringField(
        "Look for",
        validators=[
            DataRequired("Enter an email, telephone, IP address or range, payment identifier or "
                         "name."),
            Length(max=300, message="At most 300 characters."),
        ],
    )  # fmt: skip
    kind = SelectField("What it is", choices=[], validators=[Optional()])


YES_NO_UNKNOWN = [SelectChoice("", "Not known"), SelectChoice("yes", "Yes"),
                  SelectChoice("no", "No")]  # fmt: skip


class CoverageForm(Form):
    """The facts of a transaction, for the covered-transaction aid (§7.308(b))."""

    class Meta:
        csrf = False  # an assessment stores nothing

    customer_is_foreign_person = BooleanField("The customer is a foreign person (§7.301)")
    for_foreign_person = BooleanField(
        "The transaction is for, or on behalf of, a foreign person (e.g. training a model for "
        "one, or credits given to one)"
    )
    estimated_operations = StringField(
        "Estimated training operations (optional)",
        validators=[Optional(), Length(max=60)],
    )
    biological = BooleanField("The model is trained primarily on biological sequence data")
    reason_to_believe = BooleanField(
        "The provider has reason to believe a large AI model will be trained (§7.308(b)(3)(ii))"
    )
    original_met = SelectField(
        "Did the original arrangements meet the technical conditions?", choices=YES_NO_UNKNOWN,
        validators=[Optional()],
    )  # fmt: skip
    later_change = BooleanField(
        "A development or update in the arrangements means the model now does or could meet them "
        "(§7.308(b)(1)(ii))"
    )
    third_party_facility = BooleanField(
        "The infrastructure is co-located in a facility another company owns (§7.308(b)(3)(iv))"
    )
    relevant_on = DateField(
        "Date of the transaction (the technical conditions in force then apply)",
        validators=[DataRequired("Enter the date, as YYYY-MM-DD.")],
    )


class QuantityField(StringField):
    """A quantity written as text, "989.4e12": a stored number is shown in its shortest form,
    so that a post without the field keeps the figure as text, as its checks expect."""

    def process_data(self, value: object) -> None:
        self.data = f"{value:g}" if isinstance(value, float | int) else value


class AcceleratorForm(Form):
    model = StringField(
        "Model", validators=[DataRequired("Name the model, e.g. H100 SXM."), Length(max=120)]
    )
    vendor = StringField("Maker", validators=[DataRequired("Name the maker."), Length(max=80)])
    peak_dense_ops_per_second = QuantityField(
        "Peak dense throughput, operations per second",
        validators=[DataRequired("Enter the dense figure, e.g. 989.4e12."), Length(max=40)],
    )
    number_format = StringField(
        "Number format", default="BF16 dense",
        validators=[DataRequired("Name the number format."), Length(max=40)],
    )  # fmt: skip
    source = StringField(
        "Source of the figure",
        validators=[DataRequired("Cite the maker's datasheet or documentation."),
                    Length(max=300)],
    )  # fmt: skip


class AcceleratorChoiceForm(Form):
    accelerator = RadioField(
        "The catalogue accelerator the report means",
        validators=[DataRequired("Choose the accelerator the report means.")],
    )


# --- Filters of lists: a GET, so whatever is typed into the address is named at its field ------


def stripped(text: object) -> object:
    return text.strip() if isinstance(text, str) else text


DATE_MESSAGE = "Enter a date as YYYY-MM-DD, such as 2027-01-31."


class FilterChoiceField(SelectField):
    """A list of choices whose value may come padded with spaces from an address; anything not
    offered is named at the field."""

    def __init__(self, label: str, choices: list[SelectChoice], *, unknown: str, **kwargs: Any):
        super().__init__(label, choices=choices, validators=[Optional()], **kwargs)
        self.unknown = unknown

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([str(value).strip() for value in valuelist])

    def pre_validate(self, form: Form) -> None:
        if self.data and self.data not in {choice[0] for choice in self.iter_choices()}:
            raise ValidationError(self.unknown)


class FilterDateField(DateField):
    """A date typed as YYYY-MM-DD, spaces around it forgiven."""

    def __init__(self, label: str, **kwargs: Any):
        super().__init__(label, validators=[Optional()], format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = " ".join(str(value) for value in valuelist).strip()
        if not text:
            self.data = None
            return
        try:
            self.data = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(DATE_MESSAGE) from None


class ProviderFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    name = StringField(
        "Name contains",
        filters=[stripped],
        validators=[Optional(), Length(max=200, message="At most 200 characters.")],
    )
    status = FilterChoiceField(
        "Certification status (§7.304(b))",
        [SelectChoice("", "Any")]
        + [SelectChoice(status.value, status.value.capitalize()) for status in CertificationStatus],
        unknown="Choose one of the statuses listed.",
    )
