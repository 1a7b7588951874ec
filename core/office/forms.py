"""The office settings form: one optional field per setting."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from core.office.rules import SETTINGS


class OfficeSettingsForm(FlaskForm):
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
