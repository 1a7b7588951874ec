"""The filing API for providers' systems: ``/api/v1``.

Bearer tokens (one per provider system), an ``Idempotency-Key`` on every filing, a
validation-only mode, and the same rules and error messages as the web forms.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError

from core import clocks, control_characters, crypto, exports, openapi
from core.access import provider_system, public
from core.db import db, utcnow
from core.errors import DomainError
from core.office import services as office
from core.problems import problem
from core.rate_limits.services import RateLimit, client_address, limited
from core.schema import Problem
from intake import api_document, reports, rules, services
from intake.ai import ip_logs
from intake.api_document import MAX_KEY_LENGTH, VALIDATE_ONLY_VALUES
from intake.models import ApiToken, Filing, ResellerImport
from intake.resellers import rules as reseller_rules
from intake.resellers import services as reseller_services

bp = Blueprint("intake_api", __name__, url_prefix="/api/v1")


def _presented_token() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _bearer_token() -> ApiToken | Response:
    presented = _presented_token()
    challenge = {"WWW-Authenticate": 'Bearer realm="oicts"'}
    if presented is None:
        return problem(
            401, "Missing bearer token: send 'Authorization: Bearer <token>'.", headers=challenge
        )
    token = services.token_for(presented)
    if token is None:
        return problem(401, "The token is not valid or has been revoked.", headers=challenge)
    return token


def _token_counted() -> str:
    """Whose allowance a request uses: the token it presents (by digest), so that each provider
    system has its own; a request without one uses its address's."""
    presented = _presented_token()
    return f"token:{crypto.token_digest(presented)}" if presented else f"address:{client_address()}"


PER_TOKEN = RateLimit(
    setting="RATELIMIT_FILING_API",
    scope="filing-api",
    key=_token_counted,
    refusal=lambda: (
        "Too many requests with this token"
        if _presented_token()
        else "Too many requests without a token from this address"
    ),
)


