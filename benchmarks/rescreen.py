"""How long issuing a special measure takes, and the screening of every foreign reseller again
that follows it (§7.307; docs/architecture.md §5).

    .venv/bin/python benchmarks/rescreen.py [--resellers 50000] [--providers 500]
        [--backends sqlite,postgresql]

For each back end, on a fresh migrated database with a real job queue beside it (no worker): a
jurisdiction measure and a person measure in force, ``--resellers`` active foreign resellers
spread over ``--providers`` providers (one in twelve in the jurisdiction, one in a thousand
named like the person); then a third measure is issued. Printed: the time of the issuing step
(the request's work and its commit), and of the screening job that it queues, run here as a
worker runs it, then run a second time to show that it stores nothing more.
"""

from __future__ import annotations

import argparse
import logging

from common import database_urls, timed
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from app import create_app
from core.clocks import office_today
from core.db import db
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobWork
from intake.models import ForeignReseller
from special_measures import screening
from special_measures import services as measures
from special_measures.models import ScreeningHit, ScreeningRun
from tests.factories import make_measure, make_provider

JURISDICTIONS = ("DE", "JP", "BR", "FR", "IN", "SG", "AU", "CA", "MX", "ZA", "KR", "RU")


def registry(resellers: int, providers: int) -> None:
    ids = [make_provider().id for _ in range(providers)]
    db.session.execute(
        insert(ForeignReseller),
        [
            {
                "provider_id": ids[number * len(ids) // resellers],
                "name": "Volga Host Ltd"
                if number % 1000 == 7
                else f"Reseller {number:05d} Cloud Ltd",
                "jurisdiction": JURISDICTIONS[number % len(JURISDICTIONS)],
                "status": "active",
            }
            for number in range(resellers)
        ],
    )
    db.session.commit()


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(ScreeningRun)) or 0,
        db.session.scalar(select(func.count()).select_from(ScreeningHit)) or 0,
    )


def run_on(url: str, label: str, resellers: int, providers: int) -> None:
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOB_QUEUE": backend})
    with app.app_context():
        upgrade()
        make_measure(office_today(), kind="person")
        make_measure(office_today())  # RU
        registry(resellers, providers)
        case = make_measure(office_today(), kind="person", stop_at="approved")
        analyst = case.drafted_by
        before = counts()

        def issue() -> None:
            measures.issue_determination(
                case, issued_on=office_today(), actor=analyst, today=office_today()
            )
            db.session.commit()
            jobs.send_committed()

        _, step_seconds = timed(issue)
        job = db.session.scalars(
            select(Job).where(Job.kind == screening.RESCREEN_JOB).order_by(Job.id.desc())
        ).first()
        assert job is not None and counts() == before, "the step screened in the request"
        print(f"[{label}] {resellers:,} active foreign resellers of {providers:,} providers")
        print(f"[{label}]   issuing step (request work and commit)  {step_seconds:6.2f} s")

        _, job_seconds = timed(lambda: jobs.run_job(job.id))
        db.session.refresh(job)
        after = counts()
        print(f"[{label}]   screening job                           {job_seconds:6.2f} s")
        print(f"[{label}]     {job.outcome}")

        # As a worker that took the job up again would: the same job's work, a second time.
        def again() -> None:
            screening.run_rescreen(job, JobWork(content=lambda: b"", progress=lambda **_: None))
            db.session.commit()

        _, again_seconds = timed(again)
        assert counts() == after, "a second run stored more"
        print(f"[{label}]   the same job's work again, nothing new  {again_seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resellers", type=int, default=50_000)
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    logging.disable(logging.WARNING)
    for label, url in database_urls(options.backends):
        run_on(url, label, options.resellers, options.providers)


if __name__ == "__main__":
    main()
