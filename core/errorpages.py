"""Error pages in the house style; a server error shows a reference number, never a trace.
Under ``/api/`` every error is a problem document instead (RFC 9457, ``core.problems``)."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from core import problems, request_log
from core.db import db
from core.errors import IllegalTransition

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Check what you entered."),
    403: ("Not allowed", "Your role does not give access to this page."),
    404: ("Page not found", "There is no page at this address, or you may not see it."),
    405: ("Not allowed", "This page does not accept that kind of request."),
    413: ("File too large", "The upload is larger than this system accepts."),
}


def render_error(status: int, title: str, message: str, reference: str | None = None):
    return (
        render_template(
            "errors/error.html", status=status, title=title, message=message, reference=reference
        ),
        status,
    )


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.from_http_exception(error)
    status = error.code or 500
    title, message = MESSAGES.get(status, (error.name, error.description or ""))
    return render_error(status, title, message)


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.from_http_exception(error)
    return render_error(
        400,
        "Form expired",
        "This form was open too long or was sent from elsewhere, so it was not accepted. "
        "Go back, reload the page and send it again; nothing was saved.",
    )


def log_server_error(error: Exception) -> str:
    """Roll back, log the error, and return its reference number: the request's id, which every
    log line of the request carries (core.request_log)."""
    reference = request_log.current_id() or secrets.token_hex(8)
    db.session.rollback()
    current_app.logger.exception("server error, reference %s", reference, exc_info=error)
    return reference


def handle_server_error(error: Exception) -> ResponseReturnValue:
    reference = log_server_error(error)
    if problems.is_api_request():
        return problems.server_error(reference)
    return render_error(
        500,
        "Something went wrong",
        "The system could not complete the request, and nothing was saved. "
        "If it happens again, give the help desk this reference number.",
        reference,
    )


def page_of(path: str) -> str:
    """The nearest page above a form's address that can be shown: the record the form acts on
    (``/special-measures/cases/5/close`` -> ``/special-measures/cases/5``)."""
    adapter = current_app.create_url_adapter(request)
    while "/" in path.rstrip("/"):
        path = path.rstrip("/").rsplit("/", 1)[0] or "/"
        try:
            adapter.match(path, method="GET")
        except RequestRedirect as moved:
            return moved.new_url
        except (NotFound, MethodNotAllowed):
            continue
        return request.script_root + path
    return request.script_root + "/"


def handle_illegal_transition(error: IllegalTransition) -> ResponseReturnValue:
    """A step refused by the record's state: nothing is stored; the page shows why."""
    db.session.rollback()
    if problems.is_api_request():
        return problems.problem(409, str(error), kind="refused-change")
    flash(str(error), "error")
    return redirect(page_of(request.path), code=303)


def register(app: Flask) -> None:
    app.register_error_handler(IllegalTransition, handle_illegal_transition)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)
