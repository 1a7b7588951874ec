"""The notice of a proposed penalty as a document, and as sent through intake's channel: its
service by the system is its sending, which opens the 30 days to petition (§7.309(c)(1)(i))."""

from __future__ import annotations

from datetime import date

from casework.penalties import reports, services
from casework.penalties.models import PenaltyCase
from core import clocks
from core.approvals import services as approvals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition
from core.office import services as office
from intake.correspondence import services as channel
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind


def penalty_notice_pdf(case: PenaltyCase) -> bytes:
    today = clocks.office_today()
    maximum, cap = services.maximum_of(case, today)
    return reports.penalty_notice_pdf(
        case,
        maximum=maximum,
        cap=cap,
        petition_due=case.petition_deadline.due_on if case.petition_deadline else None,
        approved=approvals.approval_line(services.PENALTY, case.id) is not None,
        office=office.documents(),
        generated_at=utcnow(),
    )


def serve_penalty_by_email(case: PenaltyCase, *, actor: User, today: date) -> Correspondence:
    """Send the approved notice to the provider's contact; it is served on the day it is sent.
    A foreign reseller or a named person has no contact on record here: theirs is served by
    other means, and recorded."""
    services.check_servable(case)
    if case.provider is None:
        raise IllegalTransition(
            f"The system sends notices only to providers; serve this {case.respondent_kind} by "
            "other means and record the date of service."
        )
    return channel.issue_once(
        case.provider,
        CorrespondenceKind.PENALTY_NOTICE,
        title=f"Notice of proposed civil penalty {case.reference}",
        subject=(services.PENALTY, case.id),
        pdf=lambda: penalty_notice_pdf(case),
        filename=f"{case.reference}.pdf",
        actor=actor,
        today=today,
    )


def on_correspondence_sent(correspondence: Correspondence, actor: User | None) -> None:
    """A penalty notice that reached the provider is served on that day (§7.309(c)(1)(i)),
    unless service by other means was recorded first."""
    if (
        correspondence.subject_type != services.PENALTY
        or correspondence.kind != CorrespondenceKind.PENALTY_NOTICE
        or correspondence.sent_on is None
    ):
        return
    case = services.get_penalty(int(correspondence.subject_id))
    if case is None or case.served_on is not None:
        return
    try:
        services.serve_penalty(
            case, served_on=correspondence.sent_on, actor=actor, today=clocks.office_today()
        )
    except DomainError as refused:
        # The notice reached the provider, and the delivery it is told in must stand: the case
        # says why it was not served by it (a notice changed after it was sent, withdrawn).
        record_event(
            "penalty.serve_refused",
            actor=actor,
            subject=(services.PENALTY, case.id),
            after={"correspondence": correspondence.id, "reason": str(refused)},
        )
    db.session.flush()
