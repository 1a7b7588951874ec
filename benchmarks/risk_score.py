"""How long scoring the whole registry takes (§7.305(d)): 2,000 providers with their filings.

    .venv/bin/python benchmarks/risk_score.py [--providers 2000] [--backends sqlite,postgresql]

For each back end, on a fresh migrated database: providers with one to three CIP certifications
each (some late, some never certified), every third with a large AI model training report
(§7.308) whose estimate is judged against its hardware; then the time to gather the facts,
score every provider and rank the queue with pandas, best of three runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
from datetime import UTC, datetime, timedelta

from common import benchmark_provider, database_urls, timed
from flask_migrate import upgrade

from app import create_app
from casework import services
from core.clocks import office_today
from core.db import db
from intake import kinds
from intake.examples import payload
from intake.models import Filing, Provider


def registry(count: int) -> None:
    """``count`` providers; every seventh never certified, every fifth filed once late, every
    third reporting a training run."""
    data = json.dumps(payload("cip_certification"))
    report = json.dumps(payload("ai_initial_report", payment_methods=[]))
    now = datetime.now(UTC)
    db.session.add_all(
        benchmark_provider(f"Benchmark Cloud {number:05d}, Inc.", f"c{number}@bench.example")
        for number in range(count)
    )
    db.session.flush()
    receipts = itertools.count(1)

    def filing(provider: Provider, kind: str, body: str, received_at: datetime, late: bool):
        return Filing(
            receipt_number=f"BENCH-{next(receipts):08d}",
            kind=kind,
            provider_id=provider.id,
            channel="api",
            raw_payload=body,
            payload_sha256="0" * 64,
            data_json=json.loads(body),
            received_at=received_at,
            received_on=received_at.date(),
            timeliness="late" if late else None,
            rules_version="bench",
        )

    for provider in db.session.query(Provider).order_by(Provider.id):
        if provider.id % 7 != 0:
            db.session.add_all(
                filing(
                    provider,
                    kinds.FilingKind.CIP_CERTIFICATION.value,
                    data,
                    now - timedelta(days=30 + 200 * filed),
                    late=provider.id % 5 == 0 and filed == 0,
                )
                for filed in range(1 + provider.id % 3)
            )
        if provider.id % 3 == 0:
            db.session.add(
                filing(provider, kinds.FilingKind.AI_INITIAL_REPORT.value, report, now, late=False)
            )
    db.session.commit()


def run_on(url: str, label: str, count: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        _, seeded = timed(lambda: registry(count))
        filings = db.session.query(Filing).count()
        print(f"[{label}] {count:,} providers, {filings:,} filings (seeded in {seeded:.1f} s)")
        best = {}
        for _ in range(3):
            scored, gather = timed(lambda: services.score_registry(office_today()))
            queue, rank = timed(
                lambda scored=scored: services.ranked_queue(scored, services.QueueFilter())
            )
            for name, seconds in (("gather and score", gather), ("rank (pandas)", rank)):
                best[name] = min(best.get(name, seconds), seconds)
        assert len(queue) == count
        for name, seconds in best.items():
            print(f"[{label}]   {name:<18} {seconds * 1000:8.1f} ms")
        print(f"[{label}]   whole queue        {sum(best.values()) * 1000:8.1f} ms")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    for label, url in database_urls(options.backends):
        run_on(url, label, options.providers)


if __name__ == "__main__":
    main()
