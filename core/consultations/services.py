"""Requesting consultations and recording agencies' positions.

The module that owns a consultation's subject (an exemption, a special-measure case) tells the
kernel, at start-up, when that subject's positions have become final, and hears of each position
recorded, so that the kernel never imports a module (docs/architecture.md §2)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from core import documents, signals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.consultations import notices, rules
from core.consultations.models import Consultation, ConsultationAttachment
from core.consultations.rules import Position, Purpose
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition, InvalidInput, NotFound


def request_consultations(
    purpose: Purpose,
    subject: tuple[str, object],
    *,
    label: str,
    summary: str,
    requested_on: date,
    respond_by: date,
    actor: User,
    optional_agencies: tuple[str, ...] = (),
) -> list[Consultation]:
    """Ask every agency the rule requires, and any others chosen, for their position."""
    if problem := rules.respond_by_problem(requested_on, respond_by):
        raise DomainError(problem)
    required = rules.REQUIRED_AGENCIES[purpose]
    agencies = [*required, *(a.strip() for a in optional_agencies if a.strip() not in required)]
    created = []
    for agency in agencies:
        consultation = Consultation(
            purpose=purpose.value,
            subject_type=subject[0],
            subject_id=str(subject[1]),
            subject_label=label,
            summary=summary,
            agency=agency,
            required=agency in required,
            requested_on=requested_on,
            respond_by=respond_by,
            requested_by_id=actor.id,
        )
        db.session.add(consultation)
        created.append(consultation)
    db.session.flush()
    record_event(
        "consultation.request",
        actor=actor,
        subject=(subject[0], subject[1]),
        after={"purpose": purpose.value, "agencies": agencies, "respond_by": respond_by},
    )
    notices.consultations_requested(created)
    return created


# Published after a position is recorded, with ``consultation`` and ``actor``: the owning module
# voids an approval that rested on the old position (docs/architecture.md §5).
def position_lock(consultation: Consultation) -> str | None:
    """Why the position can no longer be recorded or changed (the decision was made), or None
    while it may: the module that asked answers (``core.signals.position_lock_asked``)."""
    locks = signals.answers(
        signals.position_lock_asked,
        subject_type=consultation.subject_type,
        subject_id=consultation.subject_id,
    )
    return locks[0] if locks else None


def for_subject(subject_type: str, subject_id: object) -> list[Consultation]:
    return list(
        db.session.execute(
            select(Consultation)
            .where(
                Consultation.subject_type == subject_type,
                Consultation.subject_id == str(subject_id),
            )
            .order_by(Consultation.required.desc(), Consultation.agency)
        ).scalars()
    )


def positions(subject_type: str, subject_id: object) -> list[tuple[str, str | None, str | None]]:
    """Each agency's recorded position and comments, as a decision that rests on them is
    approved (part of the content an approval binds to)."""
    return [(c.agency, c.position, c.comments) for c in for_subject(subject_type, subject_id)]


def missing_positions(purpose: Purpose, subject_type: str, subject_id: object) -> list[str]:
    recorded = [(c.agency, c.position_enum) for c in for_subject(subject_type, subject_id)]
    return rules.missing_positions(purpose, recorded)


def visible_to(user: User) -> list[Consultation]:
    """A liaison's list holds their own agency's open consultations (those whose decision is
    not yet made); staff see all."""
    query = listed_query()
    if user.role_enum is not Role.LIAISON:
        return list(db.session.execute(query).scalars())
    return _agency_consultations(user, decided=False)


# Those still awaiting a position come first, as the office answers them by the date asked for:
# the order of a query, and of rows already read.
AWAITING_FIRST = (Consultation.position.is_not(None), Consultation.respond_by)


def awaiting_first(consultation: Consultation) -> tuple[bool, date]:
    return consultation.position is not None, consultation.respond_by


def listed_query() -> Select[tuple[Consultation]]:
    """Every consultation, those awaiting a position first, then by the date asked for."""
    return (
        select(Consultation)
        .options(joinedload(Consultation.recorded_by))
        .order_by(*AWAITING_FIRST, Consultation.id)
    )


def past_for(user: User) -> list[Consultation]:
    """The consultations whose decision is made (the case they bore on was decided, withdrawn
    or closed), with the positions recorded: a liaison's own agency's, every agency's for
    staff. Read-only: ``position_lock`` refuses any change to them."""
    return _agency_consultations(user, decided=True)


def _agency_consultations(user: User, *, decided: bool) -> list[Consultation]:
    """The user's agency's consultations (every one for staff) whose decision is, or is not
    yet, made. Whether it is made is the owning module's answer, asked once per case; an
    agency's consultations are a few for each case the office consulted it on."""
    query = listed_query()
    if user.role_enum is Role.LIAISON:
        query = query.where(Consultation.agency == user.agency)
    locks: dict[tuple[str, str], bool] = {}
    kept = []
    for consultation in db.session.execute(query).scalars():
        subject = (consultation.subject_type, consultation.subject_id)
        if subject not in locks:
            locks[subject] = position_lock(consultation) is not None
        if locks[subject] is decided:
            kept.append(consultation)
    return kept


