"""The office settings form: one optional field per setting."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import Length, Optional

from core.input_hygiene import Form
from core.office.rules import SETTINGS


class OfficeSettingsForm(Form):
    pass


for _definition in SETTINGS:
    setattr(
        OfficeSettingsForm,
        _definition.key,
        StringField(
            _definition.label,
            validators=[Optional(), Length(max=300, message="At most 300 characters.")],
            description=_definition.hint,
        ),
    )
