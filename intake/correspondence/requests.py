"""The Department's requests to providers as documents sent: the letter each request is, its
clock opened on the day it reaches the provider, and what a provider's system is asked for."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from core import clocks
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.errors import InvalidInput
from core.office import services as office
from intake.correspondence import reports, rules, services
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind, spec_of
from intake.models import DepartmentRequest

SUBJECT = "department_request"
KIND_OF_REQUEST = {
    "cip_copy": CorrespondenceKind.CIP_COPY_REQUEST,
    "reseller_cip_copy": CorrespondenceKind.RESELLER_CIP_COPY_REQUEST,
    "ai_additional_information": CorrespondenceKind.INFORMATION_REQUEST,
}


def kind_of(request: DepartmentRequest) -> CorrespondenceKind:
    return KIND_OF_REQUEST[request.kind]


def clock_of(request: DepartmentRequest) -> clocks.Clock:
    return clocks.get(spec_of(kind_of(request)).clock_key or "")


def _what(request: DepartmentRequest) -> str:
    if request.filing is not None:
        return f"follow-up to {request.filing.receipt_number}"
    if request.reseller is not None:
        return f"CIP of its foreign reseller {request.reseller.name}"
    return "copy of its CIP"


def send_request(
    request: DepartmentRequest, *, actor: User, today: date, sent_by_hand_on: date | None = None,
    note: str = "",
) -> Correspondence:  # fmt: skip
    """The request as a letter, issued to the provider; its clock waits for the sending."""
    if sent_by_hand_on is not None and (
        problem := rules.sent_on_problem(sent_on=sent_by_hand_on, issued_on=sent_by_hand_on,
                                         today=today)
    ):  # fmt: skip
        # The date sent by other means is the date of the request on the forms that issue one.
        raise InvalidInput({"requested_on": [problem]})
    kind = kind_of(request)
    letter = reports.request_letter_pdf(
        request,
        kind,
        dated=min(today, sent_by_hand_on or today),
        office=office.documents(),
        generated_at=utcnow(),
    )
    return services.issue_to_provider(
        request.provider,
        kind,
        title=f"{spec_of(kind).label}, request {request.id}",
        subject=(SUBJECT, request.id),
        pdf=letter,
        filename=f"request-{request.id}.pdf",
        actor=actor,
        today=today,
        sent_by_hand_on=sent_by_hand_on,
        note=note,
    )


def on_correspondence_sent(correspondence: Correspondence, actor: User | None) -> None:
    """The request reached the provider: its 10 days (§7.305(a), §7.303(d)) or 15 days
    (§7.308(c)(3)) start on that day, never before."""
    if correspondence.subject_type != SUBJECT:
        return
    request = db.session.get(DepartmentRequest, int(correspondence.subject_id))
    if request is None or request.deadline_id is not None or correspondence.sent_on is None:
        return
    if request.responded_on is not None:
        # Answered before its letter went (by the API, or by another means): nothing is owed.
        return
    requester = db.session.get(User, request.requested_by_id)
    request.deadline = deadlines.open_deadline(
        clock_of(request).key,
        subject=("provider", request.provider_id),
        subject_label=f"{request.provider.legal_name}: {_what(request)}",
        start_on=correspondence.sent_on,
        # Sent by the delivery job, the clock is still the requester's own doing: they are not
        # told that it was given to them.
        actor=actor or requester,
        assignee=requester,
    )
    db.session.flush()


def sent_of(request: DepartmentRequest) -> Correspondence | None:
    """The letter that is the request, as issued."""
    return services.latest_about(SUBJECT, request.id)


def open_requests(provider_id: int) -> list[DepartmentRequest]:
    """The requests to this provider still to be answered, oldest first."""
    return list(
        db.session.scalars(
            select(DepartmentRequest)
            .where(
                DepartmentRequest.provider_id == provider_id,
                DepartmentRequest.responded_on.is_(None),
            )
            .order_by(DepartmentRequest.requested_on, DepartmentRequest.id)
        )
    )


def own_request(request_id: int, provider_id: int) -> DepartmentRequest | None:
    request = db.session.get(DepartmentRequest, request_id)
    return request if request is not None and request.provider_id == provider_id else None


def answered_by(
    request: DepartmentRequest, *, response_url: str, filing_url: str
) -> dict[str, Any]:
    """How a provider's system answers the request: a CIP copy uploaded to the request, or a
    follow-up report filed with the request's number (§7.308(c)(3))."""
    if request.filing is not None:
        return {
            "method": "POST",
            "href": filing_url,
            "filing_kind": "ai_follow_up_report",
            "description": "File a follow-up report (§7.308(c)(3)) with request_number "
            f"{request.id} and the date the request was received",
        }
    return {
        "method": "POST",
        "href": response_url,
        "filing_kind": None,
        "description": "Upload the copy of the CIP (PDF or DOCX) as the body",
    }
