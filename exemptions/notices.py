"""Who owns an exemption case, and what its owner is told (docs/architecture.md §12).

An exemption case is opened by the provider's filing, not by an analyst (§7.306(e)(1)). Until
cases have owners of their own, its owner is the analyst who first acted on it: who requested
its first information request, else who consulted the agencies on it, else who drafted its
finding; nobody before then. A case is open until it is denied, withdrawn or revoked (one
granted stays open: its exemption is in force and its annual notifications come, §7.306(f))."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clocks
from core.auth.models import User
from core.consultations.models import Consultation
from core.db import db
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from core.workflow.rules import open_states
from exemptions import rules
from exemptions.models import ExemptionCase, InformationRequest
from exemptions.rules import SUBJECT

INFORMATION_ANSWERED = register_kind(
    NoticeKind(
        "information_answered",
        "An answer to an information request on an exemption case I own",
        "the exemption case's owner",
        citation="§7.306(e)(2)",
    )
)


def case_owner(case: ExemptionCase) -> User | None:
    first_request = min(case.information_requests, key=lambda r: r.id, default=None)
    owner_id = (
        first_request.requested_by_id
        if first_request
        else db.session.scalar(
            select(Consultation.requested_by_id)
            .where(Consultation.subject_type == SUBJECT, Consultation.subject_id == str(case.id))
            .order_by(Consultation.id)
            .limit(1)
        )
        or case.finding_drafted_by_id
    )
    return db.session.get(User, owner_id) if owner_id else None


def case_owners(*, provider_id: int, **_: object) -> list[User]:
    """The owners of the provider's open exemption cases (core.signals.case_owners_asked)."""
    cases = db.session.execute(
        select(ExemptionCase)
        .where(
            ExemptionCase.provider_id == provider_id,
            ExemptionCase.state.in_(open_states(rules.ALLOWED)),
        )
        .order_by(ExemptionCase.id)
    ).scalars()
    return [owner for case in cases if (owner := case_owner(case)) is not None]


def information_answered(information_request: InformationRequest, actor: User) -> None:
    """The case's owner hears that the submitter answered (not when they recorded it)."""
    case = information_request.case
    owner = case_owner(case)
    if owner is None or owner.id == actor.id:
        return
    notify(
        [owner],
        INFORMATION_ANSWERED.name,
        title=f"Information request {information_request.id} answered on "
        f"{information_request.responded_on.isoformat()}: {case.label}",
        link=path_for("exemptions.case", case_id=case.id),
        subject=(SUBJECT, case.id),
        mail_context={
            "information_request_id": information_request.id,
            "receipt_number": case.filing.receipt_number,
            "requested_on": information_request.requested_on,
            "responded_on": information_request.responded_on,
            "citation": INFORMATION_ANSWERED.citation,
        },
    )


register_sample(
    INFORMATION_ANSWERED.name,
    lambda: {
        "information_request_id": 19,
        "receipt_number": "OICTS-2026-003987",
        "requested_on": clocks.office_today() - timedelta(days=9),
        "responded_on": clocks.office_today(),
        "citation": INFORMATION_ANSWERED.citation,
    },
)
