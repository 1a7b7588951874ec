"""How long the deadline board takes to print as a PDF, and how long asking for it takes.

    .venv/bin/python benchmarks/board_pdf.py [--providers 2000] [--backends sqlite,postgresql]

For each back end, on a fresh migrated database with a real job queue beside it (no worker):
``--providers`` providers, each with the two open clocks of one that certifies its CIP and its
foreign resellers (§7.304(b), (f)), started over the past year. Printed: the board read, its
PDF laid out (what a request did before the job worker printed it), the request that asks for
it now (it answers once the job is queued), and the job, run here as a worker runs it.
"""

from __future__ import annotations

import argparse
import logging
from datetime import timedelta

from common import database_urls, timed
from flask_migrate import upgrade
from sqlalchemy import insert, select

from app import create_app
from core import clocks
from core.auth.rules import Role
from core.db import db, utcnow
from core.deadlines import printed, reports, services
from core.deadlines.models import BoardPdf, Deadline
from core.jobs import services as jobs
from core.office import services as office
from tests.factories import PASSWORD, make_provider, make_user

CLOCKS = ("cip.annual_certification", "cip.reseller_certification")


def open_clocks(providers: int) -> int:
    today = clocks.office_today()
    rows = []
    for number in range(providers):
        provider = make_provider()
        start = today - timedelta(days=number % 360)
        for key in CLOCKS:
            clock = clocks.get(key)
            rows.append(
                {
                    "clock_key": key, "module": clock.module, "subject_type": "provider",
                    "subject_id": str(provider.id), "subject_label": provider.legal_name,
                    "started_on": start, "due_on": clocks.due(key, start),
                    "citation": clock.citation, "computation": clocks.explain(key, start),
                    "opened_at": utcnow(),
                }
            )  # fmt: skip
    db.session.execute(insert(Deadline), rows)
    db.session.commit()
    return len(rows)


def run_on(url: str, label: str, providers: int) -> None:
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOB_QUEUE": backend,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        count = open_clocks(providers)
        rows, read_seconds = timed(
            lambda: services.board(services.BoardFilter(), clocks.office_today(), links=False)
        )
        body, pdf_seconds = timed(
            lambda: reports.board_pdf(
                rows, filters={}, office=office.documents(), generated_at=utcnow()
            )
        )
        print(f"[{label}] {count:,} open deadlines of {providers:,} providers")
        print(f"[{label}]   read the board                      {read_seconds:6.2f} s")
        size = printed.size_text(len(body))
        print(f"[{label}]   lay out its PDF ({size:>7})          {pdf_seconds:6.2f} s")

        analyst = make_user(Role.ANALYST)
        client = app.test_client()
        client.post("/login", data={"acknowledge": "y", "email": analyst.email,
                                    "password": PASSWORD})  # fmt: skip
        answer, ask_seconds = timed(lambda: client.post("/deadlines/pdfs"))
        assert answer.status_code == 302, answer.status_code
        record = db.session.scalars(select(BoardPdf).order_by(BoardPdf.id.desc())).first()
        job = printed.job_of(record)
        print(f"[{label}]   the request asking for it           {ask_seconds:6.2f} s")
        _, job_seconds = timed(lambda: jobs.run_job(job.id))
        db.session.refresh(job)
        print(f"[{label}]   the job printing it                 {job_seconds:6.2f} s")
        print(f"[{label}]     {job.outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=2_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    logging.disable(logging.WARNING)
    for label, url in database_urls(options.backends):
        run_on(url, label, options.providers)


if __name__ == "__main__":
    main()
