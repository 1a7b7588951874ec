"""How long each list page takes at office scale, beside the floor of a Flask page that does
nothing.

    .venv/bin/python benchmarks/list_pages.py [--runs 20] [--backends sqlite,postgresql]

For each back end, on a fresh migrated database: `flask seed-scale`'s office (2,000 providers,
50,000 filings, 5,000 open deadlines, 3,000 foreign resellers, 300 jobs, messages and notices),
then each list page asked for ``--runs`` times through the test client by a signed-in analyst
(the outbox by an administrator), printing the median and 95th percentile. The floor is a
"hello world" Flask application through the same client: what no page can go below.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable

import pyotp
from common import database_urls, settle, timed
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from core import clocks, crypto, transactions
from core.auth import services as accounts
from core.auth.models import User
from core.auth.rules import Role
from core.db import db, utcnow
from intake.models import ForeignReseller
from scale_seed import Scale, seed_scale

PASSWORD = "benchmark-lantern-harbor-2026"  # noqa: S105 (an account of the benchmark's own)
OFFICE = Scale(resellers=3_000, activity=300)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile, in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(ask: Callable[[], object], runs: int) -> tuple[float, float]:
    ask()  # the first answer warms the templates and the database's cache
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        ask()
        timings.append(time.perf_counter() - started)
    return percentiles(timings)


def floor(runs: int) -> tuple[float, float]:
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, world!")
    client = hello.test_client()
    return measure(lambda: client.get("/"), runs)


def _person(role: Role) -> str:
    person = accounts.create_user(
        email=f"bench.{role.value}@oicts.example", full_name=f"Benchmark {role.value}",
        role=role, password=PASSWORD, agency=None, actor=None,
    )  # fmt: skip
    if role is Role.ADMIN:
        person.totp_secret_encrypted = crypto.encrypt(pyotp.random_base32())
        person.totp_enabled_at = utcnow()
    db.session.commit()
    return person.email


def _signed_in(app: Flask, email: str) -> FlaskClient:
    """A client signed in as ``email``. Each of its requests has an application context of its
    own, as in production (outside one, so that the person signed in is never another's)."""
    client = app.test_client()
    client.post("/login", data={"acknowledge": "y", "email": email, "password": PASSWORD})
    with app.app_context():
        sealed = db.session.scalar(select(User.totp_secret_encrypted).where(User.email == email))
        code = pyotp.TOTP(crypto.decrypt(sealed)).now() if sealed else None
        db.session.remove()
    if code:
        client.post("/login/code", data={"code": code})
    return client


def _seed(app: Flask) -> tuple[str, str, int]:
    with app.app_context():
        upgrade()
        people = _person(Role.ANALYST), _person(Role.ADMIN)
        seed = transactions.command(seed_scale)
        _, seeded = timed(lambda: seed(OFFICE, today=clocks.office_today()))
        print(f"  office seeded in {seeded:.1f} s")
        largest = db.session.scalar(
            select(ForeignReseller.provider_id)
            .group_by(ForeignReseller.provider_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        db.session.remove()
        settle(db.engine.url.render_as_string(hide_password=False))
        return *people, largest


def run_on(url: str, label: str, runs: int, hello: tuple[float, float]) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    print(f"[{label}]")
    analyst_email, admin_email, largest = _seed(app)
    analyst, admin = _signed_in(app, analyst_email), _signed_in(app, admin_email)
    pages = [
        (analyst, "/intake/filings"),
        (analyst, "/intake/filings?sort=provider&page=500"),
        (analyst, "/intake/filings?timeliness=late&warnings=with&kind=annual_certification"),
        (analyst, "/intake/providers"),
        (analyst, "/intake/providers?sort=status&page=20"),
        (analyst, "/intake/providers?status=overdue&name=cloud"),
        (analyst, "/"),
        (analyst, "/deadlines/"),
        (analyst, "/deadlines/?sort=assignee&page=50"),
        (analyst, "/casework/assessments"),
        (analyst, "/casework/penalties"),
        (analyst, "/exemptions/requests"),
        (analyst, "/special-measures/cases"),
        (analyst, "/casework/risk"),
        (analyst, "/casework/risk?page=20"),
        (analyst, f"/intake/providers/{largest}"),
        (analyst, "/casework/assessments/due"),
        (analyst, f"/intake/providers/{largest}/resellers"),
        (analyst, "/jobs/"),
        (analyst, "/notifications/"),
        (admin, "/admin/outbox"),
    ]
    print(f"  {'page':<74} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"  {'hello world (the Flask floor)':<74} {hello[0]:8.1f} {hello[1]:8.1f}")
    for client, path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        p50, p95 = measure(lambda client=client, path=path: client.get(path), runs)
        print(f"  {path:<74} {p50:8.1f} {p95:8.1f}")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    hello = floor(options.runs * 10)
    for label, url in database_urls(options.backends):
        run_on(url, label, options.runs, hello)


if __name__ == "__main__":
    main()
