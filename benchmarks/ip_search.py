"""How fast a 1,000,000-row IP access log is attached to an AI training report, and one address
found among every report's accesses (§7.308(d)(1)(i)(F)).

    .venv/bin/python benchmarks/ip_search.py [--rows 1000000] [--addresses 20000]
        [--backends sqlite,postgresql] [--runs 7]

For each back end, on a fresh migrated database: two providers, each with an initial AI
training report; the rows per second of checking the log row by row, the time the request
takes to receive the log for the first report (its checks, sealing it with its job, commit),
the rows per second of that job (decode, check, store, commit), and the peak memory of the
process after it; then, with a small log holding the same address attached to the second
report, the median time of searching one address and its /24 across all reports. The log draws
its rows from a pool of distinct addresses, one in ten IPv6. PostgreSQL is reached through
TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import random
import resource
import statistics
from datetime import UTC, date, datetime, timedelta, timezone

from common import database_urls, timed
from flask_migrate import upgrade
from sqlalchemy import func, select

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
    provider = Provider(
        legal_name=f"Benchmark Cloud {number}, Inc.",
        business_names=[f"Benchmark {number}"],
        street_address="1 Main St",
        city="Arlington",
        state="VA",
        postal_code="22201",
        is_us_reseller=False,
        contact_name="Jamie Ortiz",
        contact_title="Compliance Officer",
        contact_email=f"jortiz@bench{number}.example",
        contact_phone="+17035550100",
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


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_on(url: str, label: str, count: int, addresses: int, runs: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        first, second = (training_report(new_provider(number)) for number in (1, 2))
        chooser = seeded(7308)
        pool = address_pool(addresses, chooser)
        content = log_csv(count, pool, chooser)
        print(
            f"[{label}] {count:,} rows from {len(pool):,} addresses, CSV of "
            f"{len(content) / 1e6:.1f} MB"
        )
        check, check_seconds = timed(lambda: check_log(content))
        assert check.ok, check.problems[:3]
        del check
        print(f"[{label}]   check row by row            {rate(count, check_seconds)}")
        received, seconds = timed(lambda: receive(first, "access-log.csv", content))
        print(f"[{label}]   received by the request     {seconds * 1000:10,.0f} ms")
        _, seconds = timed(jobs.send_committed)
        db.session.refresh(received)
        assert received.row_count == count, received.row_count
        print(f"[{label}]   its job: check, store       {rate(count, seconds)}")
        print(f"[{label}]   peak memory (process)       {peak_memory_mb():10,.0f} MB")

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
