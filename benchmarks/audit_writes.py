"""Audited writes a second with 1, 4 and 16 concurrent writers on PostgreSQL, beside a floor of
the same writers committing rows of the audit event's shape into a bare table.

    .venv/bin/python benchmarks/audit_writes.py [--seconds 5] [--writers 1,4,16]
        [--request-ms 0,20]

Every audited change appends to one hash chain whose single ``audit_head`` row is locked while
a transaction links its events (docs/architecture.md §3), so writers take turns at it. Each
writer is a request: it records an event, spends ``--request-ms`` on the rest of the request
(the queries and the page that follow the change) with its transaction open, and commits. The
floor is what the database does with the same transactions when nothing is chained: one INSERT,
the same wait and one COMMIT each. Writers are processes (one connection each), so neither side
is held back by Python's interpreter lock.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import time

from common import database_urls
from sqlalchemy import create_engine, text

FLOOR_TABLE = """
CREATE TABLE IF NOT EXISTS floor_events (
    seq bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_label text,
    action text NOT NULL,
    after_json text,
    prev_hash text NOT NULL,
    hash text NOT NULL
)"""
FLOOR_INSERT = text(
    "INSERT INTO floor_events (actor_label, action, after_json, prev_hash, hash) "
    "VALUES ('benchmark', 'benchmark.write', :after, :digest, :digest)"
)


def _audited_writer(url: str, ready, seconds: float, request_ms: float, counts) -> None:
    from app import create_app
    from core.audit.services import record_event
    from core.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    written = 0
    with app.app_context():
        ready.wait()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            record_event("benchmark.write", actor=None, actor_label="benchmark",
                         after={"written": written})  # fmt: skip
            time.sleep(request_ms / 1000)
            db.session.commit()
            written += 1
        db.session.remove()
        db.engine.dispose()
    counts.put(written)


def _floor_writer(url: str, ready, seconds: float, request_ms: float, counts) -> None:
    engine = create_engine(url)
    written = 0
    with engine.connect() as connection:
        ready.wait()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            connection.execute(FLOOR_INSERT, {"after": f'{{"written": {written}}}',
                                              "digest": f"{written:064x}"})  # fmt: skip
            time.sleep(request_ms / 1000)
            connection.commit()
            written += 1
    engine.dispose()
    counts.put(written)


def per_second(writer, url: str, writers: int, seconds: float, request_ms: float) -> float:
    """Writes a second of ``writers`` processes, timed from when all of them are ready."""
    context = multiprocessing.get_context("spawn")
    ready, counts = context.Barrier(writers), context.Queue()
    processes = [
        context.Process(target=writer, args=(url, ready, seconds, request_ms, counts))
        for _ in range(writers)
    ]
    for process in processes:
        process.start()
    total = sum(counts.get() for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--writers", default="1,4,16")
    parser.add_argument("--request-ms", default="0,20")
    options = parser.parse_args()
    from flask_migrate import upgrade

    from app import create_app

    for _, url in database_urls("postgresql"):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(FLOOR_TABLE))
        engine.dispose()
        print(f"[postgresql] {options.seconds:g} s a measurement")
        print(f"  {'request':>8} {'writers':>7} {'audited/s':>10} {'floor/s':>10} {'× floor':>8}")
        for request_ms in (float(ms) for ms in options.request_ms.split(",")):
            for writers in (int(count) for count in options.writers.split(",")):
                audited = per_second(_audited_writer, url, writers, options.seconds, request_ms)
                floor = per_second(_floor_writer, url, writers, options.seconds, request_ms)
                print(f"  {request_ms:>6g}ms {writers:>7} {audited:>10,.0f} {floor:>10,.0f}"
                      f" {audited / floor:>8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
