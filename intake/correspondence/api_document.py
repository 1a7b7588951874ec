"""What the API promises about requests and correspondence, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from core.openapi import ApiPart, closed_object, json_response, problem_response, ref
from intake.api_document import TOO_LARGE, _nullable, _operation, _path_parameter, _unsupported
from intake.correspondence.rules import KINDS, CorrespondenceKind, Delivery, SentBy

TAG = "Requests and correspondence"
PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 50, 100, 100_000
DAY = {"type": "string", "format": "date"}
NULLABLE_DAY = {"type": ["string", "null"], "format": "date"}
LINK = {"type": "string", "format": "uri-reference"}
REQUEST_KINDS = (
    CorrespondenceKind.CIP_COPY_REQUEST,
    CorrespondenceKind.RESELLER_CIP_COPY_REQUEST,
    CorrespondenceKind.INFORMATION_REQUEST,
)
# What a copy of a CIP answering a request may be (core.documents), by the extension it is kept
# with; sent as bytes of no stated type, its type is read from them.
RESPONSE_TYPES: dict[str, str | None] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/octet-stream": None,
}
REQUEST_ID = _path_parameter("request_id", {"type": "integer", "minimum": 1})
CORRESPONDENCE_ID = _path_parameter("correspondence_id", {"type": "integer", "minimum": 1})
NO_REQUEST = problem_response("No request to you has that number")
NO_DOCUMENT = problem_response("No document sent to you has that number")


def _kinds(kinds: tuple[CorrespondenceKind, ...] | None = None) -> dict[str, Any]:
    chosen = kinds or tuple(CorrespondenceKind)
    return {
        "type": "string",
        "enum": [kind.value for kind in chosen],
        "description": "; ".join(f"{kind.value}: {KINDS[kind].label} ({KINDS[kind].citation})"
                                 for kind in chosen),
    }  # fmt: skip


CORRESPONDENCE = closed_object(
    description="A document the office issued to you",
    properties={
        "correspondence_id": {"type": "integer", "minimum": 1},
        "kind": _kinds(),
        "citation": {"type": "string", "description": "The paragraph of 15 CFR part 7 it is under"},
        "title": {"type": "string"},
        "issued_on": DAY,
        "sent_on": NULLABLE_DAY | {
            "description": "The day it reached you, from which any period to answer runs; null "
            "until then",
        },
        "sent_by": {"type": ["string", "null"], "enum": [*(each.value for each in SentBy), None]},
        "delivery": {"type": "string", "enum": [each.value for each in Delivery]},
        "links": closed_object({
            "self": LINK | {"description": "This entry"},
            "document": LINK | {"description": "The document as issued, a PDF"},
        }),
    },
)  # fmt: skip

ANSWERED_BY = closed_object(
    description="How to answer the request",
    properties={
        "method": {"type": "string", "enum": ["POST"]},
        "href": LINK,
        "filing_kind": {
            "type": ["string", "null"],
            "enum": ["ai_follow_up_report", None],
            "description": "The kind of filing that answers it (a §7.308(e) request: a follow-up "
            "report, §7.308(c)(3), with its request_number); null when a CIP copy is uploaded "
            "to href",
        },
        "description": {"type": "string"},
    },
)

REQUEST = closed_object(
    description="A request to you that is still to be answered",
    properties={
        "request_id": {"type": "integer", "minimum": 1},
        "kind": _kinds(REQUEST_KINDS),
        "citation": {"type": "string"},
        "requested_on": DAY,
        "sent_on": NULLABLE_DAY | {"description": "The day the request reached you; null until "
                                   "then"},
        "due_on": NULLABLE_DAY | {"description": "The last day to answer, counted from sent_on "
                                  "(§7.305(a), §7.303(d): 10 days; §7.308(c)(3): 15 days)"},
        "answered_on": NULLABLE_DAY,
        "about_filing": {"type": ["string", "null"], "description": "The receipt number of the "
                         "training report a §7.308(e) request is about"},
        "answered_by": ref("RequestAnswer"),
        "letter": _nullable(ref("Correspondence")),
    },
)  # fmt: skip


def correspondence_part() -> ApiPart:
    return ApiPart(
        tag=TAG,
        description="What the office sends you: its requests, with their due dates and "
        "citations, and every document issued to you, each as a PDF. Another provider's "
        "request or document is answered 404, as one that does not exist.",
        paths={
            "/requests": {"get": _tagged(_operation(
                "listRequests", "The requests to you still to be answered",
                {"200": json_response("Open requests, oldest first", closed_object({
                    "count": {"type": "integer", "minimum": 0},
                    "requests": {"type": "array", "items": ref("Request")},
                }))},
            ))},
            "/requests/{request_id}/response": {"post": _tagged(_operation(
                "answerRequest",
                "Answer a request for a copy of a CIP (§7.305(a), §7.303(d)) with the copy as the "
                "body, PDF or DOCX (as application/octet-stream, its type is read from its "
                "bytes); the clock is met on the day it arrives",
                {
                    "201": json_response("The request, answered", ref("Request")),
                    "404": NO_REQUEST,
                    "409": problem_response("The request was answered already, or is answered "
                                            "by a follow-up report filing (refused-change)"),
                    "413": TOO_LARGE,
                    "415": _unsupported(*RESPONSE_TYPES),
                    "422": problem_response("The file is not a PDF or DOCX, is empty or is too "
                                            "large; nothing was stored (invalid-submission)"),
                },
                parameters=[REQUEST_ID],
                requestBody={"required": True,
                             "content": {mimetype: {} for mimetype in RESPONSE_TYPES}},
            ))},
            "/correspondence": {"get": _tagged(_operation(
                "listCorrespondence", "The documents issued to you, newest first",
                {
                    "200": json_response("A page of documents", closed_object({
                        "page": {"type": "integer", "minimum": 1},
                        "per_page": {"type": "integer", "minimum": 1},
                        "total": {"type": "integer", "minimum": 0},
                        "correspondence": {"type": "array", "items": ref("Correspondence")},
                    })),
                    "400": problem_response("A page or per_page that is not a number in range "
                                            "(invalid-request)"),
                },
                parameters=[
                    _page_parameter("page", MAX_PAGE, "The page, from 1"),
                    _page_parameter("per_page", MAX_PER_PAGE, f"Documents a page ({PER_PAGE} "
                                    "unless asked)"),
                ],
            ))},
            "/correspondence/{correspondence_id}": {"get": _tagged(_operation(
                "getCorrespondence", "One document issued to you",
                {"200": json_response("The document's entry", ref("Correspondence"),
                                      links=DOCUMENT_LINKS),
                 "404": NO_DOCUMENT},
                parameters=[CORRESPONDENCE_ID],
            ))},
            "/correspondence/{correspondence_id}/document": {"get": _tagged(_operation(
                "getCorrespondenceDocument",
                "The document as issued, a PDF; read before any email reached you, this is its "
                "receipt, and any period to answer runs from today",
                {"200": {"description": "The PDF", "content": {"application/pdf": {}}},
                 "404": NO_DOCUMENT},
                parameters=[CORRESPONDENCE_ID],
            ))},
        },
        schemas={
            "Correspondence": CORRESPONDENCE,
            "Request": REQUEST,
            "RequestAnswer": ANSWERED_BY,
        },
    )  # fmt: skip


DOCUMENT_LINKS = {
    "CorrespondenceDocument": {
        "operationId": "getCorrespondenceDocument",
        "parameters": {"correspondence_id": "$response.body#/correspondence_id"},
    }
}


def _tagged(operation: dict[str, Any]) -> dict[str, Any]:
    return {**operation, "tags": [TAG]}


def _page_parameter(name: str, maximum: int, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
        "description": description,
    }