def get_for(user: User, consultation_id: int) -> Consultation:
    """A consultation the user may see; another agency's is "not found", not "forbidden"."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or (
        user.role_enum is Role.LIAISON and consultation.agency != user.agency
    ):
        raise NotFound("No such consultation.")
    return consultation


def _check_recorder(consultation: Consultation, actor: User) -> None:
    """The agency's own liaison, or an analyst or reviewer for what came by other means; never
    once the decision the consultation bears on is made."""
    if actor.role_enum is Role.LIAISON and actor.agency != consultation.agency:
        raise NotFound("No such consultation.")
    if actor.role_enum not in (Role.LIAISON, Role.ANALYST, Role.REVIEWER):
        raise DomainError("Only the agency's liaison or an analyst may record a position.")
    if reason := position_lock(consultation):
        raise IllegalTransition(reason)


def record_position(
    consultation: Consultation, *, position: Position, comments: str, actor: User
) -> Consultation:
    """The agency's liaison records its position, or an analyst records one received by other
    means; a conditional or negative position must say why. Once the decision the position
    bears on is made, it is part of that decision's record and is refused."""
    _check_recorder(consultation, actor)
    if (
        position in (Position.CONCUR_WITH_CONDITIONS, Position.DO_NOT_CONCUR)
        and not comments.strip()
    ):
        raise DomainError("State the conditions or the reasons for this position.")
    before = {"position": consultation.position, "comments": consultation.comments}
    consultation.position = position.value
    consultation.comments = comments.strip() or None
    consultation.recorded_by_id = actor.id
    consultation.recorded_at = utcnow()
    record_event(
        "consultation.position",
        actor=actor,
        subject=("consultation", consultation.id),
        before=before,
        after={"position": consultation.position, "comments": consultation.comments},
    )
    db.session.flush()
    signals.send(signals.position_recorded, consultation=consultation, actor=actor)
    notices.position_recorded(consultation, actor)
    return consultation


def attach_document(
    consultation: Consultation, *, filename: str, content: bytes, actor: User
) -> ConsultationAttachment:
    """A document sent with the agency's position, checked and kept as received."""
    _check_recorder(consultation, actor)
    if problems := documents.document_problems(filename, content, what="the agency's document"):
        raise InvalidInput({"document": problems})
    attachment = ConsultationAttachment(consultation_id=consultation.id, uploaded_by_id=actor.id)
    attachment.keep(documents.describe(filename, content), content)
    db.session.add(attachment)
    db.session.flush()
    record_event(
        "consultation.attach",
        actor=actor,
        subject=("consultation", consultation.id),
        after={"filename": attachment.filename, "sha256": attachment.sha256},
    )
    return attachment


def attachment_of(consultation: Consultation, attachment_id: int) -> ConsultationAttachment:
    attachment = db.session.get(ConsultationAttachment, attachment_id)
    if attachment is None or attachment.consultation_id != consultation.id:
        raise NotFound("No such document.")
    return attachment
