"""The job queue (Huey): where its messages are kept, the tasks a worker runs, and the live
progress and heartbeats of running jobs (docs/architecture.md §11).

The queue lives beside the data: next to an SQLite database in a file of its own, and inside a
PostgreSQL database in Huey's own tables (created by the migrations, so that the application's
role needs no right to create tables). ``JOB_QUEUE=immediate`` runs each job in the process that
sends it, as soon as its record is committed (the test suite's default)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey
from huey.api import TaskWrapper
from sqlalchemy.engine import make_url

QUEUE_NAME = "oicts"
# Huey's tables in a PostgreSQL database: job_queue_task, job_queue_schedule, job_queue_kv,
# job_queue_counter (migrations/versions/*_job_queue.py).
POSTGRES_TABLE_PREFIX = "job_queue"
IMMEDIATE, SQLITE, POSTGRESQL = "immediate", "sqlite", "postgresql"


def queue_kind(config: dict[str, Any]) -> str:
    """The queue the configuration asks for: ``JOB_QUEUE`` when set, else immediate under
    ``TESTING``, else the database's own kind (a database in memory, which no second process
    can reach, runs jobs immediately)."""
    chosen = config.get("JOB_QUEUE") or (IMMEDIATE if config.get("TESTING") else None)
    if chosen:
        if chosen not in (IMMEDIATE, SQLITE, POSTGRESQL):
            raise ValueError(f"JOB_QUEUE must be immediate, sqlite or postgresql, not {chosen!r}")
        return chosen
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        return POSTGRESQL
    return SQLITE if url.database not in (None, "", ":memory:") else IMMEDIATE


def sqlite_queue_path(config: dict[str, Any]) -> Path:
    """``JOB_QUEUE_PATH``, or a file beside the SQLite database (``oicts.sqlite3`` keeps its
    jobs' messages in ``oicts-queue.sqlite3``)."""
    if config.get("JOB_QUEUE_PATH"):
        return Path(config["JOB_QUEUE_PATH"])
    database = Path(make_url(config["SQLALCHEMY_DATABASE_URI"]).database or "oicts.sqlite3")
    return database.with_name(f"{database.stem}-queue.sqlite3")


def postgres_dsn(database_uri: str) -> str:
    return make_url(database_uri).set(drivername="postgresql").render_as_string(hide_password=False)


def build_queue(config: dict[str, Any]) -> Huey:
    kind = queue_kind(config)
    # No result store: a job's outcome is its record's.
    if kind == SQLITE:
        return SqliteHuey(
            QUEUE_NAME, results=False, filename=str(sqlite_queue_path(config)), timeout=30
        )
    if kind == POSTGRESQL:
        return PostgresHuey(
            QUEUE_NAME,
            results=False,
            dsn=postgres_dsn(config["SQLALCHEMY_DATABASE_URI"]),
            table_prefix=POSTGRES_TABLE_PREFIX,
            create_tables=False,
        )
    return MemoryHuey(QUEUE_NAME, results=False, immediate=True)


def postgres_queue_tables() -> list[str]:
    """Huey's own statements for its tables, for the migration that makes them."""
    storage = PostgresHuey(
        QUEUE_NAME, results=False, table_prefix=POSTGRES_TABLE_PREFIX, create_tables=False
    ).storage
    return list(storage.ddl)


# --- The queue of this application ------------------------------------------------------------


def the_queue(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["job_queue"]


def _task(name: str, app: Flask | None = None) -> TaskWrapper:
    return (app or current_app).extensions["job_tasks"][name]


def send(job_id: int, *, delay_seconds: float = 0) -> None:
    """Give the queue the job's id (after a pause for a retry). The job's record must be
    committed: a worker may take the message at once."""
    due = time.time() + delay_seconds
    put(f"job:{job_id}:sent", due)
    run_job = _task("run_job")
    if delay_seconds:
        run_job.schedule((job_id,), delay=delay_seconds)
    else:
        run_job(job_id)


def add_tasks(app: Flask, tasks: dict[str, Callable[..., Any]]) -> None:
    queue = the_queue(app)
    app.extensions["job_tasks"] = {
        name: queue.task(name=name)(in_app_context(app, run)) for name, run in tasks.items()
    }


def add_periodic(
    app: Flask, name: str, when: Callable[[Any], bool], run: Callable[[], Any]
) -> None:
    the_queue(app).periodic_task(when, name=name)(in_app_context(app, run))


def in_app_context(app: Flask, run: Callable[..., Any]) -> Callable[..., Any]:
    def in_context(*args: Any) -> Any:
        with app.app_context():
            return run(*args)

    return in_context


# --- Live state, outside any job's transaction -------------------------------------------------


def put(key: str, value: Any) -> None:
    the_queue().put(key, value)


def peek(key: str) -> Any:
    return the_queue().get(key, peek=True)


def forget(key: str) -> None:
    the_queue().delete(key)
