"""Who hears that something arrived from a provider (docs/architecture.md §12): the analyst who
made a request, of the answer to it; the owners of the provider's open cases, of any filing.
Until cases have owners of their own, the owner of a case is the analyst who opened it (each
case module says who that is, answering ``core.signals.case_owners_asked``). The email gives
the receipt and request numbers, the kind of filing and the dates, never the provider's name or
what the filing says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clocks, signals
from core.auth.models import User
from core.db import db
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from intake import kinds
from intake.models import DepartmentRequest, Filing

REQUEST_ANSWERED = register_kind(
    NoticeKind(
        "request_answered",
        "An answer to a request I made",
        "the analyst who made the Department's request",
        citation="§7.305(a), §7.303(d), §7.308(e)",
    )
)
FILING_FOR_MY_CASE = register_kind(
    NoticeKind(
        "filing_for_my_case",
        "A filing received from a provider whose case I own",
        "the owners of the provider's open cases",
        citation="§7.304, §7.306(e)(1), §7.308(c)",
    )
)

# What each request asks for, as its answer's message names it, and the rule it applies.
REQUESTS = {
    "cip_copy": ("a copy of the provider's CIP", "§7.305(a)"),
    "reseller_cip_copy": ("a copy of a foreign reseller's CIP", "§7.303(d)"),
    "ai_additional_information": (
        "additional information about a large AI model training report",
        "§7.308(e), §7.308(c)(3)",
    ),
}


def case_owners(provider_id: int) -> list[User]:
    """The owners of the provider's open cases, each once, as the case modules answer."""
    answers = signals.answers(signals.case_owners_asked, provider_id=provider_id)
    return list(dict.fromkeys(user for owners in answers for user in owners))


def request_answered(
    department_request: DepartmentRequest, actor: User | None, *, filing: Filing | None = None
) -> list[User]:
    """The analyst who made the request hears it was answered (not when they recorded the
    answer themselves). Who was told."""
    requester = db.session.get(User, department_request.requested_by_id)
    if requester is None or (actor is not None and requester.id == actor.id):
        return []
    asked, citation = REQUESTS[department_request.kind]
    responded = (
        f"by filing {filing.receipt_number}"
        if filing
        else f"on {department_request.responded_on.isoformat()}"
    )
    link = (
        path_for("intake.filing", receipt_number=filing.receipt_number)
        if filing
        else path_for("intake.department_request", request_id=department_request.id)
    )
    notify(
        [requester],
        REQUEST_ANSWERED.name,
        title=f"Request {department_request.id} to {department_request.provider.legal_name} "
        f"for {asked} answered {responded}",
        link=link,
        subject=("department_request", department_request.id),
        mail_context={
            "request_id": department_request.id,
            "asked": asked,
            "citation": citation,
            "requested_on": department_request.requested_on,
            "responded_on": department_request.responded_on,
            "receipt_number": filing.receipt_number if filing else None,
        },
    )
    return [requester]


def filing_received(filing: Filing, actor: User | None) -> None:
    """After a filing is stored: the requester of what it answers, then the owners of the
    provider's open cases, each person told once, and never the person who keyed it in."""
    answered = db.session.execute(
        select(DepartmentRequest).where(DepartmentRequest.response_filing_id == filing.id)
    ).scalar_one_or_none()
    told = set(request_answered(answered, actor, filing=filing) if answered else [])
    owners = [
        owner
        for owner in case_owners(filing.provider_id)
        if owner not in told and (actor is None or owner.id != actor.id)
    ]
    spec = kinds.kind_spec(filing.kind)
    notify(
        owners,
        FILING_FOR_MY_CASE.name,
        title=f"{spec.title} {filing.receipt_number} received from "
        f"{filing.provider.legal_name}, whose case you own",
        link=path_for("intake.filing", receipt_number=filing.receipt_number),
        subject=("filing", filing.receipt_number),
        mail_context={
            "receipt_number": filing.receipt_number,
            "filing_kind": spec.title,
            "citation": spec.citation,
            "received_on": filing.received_on,
        },
    )


register_sample(
    REQUEST_ANSWERED.name,
    lambda: {
        "request_id": 73,
        "asked": REQUESTS["cip_copy"][0],
        "citation": REQUESTS["cip_copy"][1],
        "requested_on": clocks.office_today() - timedelta(days=6),
        "responded_on": clocks.office_today(),
        "receipt_number": None,
    },
)
register_sample(
    FILING_FOR_MY_CASE.name,
    lambda: {
        "receipt_number": "OICTS-2026-004211",
        "filing_kind": "CIP certification",
        "citation": "§7.304(b)",
        "received_on": clocks.office_today(),
    },
)