def _with_token(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Every provider-system route: the token's rate limit, then the bearer token, handed to the
    view as ``token``."""

    @limited(PER_TOKEN)
    @wraps(view)
    def checked(**values: Any) -> ResponseReturnValue:
        token = _bearer_token()
        if isinstance(token, Response):
            return token
        return view(token=token, **values)

    return checked


def _own_filing(receipt_number: str, token: ApiToken) -> Filing:
    """The token's provider's filing; another provider's receipt is answered exactly like one
    that does not exist."""
    filing = services.get_filing(receipt_number)
    if filing is None or filing.provider_id != token.provider_id:
        abort(problem(404, "No filing of yours has that receipt number."))
    return filing


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
            "self": url_for("intake_api.filing_status", receipt_number=filing.receipt_number),
            "receipt_pdf": url_for("intake_api.receipt_pdf", receipt_number=filing.receipt_number),
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
    for name in ("kind", "supersedes"):
        if isinstance(envelope.get(name), str) and (
            message := control_characters.problem(envelope[name])
        ):
            problems.append(Problem(name, message, ""))
    return envelope, problems


@bp.post("/filings")
@provider_system
@_with_token
def file(token: ApiToken) -> ResponseReturnValue:
    if not request.is_json:
        return problem(415, "Send the filing as application/json.")
    validate_only = _validate_only()
    if isinstance(validate_only, Problem):
        return problem(400, "Send validate_only as true or false.", kind="invalid-request",
                       errors=[validate_only])  # fmt: skip
    sent_key = request.headers.get("Idempotency-Key")
    if key_problem := _key_problem(sent_key, validate_only):
        return problem(400, "Send a usable Idempotency-Key header.", kind="invalid-request",
                       errors=[key_problem])  # fmt: skip
    key = (sent_key or "").strip()
    raw = request.get_data(as_text=True)
    envelope, problems = _parse_envelope(raw)
    if envelope is None:
        return problem(400, "Malformed request body: send a JSON filing envelope.",
                       kind="invalid-request", errors=problems)  # fmt: skip
    if problems:
        return _invalid_filing(problems)
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
        return _invalid_filing(rejected.problems)
    except services.IdempotencyConflict as conflict:
        db.session.rollback()
        return problem(409, str(conflict), kind="idempotency-conflict")
    status = 201 if received.created else 200
    return _receipt(received.filing, replayed=not received.created), status


def _validate_only() -> bool | Problem:
    """The ``validate_only`` query parameter: absent, ``true`` or ``false``, once; any other value
    is refused rather than read as false, which would store what was meant as a check."""
    values = request.args.getlist("validate_only")
    if not values:
        return False
    if len(values) == 1 and values[0] in VALIDATE_ONLY_VALUES:
        return VALIDATE_ONLY_VALUES[values[0]]
    return Problem("validate_only", "must be true or false, given once", "")


def _key_problem(sent: str | None, validate_only: bool) -> Problem | None:
    """Only a check (validate_only) may come without a key; a key that is sent is never blank."""
    if sent is None:
        if validate_only:
            return None
        return Problem("Idempotency-Key", "is required, so that a retry never files twice", "")
    if not sent.strip():
        return Problem("Idempotency-Key", "must not be blank", "")
    if len(sent) > MAX_KEY_LENGTH:
        return Problem("Idempotency-Key", f"must be at most {MAX_KEY_LENGTH} characters", "")
    return None


def _invalid_filing(problems: list[Problem]) -> Response:
    return problem(422, f"The filing has {len(problems)} error(s); correct each and file again.",
                   kind="invalid-submission", errors=problems)  # fmt: skip


def _receive_once(
    provider: Any, submission: services.Submission, token: ApiToken
) -> services.Received:
    """Two requests with one Idempotency-Key at the same moment: the one that stores second
    meets the unique key, and answers with the first one's receipt (docs/architecture.md §3)."""
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
    filing = _own_filing(receipt_number, token)
    return _receipt(filing)


@bp.get("/filings/<receipt_number>/receipt.pdf")
@provider_system
@_with_token
def receipt_pdf(receipt_number: str, token: ApiToken) -> ResponseReturnValue:
    """The acknowledgement of receipt, the same document the office's staff download."""
    filing = _own_filing(receipt_number, token)
    services.download_receipt(filing, actor=None, token=token)
    return exports.download(
        reports.acknowledgement_pdf(filing, office=office.documents(), generated_at=utcnow()),
        filename=f"{receipt_number}.pdf",
        mimetype="application/pdf",
    )


# A job's first answer says where to ask how it is going, and how soon (RFC 9110 §15.3.3).
POLL_AFTER_SECONDS = 2


def accepted_for_later(body: dict[str, Any], status_url: str) -> Response:
    """202 Accepted: the work goes on in the job worker; ``status_url`` answers how it stands."""
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = status_url
    response.headers["Retry-After"] = str(POLL_AFTER_SECONDS)
    return response


def status_answer(body: dict[str, Any], *, running: bool) -> Response:
    """How a job's work stands; while it goes on, when to ask again."""
    response = jsonify(body)
    if running:
        response.headers["Retry-After"] = str(POLL_AFTER_SECONDS)
    return response


@bp.post("/filings/<receipt_number>/ip-log")
@provider_system
@_with_token
def attach_ip_log(receipt_number: str, token: ApiToken) -> ResponseReturnValue:
    """A CSV log of IP accesses for one of the provider's training reports
    (§7.308(d)(1)(i)(F)): received at once (202), then checked and stored, every row or none,
    by the job worker; the answer says where to follow it."""
    filing = _own_filing(receipt_number, token)
    if request.mimetype != "text/csv":
        return problem(415, "Send the log as text/csv.")
    # A log of up to a million rows (§7.308(d)(1)(i)(F)) is larger than other bodies may be.
    request.max_content_length = max(ip_logs.MAX_IP_LOG_BYTES, request.max_content_length or 0)
    try:
        attachment = ip_logs.attach_ip_log(
            filing, filename=f"{receipt_number}-ip-log.csv", content=request.get_data(),
            token=token,
        )  # fmt: skip
    except DomainError as error:
        db.session.rollback()
        return problem(422, str(error), kind="invalid-submission")
    return accepted_for_later(
        _ip_log_status(ip_logs.ip_log_progress(attachment)),
        url_for("intake_api.ip_log_status", ip_log_id=attachment.id),
    )


@bp.get("/ip-logs/<int:ip_log_id>")
@provider_system
@_with_token
def ip_log_status(ip_log_id: int, token: ApiToken) -> ResponseReturnValue:
    attachment = ip_logs.get_ip_log(ip_log_id)
    if attachment is None or attachment.filing.provider_id != token.provider_id:
        return problem(404, "No IP log of yours has that number.")
    shown = ip_logs.ip_log_progress(attachment)
    return status_answer(_ip_log_status(shown), running=shown.running)


def _ip_log_status(shown: ip_logs.IpLogProgress) -> dict[str, Any]:
    """Where a log stands; a rejected log's problems by row, as on its web page."""
    attachment = shown.attachment
    return {
        "ip_log_id": attachment.id,
        "receipt_number": attachment.filing.receipt_number,
        "status": shown.status.value,
        "received_at": attachment.attached_at.isoformat(),
        "size_bytes": attachment.size_bytes,
        "sha256": attachment.sha256,
        "rows_total": shown.rows_total,
        "rows_checked": shown.rows_checked,
        "rows_stored": shown.rows_stored,
        "problem_count": attachment.problem_count,
        "errors": [
            {"row": each["row"], "field": each["column"], "value": each["value"],
             "message": each["message"], "citation": each["citation"]}
            for each in attachment.problems or []
        ],
        "failure_reference": attachment.failure_reference,
        "links": {"self": url_for("intake_api.ip_log_status", ip_log_id=attachment.id)},
    }  # fmt: skip


# --- Compiled foreign-reseller certifications (§7.304(f)) ---------------------------------------

RESELLER_FILE_TYPES = {
    mimetype: extension for extension, mimetype in reseller_rules.RESELLER_FILE_FORMATS.items()
}
openapi.register_part("filings", api_document.filings_part)


@bp.post("/reseller-certifications")
@provider_system
@_with_token
def file_reseller_certification(token: ApiToken) -> ResponseReturnValue:
    """The compiled file (CSV or Excel) as the body: checked row by row and stored whole or not
    at all, like an upload on the web, by the job worker; the answer (202) says where to follow
    it."""
    extension = RESELLER_FILE_TYPES.get(request.mimetype)
    if extension is None:
        return problem(415, "Send the compiled file as text/csv or as an Excel workbook (.xlsx).")
    content = request.get_data()
    try:
        started = reseller_services.start_reseller_import(
            token.provider,
            filename=f"reseller-certification-{utcnow():%Y%m%d%H%M%S}.{extension}",
            content=content,
            token=token,
        )
    except reseller_services.ImportStillRunning as running:
        db.session.rollback()
        return problem(409, str(running), kind="refused-change")
    except reseller_services.UploadRefused as refused:
        db.session.rollback()
        return problem(422, str(refused), kind="invalid-submission")
    return accepted_for_later(
        _import_status(started),
        url_for("intake_api.reseller_certification_status", import_id=started.id),
    )


@bp.get("/reseller-certifications/<int:import_id>")
@provider_system
@_with_token
def reseller_certification_status(import_id: int, token: ApiToken) -> ResponseReturnValue:
    record = reseller_services.get_reseller_import(import_id)
    if record is None or record.provider_id != token.provider_id:
        return problem(404, "No compiled certification of yours has that number.")
    return status_answer(_import_status(record), running=record.status in reseller_rules.RUNNING)


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
            for row, column, value, message, citation in reseller_services.error_preview(record)
        ],
        "receipt": _receipt(record.filing) if record.filing else None,
        "failure_reference": record.failure_reference,
        "links": {
            "self": url_for("intake_api.reseller_certification_status", import_id=record.id)
        },
    }  # fmt: skip


@bp.get("/openapi.json", endpoint="openapi")
@public
def openapi_json() -> ResponseReturnValue:
    return openapi.document(
        title="OICTS filing API (15 CFR part 7 subpart D)",
        version=rules.RULES_VERSION,
        description="Filings by U.S. IaaS providers to the Department of Commerce, and the "
        "public list of special measures in force. Every error is a problem document (RFC 9457, "
        "application/problem+json) that names each field and the paragraph of the rule it "
        "comes from.",
    )
