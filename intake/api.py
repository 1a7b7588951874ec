"""The filing API for providers' systems: ``/api/v1``.

Bearer tokens (one per provider system), an ``Idempotency-Key`` on every filing, a
validation-only mode, and the same rules and error messages as the web forms.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from core import clocks, errorpages
from core.access import provider_system, public
from core.db import db, utcnow
from core.errors import DomainError
from core.schema import Problem, object_schema
from intake import ai_services, examples, rules, services
from intake.models import ApiToken, Filing, ResellerImport

bp = Blueprint("intake_api", __name__, url_prefix="/api/v1")

MAX_KEY_LENGTH = 200


def _problem(
    status: int, title: str, errors: list[Problem] | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {"status": status, "title": title, **extra}
    if errors is not None:
        body["errors"] = [problem.as_dict() for problem in errors]
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="oicts"'
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return _problem(error.code or 500, error.name)


@bp.errorhandler(Exception)
def _server_error(error: Exception) -> Response:
    """A provider's system gets JSON even when the system fails, with the reference number the
    office's log keeps."""
    reference = errorpages.log_server_error(error)
    return _problem(500, "The filing could not be processed; nothing was stored.",
                    reference=reference)  # fmt: skip


def _bearer_token() -> ApiToken | Response:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _problem(401, "Missing bearer token: send 'Authorization: Bearer <token>'.")
    token = services.token_for(value.strip())
    if token is None:
        db.session.commit()
        return _problem(401, "The token is not valid or has been revoked.")
    return token


