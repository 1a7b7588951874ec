"""What the filing API promises, for the OpenAPI document: each operation of ``intake.api``
with every answer it gives, success and problem alike."""

from __future__ import annotations

from typing import Any

from core import clocks
from core.openapi import ApiPart, closed_object, json_response, problem_response, ref
from core.schema import object_schema
from intake import examples, kinds
from intake.ai.ip_log import IpLogStatus
from intake.resellers import rules as reseller_rules

MAX_KEY_LENGTH = 200
VALIDATE_ONLY_VALUES = {"true": True, "false": False}
TAG = "Filings"
RECEIPT_STATUSES = ("accepted", "accepted with warnings")

UNAUTHORISED = problem_response(
    "Missing, unknown or revoked token",
    headers={"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
)
SERVER_ERROR = problem_response("A fault in the system; nothing was stored")


def _unsupported(*mimetypes: str) -> dict[str, Any]:
    return problem_response(f"The body is not sent as {' or '.join(mimetypes)}")


TOO_LARGE = problem_response("The body is larger than the system accepts")

# A file the job worker takes in: the first answer (202) says where its status is and when to
# ask (RFC 9110 §10.2.2, §10.2.3); the status says when to ask again while the work goes on.
ACCEPTED_HEADERS = {
    "Location": {
        "required": True,
        "description": "The status to poll",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Retry-After": {
        "required": True,
        "description": "Seconds to wait before asking",
        "schema": {"type": "integer", "minimum": 0},
    },
}
POLL_HEADERS = {
    "Retry-After": {
        "required": False,
        "description": "While the work goes on: seconds to wait before asking again",
        "schema": {"type": "integer", "minimum": 0},
    }
}


def _path_parameter(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


RECEIPT_NUMBER = _path_parameter("receipt_number", {"type": "string"})


def _operation(
    operation_id: str, summary: str, responses: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """An operation for a provider's system: a bearer token, so 401 and 500 are always possible."""
    return {
        "operationId": operation_id,
        "tags": [TAG],
        "summary": summary,
        **extra,
        "responses": {**responses, "401": UNAUTHORISED, "500": SERVER_ERROR},
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _links(description: str) -> dict[str, Any]:
    return closed_object(
        {"self": {"type": "string", "format": "uri-reference", "description": description}}
    )


def _envelopes() -> tuple[dict[str, Any], list[dict[str, str]]]:
    """A payload and an envelope schema for each kind filed as JSON, with a working example."""
    schemas: dict[str, Any] = {}
    envelopes = []
    for spec in kinds.KINDS.values():
        if spec.by_upload:
            continue
        name = "".join(part.title() for part in spec.kind.value.split("_"))
        schemas[f"{name}Payload"] = object_schema(spec.fields) | {
            "description": f"{spec.title} ({spec.citation})"
        }
        schemas[f"{name}Filing"] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "payload"],
            "properties": {
                "kind": {"type": "string", "enum": [spec.kind.value]},
                "payload": ref(f"{name}Payload"),
                "supersedes": {
                    "type": ["string", "null"],
                    "description": "Receipt number of the filing this one corrects",
                },
            },
            "example": {"kind": spec.kind.value, "payload": examples.payload(spec.kind.value)},
        }
        envelopes.append(ref(f"{name}Filing"))
    return schemas, envelopes


RECEIPT = closed_object(
    description="The acknowledgement of receipt of a filing",
    properties={
        "receipt_number": {"type": "string", "example": "OICTS-2026-000001"},
        "kind": {"type": "string", "enum": [kind.value for kind in kinds.FilingKind]},
        "status": {"type": "string", "enum": list(RECEIPT_STATUSES)},
        "received_at": {"type": "string", "format": "date-time"},
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 of the body exactly as received",
        },
        "timeliness": {
            "type": ["string", "null"],
            "enum": [*(verdict.value for verdict in clocks.Timeliness), None],
            "description": "For an annual certification (§7.304(b)) or a training report "
            "(§7.308(c)); null for other kinds",
        },
        "warnings": {
            "type": "array",
            "items": ref("FieldError"),
            "description": "Flags the filing was accepted with, each with its citation",
        },
        "supersedes": {
            "type": ["string", "null"],
            "description": "Receipt number of the filing this one corrects",
        },
        "rules_version": {"type": "string", "description": "The rules the filing was checked by"},
        "replayed": {
            "type": "boolean",
            "description": "True when this answers a repeat of an earlier request with the "
            "same Idempotency-Key: nothing new was stored",
        },
        "links": closed_object(
            {
                "self": {
                    "type": "string",
                    "format": "uri-reference",
                    "description": "This receipt's status",
                },
                "receipt_pdf": {
                    "type": "string",
                    "format": "uri-reference",
                    "description": "The acknowledgement of receipt, a PDF",
                },
            }
        ),
    },
)

VALIDATION_REPORT = closed_object(
    description="What a check only (validate_only) answers for a filing without errors",
    properties={
        "valid": {"type": "boolean", "enum": [True]},
        "stored": {"type": "boolean", "enum": [False]},
        "warnings": {"type": "array", "items": ref("FieldError")},
        "rules_version": {"type": "string"},
    },
)

IP_LOG = closed_object(
    description="Where an IP access log attached to a training report stands (§7.308(d)(1)(i)(F))",
    properties={
        "ip_log_id": {"type": "integer"},
        "receipt_number": {"type": "string", "description": "The training report's"},
        "status": {
            "type": "string",
            "enum": [status.value for status in IpLogStatus],
            "description": "queued and checking go on; attached has every row stored; rejected "
            "lists its problems by row (nothing was stored); failed has a failure_reference "
            "(nothing was stored)",
        },
        "received_at": {"type": "string", "format": "date-time"},
        "size_bytes": {"type": "integer", "minimum": 1},
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 of the body exactly as received",
        },
        "rows_total": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Data rows in the log: counted from its lines while it is checked, "
            "as read once checked",
        },
        "rows_checked": {"type": ["integer", "null"], "minimum": 0},
        "rows_stored": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Every row once attached; 0 when rejected or failed",
        },
        "problem_count": {"type": "integer", "minimum": 0},
        "errors": {
            "type": "array",
            "items": ref("RowError"),
            "description": "The first problems by row (up to 1,000 of problem_count), when "
            "rejected",
        },
        "failure_reference": {"type": ["string", "null"]},
        "links": _links("This log's status"),
    },
)

