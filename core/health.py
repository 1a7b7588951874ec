"""Health checks for the load balancer and the operator, without sign-in: ``/healthz`` says the
process answers; ``/readyz`` says it can do its work (the database answers, its schema is the
migrations' head, and the job queue can be reached), with 503 and the reason when it cannot."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.access import public
from core.db import db
from core.jobs import queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}


def readiness_problems() -> list[str]:
    """What keeps this process from serving: the database unreachable, or a schema that is not
    the one the code expects (a migration not run, or code older than the database)."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return [f"the database does not answer ({type(error).__name__})"]
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    expected = set(scripts.get_heads())
    if current != expected:
        at, wanted = ", ".join(sorted(current)) or "none", ", ".join(sorted(expected))
        return [f"the schema is at {at}, not at {wanted}: run flask db upgrade"]
    return queue_problems()


def queue_problems() -> list[str]:
    """The job queue's store must answer, or nothing long can be started (core.jobs)."""
    try:
        queue.the_queue().pending_count()
    except Exception as error:
        return [f"the job queue does not answer ({type(error).__name__})"]
    return []


@bp.get("/readyz")
@public
def readyz() -> ResponseReturnValue:
    problems = readiness_problems()
    if problems:
        return {"status": "not ready", "problems": problems}, 503
    return {"status": "ready"}
