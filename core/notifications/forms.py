"""The forms of a person's notices: the inbox's page size, and the choices of delivery."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from core.input_hygiene import Form

INBOX_PAGE_SIZES = (25, 50, 100)


class InboxForm(Form):
    class Meta:
        csrf = False  # a GET that changes nothing

    per_page = SelectField(
        "Notices per page",
        choices=[SelectChoice(str(size), str(size)) for size in INBOX_PAGE_SIZES],
        validators=[Optional()],
    )
