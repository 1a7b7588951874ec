"""How a document goes to the provider, and a sending by another means recorded by hand."""

from __future__ import annotations

from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.input_hygiene import Form

EMAIL, HAND = "email", "hand"


def sending_field() -> RadioField:
    """The choice on every form that issues a request: the system sends it now, or it was sent
    already by another means on the date of the request."""
    return RadioField(
        "How the request goes to the provider",
        choices=[
            SelectChoice(EMAIL, "Send it now by email to the provider's contact on record; the "
                         "clock starts on the day it is sent"),
            SelectChoice(HAND, "It was sent already by another means on the date above; the "
                         "clock starts on that date"),
        ],
        default=EMAIL,
        # Left out (a page from before the choice existed), the system sends it.
        validators=[Optional()],
    )  # fmt: skip


class SentByHandForm(Form):
    sent_on = DateField(
        "Date it was sent",
        validators=[DataRequired("Enter the date it was sent, as YYYY-MM-DD.")],
    )
    note = TextAreaField(
        "How it was sent (post, courier, in person, to which address)",
        validators=[Optional(), Length(max=2000, message="At most 2,000 characters.")],
    )
