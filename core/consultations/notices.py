"""What the consulted agencies and the analyst who asked them are told: a consultation opened
for an agency, its response-by date near or passed, a position recorded (docs/architecture.md
§12). The email names the consultation's number, purpose and dates, never its summary, its
subject or an agency's comments; the inbox title may name the subject."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from core import clocks
from core.auth.models import User
from core.auth.rules import Role
from core.auth.services import active_users
from core.consultations import rules
from core.consultations.models import Consultation
from core.consultations.rules import Purpose
from core.db import db
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for

LIAISONS = "the consulted agency's liaisons"
CITATION = "§7.306(e)(2), §7.307(c)"


# Each kind is emailed at once until the person chooses otherwise (NoticeKind's default).
CONSULTATION_REQUESTED = register_kind(
    NoticeKind(
        "consultation_requested", "A consultation opened for my agency", LIAISONS, citation=CITATION
    )
)
POSITION_DUE_SOON = register_kind(
    NoticeKind("position_due_soon", "My agency's position is due soon", LIAISONS, citation=CITATION)
)
POSITION_OVERDUE = register_kind(
    NoticeKind("position_overdue", "My agency's position is overdue", LIAISONS, citation=CITATION)
)
POSITION_RECORDED = register_kind(
    NoticeKind(
        "position_recorded", "An agency recorded its position on my consultation",
        "the analyst who requested the consultation", citation=CITATION,
    )
)  # fmt: skip

PURPOSES = {
    Purpose.EXEMPTION: "a request for an exemption",
    Purpose.SPECIAL_MEASURE: "a proposed special measure",
}


def liaisons_of(agency: str) -> list[User]:
    return active_users(Role.LIAISON, agency=agency)


def _mail_context(consultation: Consultation) -> dict[str, object]:
    """All an email says of a consultation: nothing of what the agency is asked to consider."""
    purpose = Purpose(consultation.purpose)
    return {
        "consultation_id": consultation.id,
        "agency": consultation.agency,
        "purpose": PURPOSES[purpose],
        "citation": rules.CITATIONS[purpose],
        "requested_on": consultation.requested_on,
        "respond_by": consultation.respond_by,
        "required": consultation.required,
    }


def _tell_liaisons(
    consultation: Consultation, kind: NoticeKind, title: str, *, once_key: str | None = None
) -> None:
    notify(
        liaisons_of(consultation.agency),
        kind.name,
        title=title,
        link=path_for("consultations.detail", consultation_id=consultation.id),
        subject=("consultation", consultation.id),
        once_key=once_key,
        mail_context=_mail_context(consultation),
    )


def consultations_requested(consultations: Iterable[Consultation]) -> None:
    """Each consulted agency's liaisons are told of the request made to their agency."""
    for consultation in consultations:
        _tell_liaisons(
            consultation,
            CONSULTATION_REQUESTED,
            f"Consultation {consultation.id} requested: {consultation.subject_label} "
            f"(respond by {consultation.respond_by.isoformat()})",
        )


def position_recorded(consultation: Consultation, actor: User) -> None:
    """The analyst who asked hears that an agency's position arrived (not when they recorded it
    themselves, as received by other means)."""
    requester = db.session.get(User, consultation.requested_by_id)
    if requester is None or requester.id == actor.id:
        return
    notify(
        [requester],
        POSITION_RECORDED.name,
        title=f"{consultation.agency} recorded its position ({consultation.position}) on "
        f"consultation {consultation.id}: {consultation.subject_label}",
        link=path_for("consultations.detail", consultation_id=consultation.id),
        subject=("consultation", consultation.id),
        mail_context={**_mail_context(consultation), "recorded_by": actor.full_name},
    )


def remind(consultations: Iterable[Consultation], today: date) -> tuple[int, int]:
    """The liaisons of each agency whose position is not in are told once when its
    response-by date is ``rules.DUE_SOON_DAYS`` days off or nearer, and once when it has passed.
    How many consultations were due soon and overdue."""
    soon = late = 0
    for consultation in consultations:
        urgency = rules.reminder_due(consultation.respond_by, today)
        if urgency is rules.Reminder.DUE_SOON:
            soon += 1
            _tell_liaisons(
                consultation,
                POSITION_DUE_SOON,
                f"Position due by {consultation.respond_by.isoformat()} on consultation "
                f"{consultation.id}: {consultation.subject_label}",
                once_key=f"consultation-due-soon:{consultation.id}",
            )
        elif urgency is rules.Reminder.OVERDUE:
            late += 1
            _tell_liaisons(
                consultation,
                POSITION_OVERDUE,
                f"Position overdue since {consultation.respond_by.isoformat()} on consultation "
                f"{consultation.id}: {consultation.subject_label}",
                once_key=f"consultation-overdue:{consultation.id}",
            )
    return soon, late


def _sample() -> dict[str, object]:
    today = clocks.office_today()
    return {
        "consultation_id": 214,
        "agency": "DHS",
        "purpose": PURPOSES[Purpose.EXEMPTION],
        "citation": rules.CITATIONS[Purpose.EXEMPTION],
        "requested_on": today,
        "respond_by": today + timedelta(days=14),
        "required": True,
        "recorded_by": "Jordan Liaison",
    }


for _kind in (CONSULTATION_REQUESTED, POSITION_DUE_SOON, POSITION_OVERDUE, POSITION_RECORDED):
    register_sample(_kind.name, _sample)
