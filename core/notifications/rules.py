"""What the office tells people, without a database or a mail server: the kinds of notice and
how each person may choose to receive them, the state of an outgoing message, and the scan that
keeps protected facts out of email (docs/architecture.md §12). Pure."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any


class Delivery(enum.StrEnum):
    """How a person receives one kind of notice: always in the application, and by email at
    once, in a daily digest, or not at all."""

    AT_ONCE = "at_once"
    DIGEST = "digest"
    IN_APP = "in_app"

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[self]


DELIVERY_LABELS = {
    Delivery.AT_ONCE: "Email at once",
    Delivery.DIGEST: "In the daily digest email",
    Delivery.IN_APP: "In the application only",
}


# The daily digest's hour until a person chooses one (office time), and the steps its choice
# comes in: the digest run looks every DIGEST_STEP_MINUTES (core/notifications/digest.py).
DEFAULT_DIGEST_AT = time(7, 30)
DIGEST_STEP_MINUTES = 15


def digest_times() -> list[time]:
    """The times of day a person may choose for their digest, one per run of the digest."""
    return [time(minute // 60, minute % 60) for minute in range(0, 24 * 60, DIGEST_STEP_MINUTES)]


class MailState(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    # No mail server is configured (the embedded set-up): the message is held in the
    # administrators' development outbox and counts as delivered.
    KEPT = "kept"
    FAILED = "failed"


DELIVERED = frozenset({MailState.SENT, MailState.KEPT})


# A one-time link (a provider's document, an account's enrolment or new password) is a key: the
# stored message holds this in its place, so that nobody reading the outbox or the database can
# use it, and the link itself is put in only as the message is handed to the mail server
# (docs/architecture.md §12).
ONE_TIME_LINK = "[one-time link, added when sent]"


def with_one_time_link(body: str, link: str) -> str:
    """The message as handed over: the placeholder replaced by the link itself."""
    return body.replace(ONE_TIME_LINK, link)


def holds_one_time_link(*bodies: str) -> bool:
    return all(ONE_TIME_LINK in body for body in bodies)


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notice: its name (also the name of its email templates under
    ``templates/mail/``), what the settings page calls it, who receives it, how they receive it
    until they choose, and the paragraph of the rule it is about, if any."""

    name: str
    label: str
    audience: str
    default: Delivery = Delivery.AT_ONCE
    citation: str | None = None


_kinds: dict[str, NoticeKind] = {}


def register_kind(kind: NoticeKind) -> NoticeKind:
    """Each module names the notices it sends, so that the kernel imports none of them."""
    known = _kinds.setdefault(kind.name, kind)
    if known != kind:
        raise ValueError(f"two kinds of notice are named {kind.name!r}")
    return kind


def kind_named(name: str) -> NoticeKind:
    return _kinds[name]


def label_of(name: str) -> str:
    """What a notice's kind is called; a kind since removed keeps its notices readable."""
    known = _kinds.get(name)
    return known.label if known else name.replace("_", " ").capitalize()


def notice_kinds() -> list[NoticeKind]:
    """Every kind of notice, in the order a settings page lists them."""
    return sorted(_kinds.values(), key=lambda kind: kind.label)


# What each message template is previewed with on the administrators' page of templates: a
# realistic ``mail_context``, made without a database (the recipient, link and settings link are
# the page's own). Registered beside the kind, or the template, it is for.
Sample = Callable[[], Mapping[str, Any]]
_samples: dict[str, Sample] = {}


def register_sample(template: str, sample: Sample) -> Sample:
    """The sample context of ``templates/mail/<template>.*``, for its preview."""
    _samples[template] = sample
    return sample


def sample_for(template: str) -> Sample | None:
    return _samples.get(template)


def delivery_for(kind: NoticeKind, chosen: Delivery | None) -> Delivery:
    return chosen or kind.default


# Shorter values (a two-letter country code) would be found inside ordinary words.
SHORTEST_PROTECTED = 4


def protected_leaks(body: str, protected: Iterable[str | None]) -> list[str]:
    """The protected values of a record (names from a report, identifiers, findings) that a
    message body contains, ignoring case and runs of white space. Email leaves the system, so a
    message may say that something happened and where to read it, never what it says
    (32 CFR 2002.20: CUI is not sent outside the system that controls it)."""
    flat = _flattened(body)
    return [
        value
        for value in dict.fromkeys(value.strip() for value in protected if value)
        if len(value) >= SHORTEST_PROTECTED and _flattened(value) in flat
    ]


def _flattened(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()
