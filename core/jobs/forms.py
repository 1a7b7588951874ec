"""The filter of the jobs list: by kind (or every daily run at once) and by state."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from core.input_hygiene import Form
from core.jobs import registry, schedule
from core.jobs.rules import JobState

DAILY = "daily"


class JobFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kind = SelectField("What", validators=[Optional()])
    state = SelectField(
        "State",
        choices=[SelectChoice("", "Any state")]
        + [SelectChoice(state.value, state.value.capitalize()) for state in JobState],
        validators=[Optional()],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The kinds are registered as the modules are imported, after this class is made.
        self.kind.choices = [
            SelectChoice("", "Every kind"),
            SelectChoice(DAILY, "Every daily run"),
            *(SelectChoice(kind.name, kind.label) for kind in registry.kinds()),
        ]

    def kinds(self) -> list[str] | None:
        """The kinds of job asked for, or None for every kind."""
        if not self.kind.data:
            return None
        return schedule.daily_kinds() if self.kind.data == DAILY else [self.kind.data]
