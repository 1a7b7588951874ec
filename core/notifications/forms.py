"""The forms of a person's notices: the choices of delivery, and the outbox's filter."""

from __future__ import annotations

from datetime import time

from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from core.input_hygiene import Form
from core.notifications.rules import Delivery, MailState, NoticeKind, digest_times


def _kind_field(kind: NoticeKind) -> RadioField:
    heard = f"Sent to {kind.audience}."
    return RadioField(
        kind.label,
        choices=[SelectChoice(delivery.value, delivery.label) for delivery in Delivery],
        description=f"{heard} About {kind.citation}." if kind.citation else heard,
        validators=[InputRequired(message="Choose how this kind of notice reaches you.")],
    )


class ChoicesForm(Form):
    """One choice of delivery per kind of notice (``kind_<name>``), and the digest's time."""

    digest_at = SelectField(
        "Time of my daily digest (office time, Eastern)",
        choices=[
            SelectChoice(at.isoformat("minutes"), at.strftime("%H:%M")) for at in digest_times()
        ],
        description="The digest lists the notices you chose to receive in it, once a day.",
        validators=[InputRequired(message="Choose the time of your daily digest.")],
    )

    @classmethod
    def for_kinds(cls, kinds: list[NoticeKind]) -> type[ChoicesForm]:
        # The kinds are registered as the modules are imported, after this class is made.
        fields = {f"kind_{kind.name}": _kind_field(kind) for kind in kinds}
        return type("ChoicesFormOfKinds", (cls,), fields)

    def deliveries(self, kinds: list[NoticeKind]) -> dict[str, Delivery]:
        return {kind.name: Delivery(self[f"kind_{kind.name}"].data) for kind in kinds}

    def digest_time(self) -> time:
        return time.fromisoformat(self.digest_at.data)


class OutboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    state = SelectField(
        "State",
        choices=[SelectChoice("", "Any state")]
        + [SelectChoice(state.value, state.value.capitalize()) for state in MailState],
        validators=[Optional()],
    )
