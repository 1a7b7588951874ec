"""How fast a 1,000,000-row IP access log is attached to an AI training report, and one address
found among every report's accesses (§7.308(d)(1)(i)(F)).

    .venv/bin/python benchmarks/ip_search.py [--rows 1000000] [--addresses 20000]
        [--backends sqlite,postgresql] [--runs 7]

For each back end, on a fresh migrated database: two providers, each with an initial AI
training report; the rows per second of checking the log row by row, the time the request
takes to receive the log for the first report (its checks, sealing it with its job, commit),
then its job (decode, check, store, commit) run by its id in a process of its own that does only
what a worker does, as rows per second beside the floor measured in the same run (the same rows
into a bare table of the same columns, no index, key or constraint, from Python's memory: COPY
row by row on PostgreSQL, one transaction of sqlite3's executemany on SQLite), and that process's
peak memory beside the goal of 300 MB; then, with a small log holding the same address attached
to the second report, the median time of searching one address and its /24 across all reports.
The log draws its rows from a pool of distinct addresses, one in ten IPv6. PostgreSQL is reached
through TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432).

``figures(url, label, rows)`` returns the job's two figures without printing, for a harness.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import multiprocessing
import random
import sqlite3
import statistics
import time
from datetime import UTC, date, datetime, timedelta, timezone
from multiprocessing.connection import Connection

from common import Figure, benchmark_provider, database_urls, timed
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import create_app
from core.db import db
from core.jobs import services as jobs
from intake import services
from intake.ai import ip_log, ip_logs
from intake.ai import services as ai_services
from intake.examples import payload
from intake.models import Filing, IpAccess, IpLogAttachment, Provider

KIND = "ai_initial_report"
# The address searched for (RFC 5737 documentation range), in both reports' logs.
WANTED = "203.0.113.77"
WANTED_RANGE = "203.0.113.0/24"
OFFSETS = tuple(
    timezone(timedelta(minutes=minutes)) for minutes in (480, 540, 330, 180, 0, -300, 60, 420)
)
FIRST_ACCESS = datetime(2027, 1, 1, tzinfo=UTC)
SECONDS_IN_LOG = 90 * 24 * 3600
# The job worker's memory goal for a 1,000,000-row log (issue 20).
WORKER_MEMORY_GOAL_MB = 300
# The floor's table: ip_accesses' columns as the job writes them (the id is left to no
# sequence), with no index, key or constraint.
BARE_TABLE = "ip_accesses_bare"
BARE_COLUMNS = {
    "postgresql": "filing_id integer, attachment_id integer, ip_key varchar(32), "
    "ip_address varchar(45), accessed_at timestamptz, utc_offset_minutes integer, "
    "action varchar(15)",
    "sqlite": "filing_id INTEGER, attachment_id INTEGER, ip_key VARCHAR(32), "
    "ip_address VARCHAR(45), accessed_at DATETIME, utc_offset_minutes INTEGER, "
    "action VARCHAR(15)",
}


def address_pool(count: int, chooser: random.Random) -> list[str]:
    """``count`` distinct addresses, one in ten IPv6 (2001:db8::/32), the rest IPv4 outside
    0/8, 127/8 and the multicast and reserved ranges; ``WANTED`` first."""
    pool = {WANTED}
    while len(pool) < count:
        if chooser.random() < 0.1:
            groups = (chooser.getrandbits(16) for _ in range(6))
            pool.add("2001:db8:" + ":".join(f"{group:x}" for group in groups))
        else:
            first = chooser.choice([n for n in range(1, 224) if n not in (10, 127)])
            rest = (chooser.randrange(256) for _ in range(3))
            pool.add(".".join(map(str, (first, *rest))))
    return [WANTED, *sorted(pool - {WANTED})]


def log_csv(rows: int, pool: list[str], chooser: random.Random) -> bytes:
    """A log of ``rows`` accesses from the pool, every hundredth from ``WANTED``, times in ISO
    8601 with the offset of the place they were recorded, about one in twenty an
    administrative action."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ip_log.TEMPLATE_HEADER)
    for number in range(rows):
        address = WANTED if number % 100 == 0 else chooser.choice(pool)
        at = FIRST_ACCESS + timedelta(seconds=chooser.randrange(SECONDS_IN_LOG))
        written = at.astimezone(chooser.choice(OFFSETS)).isoformat()
        action = "administration" if chooser.random() < 0.05 else "access"
        writer.writerow((address, written, action))
    return buffer.getvalue().encode("utf-8")


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (seeded so that every run draws the same log; no secret)


