"""Problem details (RFC 9457) for every error under ``/api/``: one builder, so that a provider's
system reads every refusal the same way (``application/problem+json`` with ``type``, ``title``,
``status``, ``detail``, ``instance`` and the field-level ``errors``, each with its citation).

A plain HTTP error (not found, wrong method, no token) has the type ``about:blank`` and the
status phrase as its title (RFC 9457 §4.2.1); the system's own kinds of problem have a type that
resolves to their description at ``/api/v1/problems/<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from core.access import public
from core.schema import Problem

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"
BLANK = "about:blank"


@dataclass(frozen=True)
class ProblemType:
    name: str
    status: int
    title: str
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    kind.name: kind
    for kind in (
        ProblemType(
            "invalid-request", 400, "The request is malformed; nothing was stored",
            "The body is not the JSON it should be, a required header is missing, or a "
            "parameter is not written in its format. Each is named in errors.",
        ),
        ProblemType(
            "invalid-submission", 422, "The submission has errors; nothing was stored",
            "What was sent breaks a rule of 15 CFR part 7 subpart D or of the system. Each "
            "problem is in errors, by field path or by row, with the paragraph it comes from. "
            "Correct them and send the whole submission again.",
        ),
        ProblemType(
            "idempotency-conflict", 409, "The Idempotency-Key was used for other content",
            "An earlier filing used the same Idempotency-Key with a different body. Send a new "
            "key for a new filing; the same key with the same body returns the first receipt.",
        ),
        ProblemType(
            "refused-change", 409, "The change is refused in the record's present state",
            "The record is not in a state that allows this change (for example, another import "
            "is still running, or the step was already taken). The detail says what to wait "
            "for or do first; nothing was changed.",
        ),
        ProblemType(
            "rate-limited", 429, "Too many requests; this one was not read",
            "The system answers each token (the filing API) or each address (the public "
            "feed) only so many times in a period. Send the request again after the number of "
            "seconds Retry-After gives; nothing of this one was stored.",
        ),
        ProblemType(
            "server-error", 500, "The system could not complete the request; nothing was stored",
            "A fault in the system, not in the request. The reference is kept in the office's "
            "log; send the request again later, and give the reference to the help desk if it "
            "happens again.",
        ),
    )
}  # fmt: skip


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def instance() -> str:
    """The address asked, as a URI reference: a path with characters a URI may not hold (a
    space, a control character, a letter outside ASCII) is percent-encoded again."""
    return quote(request.path, safe="/!$&'()*+,;=:@-._~")


def type_uri(kind: str | None) -> str:
    return url_for("problems.problem_type", name=kind, _external=True) if kind else BLANK


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: Iterable[Problem] = (),
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    **extensions: Any,
) -> Response:
    """The problem document answering an API request: ``kind`` names one of ``PROBLEM_TYPES``
    (its title and status), else the type is ``about:blank`` with the status phrase as title."""
    if kind is not None and PROBLEM_TYPES[kind].status != status:
        raise ValueError(f"a {kind} problem answers {PROBLEM_TYPES[kind].status}, not {status}")
    title = PROBLEM_TYPES[kind].title if kind else HTTP_STATUS_CODES.get(status, "Error")
    response = jsonify(
        {
            "type": type_uri(kind),
            "title": title,
            "status": status,
            "detail": detail,
            "instance": instance(),
            "errors": [error.as_dict() for error in errors],
            **extensions,
        }
    )
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers.extend(headers)
    return response


# What a provider's system is told for a plain HTTP error under /api/, where the web's wording
# ("this page") would not fit.
HTTP_DETAILS = {
    400: "The request could not be understood.",
    403: "This address is not open to the credentials sent.",
    404: "There is nothing at this address, or nothing you may see.",
    413: "The body is larger than the system accepts.",
}


def from_http_exception(error: HTTPException) -> Response:
    """Any HTTP error raised under /api/ (an unknown address, a wrong method, a body too large)
    as a problem document, with the headers the error carries (``Allow`` on a 405)."""
    status = error.code or 500
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    if status == 405:
        allowed = dict(headers).get("Allow", "")
        detail = f"This address does not accept {request.method}; it accepts {allowed}."
    else:
        detail = HTTP_DETAILS.get(status, error.description or "")
    return problem(status, detail, headers=headers)


def server_error(reference: str) -> Response:
    return problem(
        500,
        f"Nothing was stored. If it happens again, give the help desk the reference {reference}.",
        kind="server-error",
        reference=reference,
    )


bp = Blueprint("problems", __name__, url_prefix="/api/v1")


@bp.get("/problems/<name>")
@public
def problem_type(name: str) -> ResponseReturnValue:
    """What a problem type means: the address its ``type`` member names."""
    kind = PROBLEM_TYPES.get(name) or abort(404)
    return {
        "type": type_uri(kind.name),
        "title": kind.title,
        "status": kind.status,
        "description": kind.description,
    }
