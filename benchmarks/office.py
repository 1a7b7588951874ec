"""The office the page benchmark signs in to: `flask seed-scale`'s office (2,000 providers,
50,000 filings, 5,000 open deadlines, 3,000 foreign resellers, 300 jobs, messages and notices) on
a freshly migrated database, two people of the benchmark's own, and the pages it asks for."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pyotp
from common import settle, timed
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from core import clocks, crypto, transactions
from core.auth import services as accounts
from core.auth.rules import Role
from core.db import db, utcnow
from intake.models import ForeignReseller, Provider
from scale_seed import Scale, seed_scale

PASSWORD = "benchmark-lantern-harbor-2026"  # noqa: S105 (an account of the benchmark's own)
OFFICE = Scale(resellers=3_000, activity=300)


@dataclass(frozen=True)
class Person:
    email: str
    totp_secret: str | None  # an administrator's second factor (admins must have one)


@dataclass(frozen=True)
class SeededOffice:
    analyst: Person
    admin: Person
    # The provider with the most foreign resellers: its id and its name, its page's heading.
    largest_provider: tuple[int, str]


@dataclass(frozen=True)
class Page:
    """A page and the heading that shows it is the page itself (not the sign-in form)."""

    path: str
    heading: str
    by_admin: bool = False


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile, in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _person(role: Role) -> Person:
    person = accounts.create_user(
        email=f"bench.{role.value}@oicts.example", full_name=f"Benchmark {role.value}",
        role=role, password=PASSWORD, agency=None, actor=None,
    )  # fmt: skip
    secret = None
    if role is Role.ADMIN:
        secret = pyotp.random_base32()
        person.totp_secret_encrypted = crypto.encrypt(secret)
        person.totp_enabled_at = utcnow()
    db.session.commit()
    return Person(person.email, secret)


def _largest_provider() -> tuple[int, str]:
    provider_id, name = db.session.execute(
        select(ForeignReseller.provider_id, Provider.legal_name)
        .join(Provider, Provider.id == ForeignReseller.provider_id)
        .group_by(ForeignReseller.provider_id, Provider.legal_name)
        .order_by(func.count().desc(), ForeignReseller.provider_id)
        .limit(1)
    ).one()
    return provider_id, name


def seed_office(app: Flask) -> SeededOffice:
    """Migrate the application's empty database, add the benchmark's analyst and administrator,
    then seed the office in one transaction, as `flask seed-scale` does."""
    with app.app_context():
        upgrade()
        analyst, admin = _person(Role.ANALYST), _person(Role.ADMIN)
        seed = transactions.command(seed_scale)
        _, seeded = timed(lambda: seed(OFFICE, today=clocks.office_today()))
        print(f"  office seeded in {seeded:.1f} s")
        office = SeededOffice(analyst, admin, _largest_provider())
        db.session.remove()
        settle(db.engine.url.render_as_string(hide_password=False))
        db.engine.dispose()
        return office


def pages(office: SeededOffice) -> list[Page]:
    """Every list page, the dashboard and the largest provider's pages, with filters and deep
    pages where a list offers them; the outbox is an administrator's."""
    provider, name = office.largest_provider
    return [
        Page("/intake/filings", "Filings received"),
        Page("/intake/filings?sort=provider&page=500", "Filings received"),
        Page(
            "/intake/filings?timeliness=late&warnings=with&kind=annual_certification",
            "Filings received",
        ),
        Page("/intake/providers", "Provider registry"),
        Page("/intake/providers?sort=status&page=20", "Provider registry"),
        Page("/intake/providers?status=overdue&name=cloud", "Provider registry"),
        Page("/", "Dashboard"),
        Page("/deadlines/", "Deadline board"),
        Page("/deadlines/?sort=assignee&page=50", "Deadline board"),
        Page("/casework/assessments", "Compliance assessments"),
        Page("/casework/penalties", "Civil penalties"),
        Page("/exemptions/requests", "Exemption requests"),
        Page("/special-measures/cases", "Special-measure cases"),
        Page("/casework/risk", "Providers ranked by risk"),
        Page("/casework/risk?page=20", "Providers ranked by risk"),
        Page(f"/intake/providers/{provider}", name),
        Page("/casework/assessments/due", "Providers due for an assessment"),
        Page(f"/intake/providers/{provider}/resellers", "Foreign resellers"),
        Page("/jobs/", "Jobs"),
        Page("/notifications/", "Notifications"),
        Page("/admin/outbox", "Outbox", by_admin=True),
    ]