def check_log(content: bytes) -> ip_log.IpLogCheck:
    """The check alone, as the log's job runs it."""
    text = content.decode("utf-8-sig")
    return ip_log.check_ip_log(csv.reader(io.StringIO(text, newline="")))


def new_provider(number: int) -> Provider:
    provider = benchmark_provider(
        f"Benchmark Cloud {number}, Inc.",
        f"jortiz@bench{number}.example",
        business_names=[f"Benchmark {number}"],
        is_us_reseller=False,
        first_foreign_account_on=date(2024, 3, 1),
    )
    db.session.add(provider)
    db.session.commit()
    return provider


def training_report(provider: Provider) -> Filing:
    data = payload(KIND)
    raw = json.dumps({"kind": KIND, "payload": data})
    submission = services.Submission(kind=KIND, payload=data, raw=raw, channel="api")
    filing = services.receive_filing(provider, submission).filing
    db.session.commit()
    return filing


def receive(filing: Filing, name: str, content: bytes) -> IpLogAttachment:
    """What the request does: the log taken in with its job, committed."""
    attachment = ip_logs.attach_ip_log(filing, filename=name, content=content, actor=None)
    db.session.commit()
    return attachment


def attach(filing: Filing, name: str, content: bytes) -> int:
    """Received, then checked and stored by its job (run here: the queue is immediate)."""
    attachment = receive(filing, name, content)
    jobs.send_committed()
    db.session.refresh(attachment)
    return attachment.row_count


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>10,.0f} rows/s  ({seconds:6.2f} s)"


def benchmark_app(url: str) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})


# --- The floor: the same rows into a bare table ------------------------------------------------


def _floor_rows(filing_id: int, entries: list[ip_log.IpLogEntry]) -> list[tuple]:
    return [(filing_id, None, *entry) for entry in entries]


def _copy_floor(url: str, rows: list[tuple]) -> float:
    """Seconds of COPY of the rows, already in memory, into the bare table, and commit: the
    driver's fastest path from Python, as the reseller import's floor writes its rows."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        connection.execute(f"CREATE TABLE {BARE_TABLE} ({BARE_COLUMNS['postgresql']})")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor().copy(f"COPY {BARE_TABLE} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute(f"DROP TABLE {BARE_TABLE}")
        connection.commit()
    return seconds


def _executemany_floor(url: str, rows: list[tuple]) -> float:
    """Seconds of sqlite3's executemany of the rows in one transaction into the bare table."""
    text_rows = [(*row[:4], row[4].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[5:]) for row in rows]
    connection = sqlite3.connect(make_url(url).database)
    try:
        connection.execute(f"CREATE TABLE {BARE_TABLE} ({BARE_COLUMNS['sqlite']})")
        connection.commit()
        placeholders = ", ".join("?" * len(text_rows[0]))
        started = time.perf_counter()
        connection.executemany(f"INSERT INTO {BARE_TABLE} VALUES ({placeholders})", text_rows)  # noqa: S608
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute(f"DROP TABLE {BARE_TABLE}")
        connection.commit()
    finally:
        connection.close()
    return seconds


def floor_seconds(url: str, filing_id: int, content: bytes) -> float:
    """The floor of storing the log's rows: the same rows into a bare table, by the fastest way
    the database takes them from Python."""
    rows = _floor_rows(filing_id, check_log(content).entries)
    if make_url(url).get_backend_name() == "postgresql":
        return _copy_floor(url, rows)
    return _executemany_floor(url, rows)


# --- The job, in a process that does only what a worker does ------------------------------------


def own_peak_memory_mb() -> float:
    """The process's own peak resident memory (VmHWM, KiB). Not ru_maxrss: after a fork and
    exec, as a spawned process is made, that still counts the parent's memory at the fork."""
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    return int(peak.split()[1]) / 1024


def _work(url: str, job_id: int, answer: Connection) -> None:
    """A worker's part: the application, and the job run by its id (core.jobs.services)."""
    app = benchmark_app(url)
    with app.app_context():
        _, seconds = timed(lambda: jobs.run_job(job_id))
    answer.send((seconds, own_peak_memory_mb()))
    answer.close()


