"""One transaction per request and per command (Indico's request handler; docs/architecture.md §7).

Services write and flush; nothing in a view, an API handler or a command commits. Once the
handler has answered, the request commits if the answer is not an error, and rolls back if it
is: a form shown again with its errors (422), a refusal (4xx) or a failure (5xx, whose handler
has already rolled back) leaves nothing stored. A command commits when it returns and rolls back
when it raises or exits with an error. The jobs a committed transaction stored are then handed
to the queue (core.jobs), never before: a worker must find what it is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, Response

from core import signals
from core.db import db
from core.jobs.services import send_committed

P = ParamSpec("P")
R = TypeVar("R")


def _end_request(response: Response) -> Response:
    # An error raised by the commit itself goes to the server-error handler like any other,
    # which rolls back and answers 500: the user is never told of a save that did not happen.
    if response.status_code < 400:
        signals.send(signals.transaction_committing)
        db.session.commit()
        send_committed()
    else:
        db.session.rollback()
    return response


def command(run: Callable[P, R]) -> Callable[P, R]:
    """A command's transaction: committed when ``run`` returns, rolled back if it raises
    (``SystemExit`` included, which is how a command reports a refusal)."""

    @functools.wraps(run)
    def in_transaction(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = run(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        try:
            signals.send(signals.transaction_committing)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        send_committed()
        return result

    return in_transaction


def init_app(app: Flask) -> None:
    app.after_request(_end_request)
