"""Logs an operator can search: one JSON object a line, each carrying the id of the request it
came from, the same id the response's ``X-Request-ID`` header and any error page's reference
number show, so that a person quoting the reference leads to the lines that explain it."""

from __future__ import annotations

import logging
import re
import secrets
import sys

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# An id a trusted proxy already gave the request is kept, if it is a plain token.
PROXY_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
FIELDS = ("asctime", "levelname", "name", "message", "request_id")


def current_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_id() or "-"
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is written (a server may swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def _start(app: Flask) -> None:
    given = request.headers.get(HEADER, "")
    trusted = app.config["TRUSTED_PROXIES"] > 0 and PROXY_ID.match(given)
    g.request_id = given if trusted else secrets.token_hex(8)


def _tag(response: Response) -> Response:
    if request_id := current_id():
        response.headers[HEADER] = request_id
    return response


def init_app(app: Flask) -> None:
    app.before_request(lambda: _start(app))
    app.after_request(_tag)
    log_to_stderr(app.logger)


def log_to_stderr(logger: logging.Logger) -> None:
    """JSON lines on standard error for ``logger`` (the application's; the root logger in a job
    worker, whose lines come from the queue's library too)."""
    # A logger is shared by every application in the process: set it up once.
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter(list(FIELDS), rename_fields={"levelname": "level"}))
        handler.addFilter(_RequestIdFilter())
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