def run_in_worker(url: str, job_id: int) -> tuple[float, float]:
    """(seconds the job took, the peak memory of its process in MB)."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(url, job_id, sending))
    worker.start()
    sending.close()
    seconds, peak_mb = receiving.recv()
    worker.join()
    if worker.exitcode != 0:
        raise RuntimeError(f"the worker process ended with {worker.exitcode}")
    return seconds, peak_mb


def job_figures(
    url: str, label: str, filing: Filing, content: bytes, rows: int
) -> tuple[list[Figure], float]:
    """The job's figures, and the seconds the request took to receive the log."""
    floor = floor_seconds(url, filing.id, content)
    attachment, received_seconds = timed(lambda: receive(filing, "access-log.csv", content))
    job = jobs.latest_job_for(ip_logs.SUBJECT_TYPE, attachment.id)
    seconds, peak_mb = run_in_worker(url, job.id)
    db.session.refresh(attachment)
    assert attachment.row_count == rows, (attachment.status, attachment.row_count)
    job_rate = Figure(
        f"[{label}] IP log job (decode, check, store) vs bare table",
        rows / seconds,
        rows / floor,
        "rows/s",
        higher_is_better=True,
    )
    memory = Figure(
        f"[{label}] IP log job worker peak RSS vs goal", peak_mb, WORKER_MEMORY_GOAL_MB, "MB"
    )
    return [job_rate, memory], received_seconds


def setting_up(rows: int, addresses: int) -> tuple[Filing, Filing, list[str], bytes]:
    """The migrated database's two training reports, the pool of addresses, and the log for
    the first report."""
    upgrade()
    first, second = (training_report(new_provider(number)) for number in (1, 2))
    chooser = seeded(7308)
    pool = address_pool(addresses, chooser)
    return first, second, pool, log_csv(rows, pool, chooser)


def figures(url: str, label: str, rows: int = 1_000_000) -> list[Figure]:
    """The job's rate beside its floor, and its worker's peak memory beside the goal, on the
    fresh empty database ``url`` (migrated here)."""
    app = benchmark_app(url)
    with app.app_context():
        first, _, _, content = setting_up(rows, 20_000)
        try:
            return job_figures(url, label, first, content, rows)[0]
        finally:
            db.session.remove()
            db.engine.dispose()


def run_on(url: str, label: str, count: int, addresses: int, runs: int) -> None:
    app = benchmark_app(url)
    with app.app_context():
        first, second, pool, content = setting_up(count, addresses)
        print(
            f"[{label}] {count:,} rows from {len(pool):,} addresses, CSV of "
            f"{len(content) / 1e6:.1f} MB"
        )
        check, check_seconds = timed(lambda: check_log(content))
        assert check.ok, check.problems[:3]
        del check
        print(f"[{label}]   check row by row            {rate(count, check_seconds)}")
        job, received_seconds = job_figures(url, label, first, content, count)
        print(f"[{label}]   received by the request     {received_seconds * 1000:10,.0f} ms")
        for figure in job:
            print(figure.line())

        small = log_csv(200, pool[:50], seeded(7309))
        attach(second, "second-log.csv", small)
        # The example report also lists a few accesses of its own, not counted here.
        logged = select(func.count()).where(IpAccess.attachment_id.is_not(None))
        assert db.session.scalar(logged) == count + 200
        for query in (WANTED, WANTED_RANGE):
            times = []
            for _ in range(runs):
                found, seconds = timed(lambda query=query: ai_services.search(query, "ip"))
                times.append(seconds)
            assert found.reports == 2 and found.providers == 2, (found.reports, found.providers)
            accesses = sum(hit.accesses for hit in found.hits)
            print(
                f"[{label}]   search {query:<18}   {statistics.median(times) * 1000:8.1f} ms"
                f"  (median of {runs}; {accesses:,} accesses in {found.reports} reports)"
            )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ip_log.MAX_ROWS)
    parser.add_argument("--addresses", type=int, default=20_000, help="distinct addresses")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=7, help="searches timed, median shown")
    options = parser.parse_args()
    for label, url in database_urls(options.backends):
        run_on(url, label, options.rows, options.addresses, options.runs)


if __name__ == "__main__":
    main()