ROW_ERROR = closed_object(
    properties={
        "row": {"type": "integer", "description": "The row of the file, 1 being the header"},
        "field": {"type": "string", "description": "The column"},
        "value": {"type": "string", "description": "What the cell held"},
        "message": {"type": "string"},
        "citation": {"type": "string"},
    },
)

RESELLER_IMPORT = closed_object(
    description="Where the import of a compiled certification stands",
    properties={
        "import_id": {"type": "integer"},
        "status": {
            "type": "string",
            "enum": [status.value for status in reseller_rules.ImportStatus],
            "description": "queued and checking go on; imported has its receipt; rejected "
            "lists its problems by row (nothing was stored); failed has a failure_reference",
        },
        "rows_total": {"type": "integer", "minimum": 0},
        "rows_done": {"type": "integer", "minimum": 0},
        "problem_count": {"type": "integer", "minimum": 0},
        "errors": {
            "type": "array",
            "items": ref("RowError"),
            "description": "The first problems by row, when rejected",
        },
        "receipt": _nullable(ref("Receipt")),
        "failure_reference": {"type": ["string", "null"]},
        "links": _links("This import's status"),
    },
)


def _accepted(description: str, schema: str, status_operation: str, key: str) -> dict[str, Any]:
    """A 202 answer: the work's status, with where (Location, and a link by ``key``) and when
    (Retry-After) to ask how it goes on."""
    return json_response(
        description,
        ref(schema),
        headers=ACCEPTED_HEADERS,
        links={
            f"{schema}Status": {
                "operationId": status_operation,
                "parameters": {key: f"$response.body#/{key}"},
            }
        },
    )


def _receipt_link(operation_id: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": {"receipt_number": "$response.body#/receipt_number"},
    }


# What a receipt's number leads to: its status, its PDF, and (for a training report) its IP log.
RECEIPT_LINKS = {
    "FilingStatus": _receipt_link("getFiling"),
    "FilingReceiptPdf": _receipt_link("getFilingReceiptPdf"),
    "AttachIpLog": _receipt_link("attachIpLog"),
}


def filings_part() -> ApiPart:
    schemas, envelopes = _envelopes()
    receipt = json_response("The filing's receipt", ref("Receipt"), links=RECEIPT_LINKS)
    return ApiPart(
        tag=TAG,
        description="Filings by U.S. IaaS providers' systems (15 CFR part 7 subpart D), with a "
        "bearer token. Every error is a problem document (RFC 9457) naming each field and the "
        "paragraph of the rule it comes from.",
        paths={
            "/filings": {"post": _file_operation(envelopes, receipt)},
            "/filings/{receipt_number}": {
                "get": _operation(
                    "getFiling",
                    "The receipt and status of one of your filings",
                    {
                        "200": receipt,
                        "404": problem_response("No filing of yours has that receipt number"),
                    },
                    parameters=[RECEIPT_NUMBER],
                )
            },
            "/filings/{receipt_number}/receipt.pdf": {
                "get": _operation(
                    "getFilingReceiptPdf",
                    "The acknowledgement of receipt of one of your filings, as a PDF",
                    {
                        "200": {
                            "description": "The acknowledgement, as the office sends it",
                            "content": {"application/pdf": {}},
                        },
                        "404": problem_response("No filing of yours has that receipt number"),
                    },
                    parameters=[RECEIPT_NUMBER],
                )
            },
            "/filings/{receipt_number}/ip-log": {"post": _ip_log_operation()},
            "/ip-logs/{ip_log_id}": {
                "get": _operation(
                    "getIpLog",
                    "Where an IP access log stands: being checked, attached (every row stored) "
                    "or rejected (with its problems by row)",
                    {
                        "200": json_response(
                            "The log's status", ref("IpLog"), headers=POLL_HEADERS
                        ),
                        "404": problem_response("No IP log of yours has that number"),
                    },
                    parameters=[_path_parameter("ip_log_id", {"type": "integer", "minimum": 1})],
                )
            },
            "/reseller-certifications": {"post": _reseller_operation()},
            "/reseller-certifications/{import_id}": {
                "get": _operation(
                    "getResellerCertificationImport",
                    "Where a compiled certification stands: checking, imported (with its "
                    "receipt) or rejected (with its problems by row)",
                    {
                        "200": json_response(
                            "The import's status", ref("ResellerImport"), headers=POLL_HEADERS
                        ),
                        "404": problem_response(
                            "No compiled certification of yours has that number"
                        ),
                    },
                    parameters=[_path_parameter("import_id", {"type": "integer", "minimum": 1})],
                )
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApiDocument",
                    "tags": [TAG],
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": json_response("The OpenAPI document", {"type": "object"})},
                }
            },
        },
        schemas={
            **schemas,
            "Receipt": RECEIPT,
            "ValidationReport": VALIDATION_REPORT,
            "IpLog": IP_LOG,
            "ResellerImport": RESELLER_IMPORT,
            "RowError": ROW_ERROR,
        },
    )


