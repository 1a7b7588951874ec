"""What the office sent, for providers' systems, on the filing API (``/api/v1``): the open
requests to the provider and how each is answered, a CIP copy uploaded in answer, and the
documents issued to it, each as a PDF. Scoped to the token's provider: another provider's
record is answered exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue

from core import clocks, exports, openapi
from core.access import provider_system
from core.db import db
from core.errors import DomainError, IllegalTransition
from core.problems import problem
from core.schema import Problem
from intake import services as intake
from intake.api import _with_token, bp
from intake.correspondence import api_document, requests, services
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import spec_of
from intake.models import ApiToken, DepartmentRequest

NOT_YOURS_REQUEST = "No request to you has that number."
NOT_YOURS_DOCUMENT = "No document sent to you has that number."
openapi.register_part("correspondence", api_document.correspondence_part)


def correspondence_entry(item: Correspondence) -> dict[str, Any]:
    return {
        "correspondence_id": item.id,
        "kind": item.kind.value,
        "citation": item.citation,
        "title": item.title,
        "issued_on": item.issued_on.isoformat(),
        "sent_on": item.sent_on.isoformat() if item.sent_on else None,
        "sent_by": item.sent_by.value if item.sent_by else None,
        "delivery": item.delivery.value,
        "links": {
            "self": url_for("intake_api.correspondence_item", correspondence_id=item.id),
            "document": url_for("intake_api.correspondence_document", correspondence_id=item.id),
        },
    }


def request_entry(item: DepartmentRequest) -> dict[str, Any]:
    kind = requests.kind_of(item)
    letter = requests.sent_of(item)
    return {
        "request_id": item.id,
        "kind": kind.value,
        "citation": spec_of(kind).citation,
        "requested_on": item.requested_on.isoformat(),
        "sent_on": letter.sent_on.isoformat() if letter and letter.sent_on else None,
        "due_on": item.deadline.due_on.isoformat() if item.deadline else None,
        "answered_on": item.responded_on.isoformat() if item.responded_on else None,
        "about_filing": item.filing.receipt_number if item.filing else None,
        "answered_by": requests.answered_by(
            item,
            response_url=url_for("intake_api.answer_request", request_id=item.id),
            filing_url=url_for("intake_api.file"),
        ),
        "letter": correspondence_entry(letter) if letter else None,
    }


@bp.get("/requests")
@provider_system
@_with_token
def open_requests(token: ApiToken) -> ResponseReturnValue:
    """The requests to this provider still to be answered, with their due dates and citations."""
    found = requests.open_requests(token.provider_id)
    return {"count": len(found), "requests": [request_entry(item) for item in found]}


@bp.post("/requests/<int:request_id>/response")
@provider_system
@_with_token
def answer_request(request_id: int, token: ApiToken) -> ResponseReturnValue:
    """A copy of the CIP asked for (§7.305(a), §7.303(d)), as the body: the same checks as an
    analyst's upload of it; the clock is met on the day it arrives."""
    item = requests.own_request(request_id, token.provider_id)
    if item is None:
        return problem(404, NOT_YOURS_REQUEST)
    if item.filing is not None:
        return problem(409, "A request for additional information (§7.308(e)) is answered by "
                       "filing a follow-up report (§7.308(c)(3)) at /api/v1/filings with its "
                       "request_number.", kind="refused-change")  # fmt: skip
    if request.mimetype not in api_document.RESPONSE_TYPES:
        return problem(415, "Send the copy of the CIP as application/pdf or as a DOCX document.")
    content = request.get_data()
    extension = api_document.RESPONSE_TYPES[request.mimetype] or (
        "pdf" if content.startswith(b"%PDF-") else "docx"
    )
    try:
        intake.record_response(
            item,
            filename=f"request-{item.id}-cip.{extension}",
            content=content,
            responded_on=clocks.office_today(),
            actor=None,
            token=token,
        )
    except IllegalTransition as refused:
        db.session.rollback()
        return problem(409, str(refused), kind="refused-change")
    except DomainError as error:
        db.session.rollback()
        citation = spec_of(requests.kind_of(item)).citation
        return problem(422, str(error), kind="invalid-submission",
                       errors=[Problem("", str(error), citation)])  # fmt: skip
    return request_entry(item), 201


def _bounded(name: str, default: int, maximum: int) -> int | Problem:
    values = request.args.getlist(name)
    if not values:
        return default
    text = values[0]
    if len(values) == 1 and text.isascii() and text.isdigit() and 1 <= int(text) <= maximum:
        return int(text)
    return Problem(name, f"must be a whole number from 1 to {maximum}, given once", "")


@bp.get("/correspondence")
@provider_system
@_with_token
def correspondence_list(token: ApiToken) -> ResponseReturnValue:
    """The documents issued to this provider, newest first, a page at a time."""
    page = _bounded("page", 1, api_document.MAX_PAGE)
    per_page = _bounded("per_page", api_document.PER_PAGE, api_document.MAX_PER_PAGE)
    wrong = [value for value in (page, per_page) if isinstance(value, Problem)]
    if wrong:
        return problem(400, "Ask for a page by number.", kind="invalid-request", errors=wrong)
    assert isinstance(page, int) and isinstance(per_page, int)
    found = services.issued_to(token.provider_id, page=page, per_page=per_page)
    return {
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
        "correspondence": [correspondence_entry(item) for item in found.items],
    }


def _own(correspondence_id: int, token: ApiToken) -> Correspondence | None:
    item = services.get_correspondence(correspondence_id)
    return item if item is not None and item.provider_id == token.provider_id else None


@bp.get("/correspondence/<int:correspondence_id>")
@provider_system
@_with_token
def correspondence_item(correspondence_id: int, token: ApiToken) -> ResponseReturnValue:
    item = _own(correspondence_id, token)
    if item is None:
        return problem(404, NOT_YOURS_DOCUMENT)
    return correspondence_entry(item)


@bp.get("/correspondence/<int:correspondence_id>/document")
@provider_system
@_with_token
def correspondence_document(correspondence_id: int, token: ApiToken) -> ResponseReturnValue:
    """The document as issued; read before any email reached the provider, this is its receipt
    (the clock the rule starts from receipt opens today)."""
    item = _own(correspondence_id, token)
    if item is None:
        return problem(404, NOT_YOURS_DOCUMENT)
    kept = services.download_by_api(item, token=token, today=clocks.office_today())
    return exports.document_download(kept)