def _with_token(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Every provider-system route: the bearer token first, handed to the view as ``token``."""

    @wraps(view)
    def checked(**values: Any) -> ResponseReturnValue:
        token = _bearer_token()
        if isinstance(token, Response):
            return token
        return view(token=token, **values)

    return checked


def _receipt(filing: Filing, *, replayed: bool = False) -> dict[str, Any]:
    return {
        "receipt_number": filing.receipt_number,
        "kind": filing.kind,
        "status": "accepted with warnings" if filing.warnings else "accepted",
        "received_at": filing.received_at.isoformat(),
        "sha256": filing.payload_sha256,
        "timeliness": filing.timeliness,
        "warnings": filing.warnings,
        "supersedes": filing.supersedes.receipt_number if filing.supersedes else None,
        "rules_version": filing.rules_version,
        "replayed": replayed,
        "links": {
            "self": url_for("intake_api.filing_status", receipt_number=filing.receipt_number)
        },
    }


def _parse_envelope(raw: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        envelope = json.loads(raw)
    except ValueError as error:
        return None, [Problem("", f"the body is not valid JSON: {error}", "")]
    if not isinstance(envelope, dict):
        return None, [Problem("", "the body must be a JSON object", "")]
    problems = [
        Problem(name, "is not a field of a filing envelope", "")
        for name in envelope
        if name not in ("kind", "payload", "supersedes")
    ]
    if not isinstance(envelope.get("kind"), str):
        problems.append(Problem("kind", "is required: the kind of filing", "§7.304"))
    if "supersedes" in envelope and not isinstance(envelope["supersedes"], str | None):
        problems.append(Problem("supersedes", "must be a receipt number", ""))
    return envelope, problems


@bp.post("/filings")
@provider_system
@_with_token
def file(token: ApiToken) -> ResponseReturnValue:
    if not request.is_json:
        return _problem(415, "Send the filing as application/json.")
    key = request.headers.get("Idempotency-Key", "").strip()
    validate_only = request.args.get("validate_only", "").lower() in ("1", "true", "yes")
    if not key and not validate_only:
        return _problem(400, "Send an Idempotency-Key header so a retry never files twice.")
    if len(key) > MAX_KEY_LENGTH:
        return _problem(400, f"The Idempotency-Key is longer than {MAX_KEY_LENGTH} characters.")
    raw = request.get_data(as_text=True)
    envelope, problems = _parse_envelope(raw)
    if envelope is None:
        return _problem(400, "Malformed request body.", problems)
    if problems:
        return _problem(422, "The filing has errors; nothing was stored.", problems)
    submission = services.Submission(
        kind=envelope["kind"],
        payload=envelope.get("payload"),
        raw=raw,
        channel="api",
        supersedes=envelope.get("supersedes"),
        idempotency_key=key or None,
    )
    provider = token.provider
    try:
        if validate_only:
            return _validation_only(provider, submission)
        received = _receive_once(provider, submission, token)
    except services.FilingRejected as rejected:
        db.session.rollback()
        return _problem(422, "The filing has errors; nothing was stored.", rejected.problems)
    except services.IdempotencyConflict as conflict:
        db.session.rollback()
        return _problem(409, str(conflict))
    db.session.commit()
    status = 201 if received.created else 200
    return _receipt(received.filing, replayed=not received.created), status


def _receive_once(
    provider: Any, submission: services.Submission, token: ApiToken
) -> services.Received:
    """Two requests with one Idempotency-Key at the same moment: the one that stores second
    meets the unique key, and answers with the first one's receipt (DESIGN.md §3)."""
    try:
        received = services.receive_filing(provider, submission, token=token)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        received = services.receive_filing(provider, submission, token=token)
    return received


def _validation_only(provider: Any, submission: services.Submission) -> ResponseReturnValue:
    spec, _, _, facts = services.check_submission(provider, submission, clocks.office_today())
    db.session.rollback()
    warnings = [warning.as_dict() for warning in rules.warnings(spec.kind, facts)]
    return {
        "valid": True,
        "stored": False,
        "warnings": warnings,
        "rules_version": rules.RULES_VERSION,
    }


@bp.get("/filings/<receipt_number>")
@provider_system
@_with_token
def filing_status(receipt_number: str, token: ApiToken) -> ResponseReturnValue:
    filing = services.get_filing(receipt_number)
    # Another provider's receipt is answered exactly like one that does not exist.
    if filing is None or filing.provider_id != token.provider_id:
        return _problem(404, "No filing of yours has that receipt number.")
    db.session.commit()
    return _receipt(filing)


@bp.post("/filings/<receipt_number>/ip-log")
@provider_system
@_with_token
def attach_ip_log(receipt_number: str, token: ApiToken) -> ResponseReturnValue:
    """A CSV log of IP accesses attached to one of the provider's training reports
    (§7.308(d)(1)(i)(F)): every row, or none."""
    filing = services.get_filing(receipt_number)
    if filing is None or filing.provider_id != token.provider_id:
        return _problem(404, "No filing of yours has that receipt number.")
    if request.mimetype != "text/csv":
        return _problem(415, "Send the log as text/csv.")
    try:
        attachment = ai_services.attach_ip_log(
            filing, filename=f"{receipt_number}-ip-log.csv", content=request.get_data(),
            token=token,
        )  # fmt: skip
    except ai_services.LogRejected as rejected:
        db.session.rollback()
        problems = [
            Problem(f"row {problem.row}" + (f", {problem.column}" if problem.column else ""),
                    problem.message, problem.citation)
            for problem in rejected.check.problems
        ]  # fmt: skip
        return _problem(422, str(rejected), problems, problem_count=rejected.check.problem_count)
    except DomainError as error:
        db.session.rollback()
        return _problem(422, str(error))
    db.session.commit()
    return {
        "receipt_number": receipt_number,
        "rows": attachment.row_count,
        "sha256": attachment.document.sha256,
    }, 201


# --- Compiled foreign-reseller certifications (§7.304(f)) ---------------------------------------

RESELLER_FILE_TYPES = {
    mimetype: extension for extension, mimetype in rules.RESELLER_FILE_FORMATS.items()
}


@bp.post("/reseller-certifications")
@provider_system
@_with_token
def file_reseller_certification(token: ApiToken) -> ResponseReturnValue:
    """The compiled file (CSV or Excel) as the body: checked row by row and stored whole or not
    at all, like an upload on the web; a large file is imported in the background."""
    extension = RESELLER_FILE_TYPES.get(request.mimetype)
    if extension is None:
        return _problem(415, "Send the compiled file as text/csv or as an Excel workbook (.xlsx).")
    content = request.get_data()
    try:
        started = services.start_reseller_import(
            token.provider,
            filename=f"reseller-certification-{utcnow():%Y%m%d%H%M%S}.{extension}",
            content=content,
            token=token,
        )
    except services.UploadRefused as refused:
        db.session.rollback()
        return _problem(422, str(refused))
    db.session.commit()
    services.import_reseller_file(started.id, content)
    db.session.refresh(started)
    return _import_status(started), 202


@bp.get("/reseller-certifications/<int:import_id>")
@provider_system
@_with_token
def reseller_certification_status(import_id: int, token: ApiToken) -> ResponseReturnValue:
    record = services.get_reseller_import(import_id)
    if record is None or record.provider_id != token.provider_id:
        return _problem(404, "No compiled certification of yours has that number.")
    db.session.commit()
    return _import_status(record)


def _import_status(record: ResellerImport) -> dict[str, Any]:
    """Where an import stands; a rejected file's first problems by row, as on its web page."""
    return {
        "import_id": record.id,
        "status": record.status,
        "rows_total": record.rows_total,
        "rows_done": record.rows_done,
        "problem_count": record.error_count,
        "errors": [
            {"row": int(row), "field": column, "value": value, "message": message,
             "citation": citation}
            for row, column, value, message, citation in services.error_preview(record)
        ],
        "receipt": _receipt(record.filing) if record.filing else None,
        "failure_reference": record.failure_reference,
        "links": {
            "self": url_for("intake_api.reseller_certification_status", import_id=record.id)
        },
    }  # fmt: skip


def openapi_document() -> dict[str, Any]:
    kinds = [spec for spec in rules.KINDS.values() if not spec.by_upload]
    schemas: dict[str, Any] = {}
    envelopes = []
    for spec in kinds:
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
                "payload": {"$ref": f"#/components/schemas/{name}Payload"},
                "supersedes": {
                    "type": "string",
                    "description": "Receipt number of the filing this one corrects",
                },
            },
            "example": {"kind": spec.kind.value, "payload": examples.payload(spec.kind.value)},
        }
        envelopes.append({"$ref": f"#/components/schemas/{name}Filing"})
    problem = {
        "type": "object",
        "properties": {
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "message": {"type": "string"},
                        "citation": {"type": "string"},
                    },
                },
            },
        },
    }
    receipt = {
        "type": "object",
        "properties": {
            name: {"type": "string"}
            for name in ("receipt_number", "kind", "status", "received_at", "sha256")
        },
    }
    errors = {
        code: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for code, text in (
            ("400", "Malformed JSON or a missing Idempotency-Key"),
            ("401", "Missing, unknown or revoked token"),
            ("409", "Idempotency-Key reused with different content"),
            ("415", "Not application/json"),
            ("422", "The filing has errors; nothing was stored"),
        )
    }
    receipt_response = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "OICTS filing API (15 CFR part 7 subpart D)",
            "version": rules.RULES_VERSION,
            "description": "Filings by U.S. IaaS providers to the Department of Commerce. Every "
            "error names the field path and the paragraph of the rule it comes from.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/filings": {
                "post": {
                    "summary": "File a certification or update",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
                            "description": "The same key and content return the same receipt",
                        },
                        {
                            "name": "validate_only",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "boolean"},
                            "description": "Check only; nothing is stored",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"oneOf": envelopes}}},
                    },
                    "responses": {
                        "201": {"description": "Filed", **receipt_response},
                        "200": {
                            "description": "A replay of an earlier filing, or a check only",
                            **receipt_response,
                        },
                        **errors,
                    },
                }
            },
            "/reseller-certifications": {
                "post": {
                    "summary": "File a compiled foreign-reseller certification (§7.304(f)): "
                    "the file as the body, CSV or Excel, one row per foreign reseller with the "
                    "columns of the template; all rows are stored or none",
                    "requestBody": {
                        "required": True,
                        "content": {
                            mimetype: {"schema": {"type": "string", "format": "binary"}}
                            for mimetype in RESELLER_FILE_TYPES
                        },
                    },
                    "responses": {
                        "202": {"description": "Received; poll its link for the outcome"},
                        "401": errors["401"],
                        "415": errors["415"],
                        "422": errors["422"],
                    },
                }
            },
            "/reseller-certifications/{import_id}": {
                "get": {
                    "summary": "Where a compiled certification stands: checking, imported "
                    "(with its receipt) or rejected (with its problems by row)",
                    "parameters": [
                        {
                            "name": "import_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "The import's status"},
                        "401": errors["401"],
                        "404": {
                            "description": "No compiled certification of yours has that number"
                        },
                    },
                }
            },
            "/filings/{receipt_number}/ip-log": {
                "post": {
                    "summary": "Attach a CSV log of IP accesses to a training report "
                    "(§7.308(d)(1)(i)(F)): columns ip_address, accessed_at (ISO 8601 with its "
                    "UTC offset), action (access or administration); up to 1,000,000 rows",
                    "parameters": [
                        {
                            "name": "receipt_number",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "responses": {
                        "201": {"description": "Attached: every row stored"},
                        "401": errors["401"],
                        "404": {"description": "No filing of yours has that receipt number"},
                        "415": errors["415"],
                        "422": {
                            "description": "Rows with problems, by row: nothing was stored",
                            "content": errors["422"]["content"],
                        },
                    },
                }
            },
            "/filings/{receipt_number}": {
                "get": {
                    "summary": "The status of one of your filings",
                    "parameters": [
                        {
                            "name": "receipt_number",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "The filing's receipt", **receipt_response},
                        "401": errors["401"],
                        "404": {"description": "No filing of yours has that receipt number"},
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {**schemas, "Problem": problem, "Receipt": receipt},
        },
    }


@bp.get("/openapi.json")
@public
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())