def _file_operation(envelopes: list[dict[str, str]], receipt: dict[str, Any]) -> dict[str, Any]:
    return _operation(
        "fileFiling",
        "File a certification, update, exemption request or AI training report",
        {
            "201": receipt,
            "200": json_response(
                "A repeat of an earlier filing (its receipt, replayed true), or the answer of "
                "a check only (validate_only)",
                {"oneOf": [ref("Receipt"), ref("ValidationReport")]},
            ),
            "400": problem_response(
                "Malformed JSON, a missing, blank or over-long Idempotency-Key, or a "
                "validate_only that is not true or false (invalid-request)"
            ),
            "409": problem_response(
                "The Idempotency-Key was used before with other content (idempotency-conflict)"
            ),
            "413": TOO_LARGE,
            "415": _unsupported("application/json"),
            "422": problem_response(
                "The filing has errors; nothing was stored (invalid-submission)"
            ),
        },
        parameters=[
            {
                "name": "Idempotency-Key",
                "in": "header",
                # OpenAPI cannot make one parameter's need depend on another's value.
                "required": False,
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_KEY_LENGTH,
                    "pattern": r"\S",
                },
                "description": "Required unless validate_only=true: the same key and content "
                "return the same receipt, so a retry never files twice. A key that is sent is "
                "never blank",
            },
            {
                "name": "validate_only",
                "in": "query",
                "required": False,
                "schema": {"type": "boolean"},
                "description": "true: check only, nothing is stored; false or left out: file. "
                "Any other value is refused (invalid-request)",
            },
        ],
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": envelopes}}},
        },
    )


def _ip_log_operation() -> dict[str, Any]:
    return _operation(
        "attachIpLog",
        "Attach a CSV log of IP accesses to a training report (§7.308(d)(1)(i)(F)): columns "
        "ip_address, accessed_at (ISO 8601 with its UTC offset), action (access or "
        "administration); up to 1,000,000 rows, every row stored or none, checked after the "
        "log is received",
        {
            "202": _accepted(
                "Received: the log's status (its rows are checked and stored in the "
                "background; poll its link for the outcome)",
                "IpLog",
                "getIpLog",
                "ip_log_id",
            ),
            "404": problem_response("No filing of yours has that receipt number"),
            "413": TOO_LARGE,
            "415": _unsupported("text/csv"),
            "422": problem_response(
                "An empty, over-large or non-UTF-8 file, or a filing that is not a training "
                "report; nothing was stored (invalid-submission). Problems in the rows are "
                "reported by the log's status"
            ),
        },
        parameters=[RECEIPT_NUMBER],
        # No schema: any body is a file to the request, whose rows the job checks.
        requestBody={
            "required": True,
            "description": "The log as CSV in UTF-8, its first row naming the columns",
            "content": {"text/csv": {}},
        },
    )


def _reseller_operation() -> dict[str, Any]:
    return _operation(
        "fileResellerCertification",
        "File a compiled foreign-reseller certification (§7.304(f)): the file as the body, "
        "CSV or Excel, one row per foreign reseller with the columns of the template; all rows "
        "are stored or none",
        {
            "202": _accepted(
                "Received: the import's status (a large file goes on in the background; poll "
                "its link for the outcome)",
                "ResellerImport",
                "getResellerCertificationImport",
                "import_id",
            ),
            "409": problem_response(
                "An earlier file is still being imported for you (refused-change)"
            ),
            "413": TOO_LARGE,
            "415": _unsupported(*reseller_rules.RESELLER_FILE_FORMATS.values()),
            "422": problem_response(
                "An empty, over-large or unreadable file; nothing was stored (invalid-submission)"
            ),
        },
        requestBody={
            "required": True,
            "content": {mimetype: {} for mimetype in reseller_rules.RESELLER_FILE_FORMATS.values()},
        },
    )
