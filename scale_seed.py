"""``flask seed-scale``: an office at the size the list pages must serve, for trying them, the
office-scale tests and ``benchmarks/office_scale.py``.

By default 2,000 providers, 50,000 filings over the last three years and 5,000 open deadlines
(and, if asked, foreign resellers), from a fixed random seed, so that two runs build the same
office. The rows go in by bulk inserts in batches (the driver's ``executemany``), not through the
services: a filing of the seed was not received, so it opens no clock, tells nobody and is
audited once, with the whole seed, as ``seed.scale``. Timeliness and warnings are intake's own
verdicts (``intake.rules.timeliness`` and ``warnings``) on facts drawn for each filing, so the
inbox's filters find what they would find in an office: most annual certifications on time,
some late, a few early (§7.304(b)); some training reports late (§7.308(c)). A filing's content
is the example of its kind (``intake.examples``), the same for every filing of that kind.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Table, func, insert, select, update

from core import clocks, crypto, signals, transactions
from core.audit.services import record_event
from core.auth.models import User
from core.counters import ReferenceCounter
from core.db import db, upsert, utcnow
from core.deadlines.models import Deadline
from core.deadlines.services import period_for
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.notifications.models import Notification, OutgoingMail
from core.notifications.rules import Delivery, MailState
from intake import examples, kinds
from intake import rules as intake_rules
from intake.ai import services as ai_services
from intake.models import Filing, ForeignReseller, Provider
from intake.registry import recount_last_certified
from intake.resellers.rules import ResellerStatus

RANDOM_SEED = 7_304
BATCH = 2_000
NAME_PREFIX = "Scale"
YEARS_OF_FILINGS = 3

# How often each kind arrives in a year's filings: most are annual certifications and updates;
# the compiled foreign-reseller certification, an uploaded file with its document, is left out.
KIND_WEIGHTS = {
    kinds.FilingKind.ANNUAL_CERTIFICATION: 40,
    kinds.FilingKind.IRREGULAR_UPDATE: 20,
    kinds.FilingKind.AI_INITIAL_REPORT: 15,
    kinds.FilingKind.CIP_CERTIFICATION: 10,
    kinds.FilingKind.AI_RESELLER_REPORT: 5,
    kinds.FilingKind.NEW_PROVIDER_CERTIFICATION: 3,
    kinds.FilingKind.AI_FOLLOW_UP_REPORT: 3,
    kinds.FilingKind.AI_CORRECTED_REPORT: 2,
    kinds.FilingKind.EXEMPTION_REQUEST: 2,
}
CHANNEL_WEIGHTS = {"api": 70, "web": 30}
# The clocks a provider's open deadlines run on, and how often: every provider's annual
# certification (§7.304(b)) first, then requests for CIPs (§7.305(a), §7.303(d)) and follow-up
# reports (§7.308(c)(3)).
REQUEST_CLOCKS = ("cip.copy_on_request", "reseller.cip_copy_on_request", "ai.follow_up_report")
STATES = ("VA", "WA", "CA", "TX", "NY", "MD", "CO", "IL", "GA", "MA")
CITIES = {"VA": "Arlington", "WA": "Seattle", "CA": "San Jose", "TX": "Austin",
          "NY": "New York", "MD": "Bethesda", "CO": "Denver", "IL": "Chicago", "GA": "Atlanta",
          "MA": "Boston"}  # fmt: skip
# Some with accents, as the office's real registry has, for the search box to fold.
WORDS = ("Alder", "Birch", "Cedar", "Harbor", "Summit", "Granite", "Prairie", "Lantern", "Beacon",
         "Meridian", "Juniper", "Falcon", "Orchard", "Québec", "Zürich", "Copper")  # fmt: skip
FORMS = ("Cloud, Inc.", "Compute LLC", "Hosting Co.", "Data Centers, Inc.", "Networks LLC")
LARGE_RESELLING = 10
JURISDICTIONS = ("DE", "JP", "BR", "IN", "SG", "MX", "KE", "PL", "GB", "AE")


@dataclass(frozen=True)
class Scale:
    providers: int = 2_000
    filings: int = 50_000
    deadlines: int = 5_000
    resellers: int = 0
    # Finished jobs, messages in the outbox, and notices for each person with an account.
    activity: int = 0


@dataclass(frozen=True)
class _Content:
    """What every seeded filing of a kind holds: the example, as intake keeps it."""

    raw: str
    encrypted: bool
    sha256: str
    data: dict[str, Any]


def _contents() -> dict[str, _Content]:
    found = {}
    for kind in KIND_WEIGHTS:
        spec = kinds.kind_spec(kind.value)
        body = examples.payload(kind.value)
        raw = json.dumps({"kind": kind.value, "payload": body}, ensure_ascii=False)
        sealed = ai_services.seal(spec, intake_rules.check_filing(kind, body).cleaned)
        found[kind.value] = _Content(
            raw=crypto.encrypt(raw) if sealed.secrets else raw,
            encrypted=bool(sealed.secrets),
            sha256=hashlib.sha256(raw.encode()).hexdigest(),
            data=sealed.data,
        )
    return found


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _insert(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        db.session.execute(insert(table), batch)


def _provider_rows(count: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        state = rng.choice(STATES)
        word = WORDS[number % len(WORDS)]
        rows.append(
            {
                "legal_name": f"{NAME_PREFIX} {word} {number:05d} {FORMS[number % len(FORMS)]}",
                "business_names": [f"{word} {number:05d}"],
                "street_address": f"{100 + number % 900} {rng.choice(WORDS)} Street",
                "city": CITIES[state],
                "state": state,
                "postal_code": f"{rng.randrange(10_000, 99_999)}",
                "is_us_reseller": number % 11 == 0,
                "contact_name": f"Jordan Reyes {number}",
                "contact_title": "Compliance Officer",
                "contact_email": f"compliance{number}@provider{number}.example",
                "contact_phone": f"+1202555{number % 10_000:04d}",
                "first_foreign_account_on": date(2023, 1, 1) + timedelta(days=number % 900),
                "created_at": utcnow(),
            }
        )
    return rows


def _facts(kind: kinds.FilingKind, received_on: date, rng: random.Random):
    """Facts such that intake's verdict is mostly on time, sometimes late or early."""
    previous = None
    if kind is kinds.FilingKind.ANNUAL_CERTIFICATION and rng.random() > 0.03:
        # 60 days of window before the anniversary: a few early, most inside, some late.
        previous = received_on - timedelta(days=rng.choice((200, 250, 320, 340, 355, 363, 380)))
    start = None
    if kind.value in kinds.AI_REPORT_CLOCKS:
        start = received_on - timedelta(days=rng.choice((1, 3, 5, 8, 12, 14, 20, 45)))
    return intake_rules.FilingFacts(
        received_on=received_on,
        previous_certification_on=previous,
        first_foreign_account_on=received_on + timedelta(days=rng.choice((-30, 10, 90))),
        report_clock_start_on=start,
    )


def _receipt_numbers(days: Sequence[date]) -> list[str]:
    """Receipt numbers for filings received on ``days``, from the office's own counters, which
    are moved past them so that the next filing received goes on from there."""
    by_year: dict[int, int] = {}
    for day in days:
        by_year[day.year] = by_year.get(day.year, 0) + 1
    next_of = {}
    for year, count in by_year.items():
        db.session.execute(
            upsert(ReferenceCounter, db.session.get_bind().dialect.name)
            .values(series="OICTS", year=year, last_number=0)
            .on_conflict_do_nothing(index_elements=["series", "year"])
        )
        last = db.session.execute(
            update(ReferenceCounter)
            .where(ReferenceCounter.series == "OICTS", ReferenceCounter.year == year)
            .values(last_number=ReferenceCounter.last_number + count)
            .returning(ReferenceCounter.last_number)
        ).scalar_one()
        next_of[year] = last - count + 1
    numbers = []
    for day in days:
        numbers.append(f"OICTS-{day.year}-{next_of[day.year]:06d}")
        next_of[day.year] += 1
    return numbers


def _filing_rows(
    count: int, provider_ids: Sequence[int], today: date, rng: random.Random
) -> list[dict[str, Any]]:
    contents = _contents()
    kind_choices, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
    channels, channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    drawn = sorted(
        (today - timedelta(days=rng.randrange(YEARS_OF_FILINGS * 365)), rng.randrange(8 * 3600))
        for _ in range(count)
    )
    receipts = _receipt_numbers([day for day, _ in drawn])
    rows = []
    for (day, seconds), receipt in zip(drawn, receipts, strict=True):
        kind = rng.choices(kind_choices, kind_weights)[0]
        facts = _facts(kind, day, rng)
        verdict = intake_rules.timeliness(kind, facts)
        content = contents[kind.value]
        warnings = [warning.as_dict() for warning in intake_rules.warnings(kind, facts)]
        # Office hours: 13:00 to 21:00 UTC is the same day in Washington, summer or winter.
        received_at = datetime.combine(day, time(13), tzinfo=UTC) + timedelta(seconds=seconds)
        rows.append(
            {
                "receipt_number": receipt,
                "kind": kind.value,
                "provider_id": rng.choice(provider_ids),
                "channel": rng.choices(channels, channel_weights)[0],
                "raw_payload": content.raw,
                "raw_encrypted": content.encrypted,
                "payload_sha256": content.sha256,
                "data_json": content.data,
                "received_at": received_at,
                "received_on": day,
                "warnings_json": warnings,
                "warning_count": len(warnings),
                "timeliness": verdict.value if verdict else None,
                "rules_version": intake_rules.RULES_VERSION,
            }
        )
    return rows


def _deadline_rows(
    count: int, providers: Sequence[tuple[int, str]], today: date, rng: random.Random
) -> list[dict[str, Any]]:
    """Open deadlines: one annual certification clock per provider while they last, then
    requests; due dates spread from months overdue to a year ahead."""
    rows = []
    for index in range(count):
        provider_id, label = providers[index % len(providers)]
        if index < len(providers):
            key, start = "cip.annual_certification", today - timedelta(days=rng.randrange(400))
        else:
            key, start = rng.choice(REQUEST_CLOCKS), today - timedelta(days=rng.randrange(40))
        clock = clocks.get(key)
        period = period_for(clock, start, None)
        rows.append(
            {
                "clock_key": key,
                "module": clock.module,
                "subject_type": "provider",
                "subject_id": str(provider_id),
                "subject_label": label,
                "started_on": start,
                "due_on": clocks.due(key, start, days=period),
                "period_days": period,
                "citation": clock.citation,
                "computation": clocks.explain(key, start, days=period),
                "opened_at": utcnow(),
            }
        )
    return rows


def _reseller_rows(
    count: int, provider_ids: Sequence[int], rng: random.Random
) -> list[dict[str, Any]]:
    few = min(LARGE_RESELLING, len(provider_ids))
    return [
        {
            # Half of them resell for a few large providers, as in an office's registry.
            "provider_id": provider_ids[number % (few if number % 2 else len(provider_ids))],
            "name": f"{rng.choice(WORDS)} Reseller {number:06d} Ltd",
            "jurisdiction": JURISDICTIONS[number % len(JURISDICTIONS)],
            "status": (ResellerStatus.ENDED if number % 17 == 0 else ResellerStatus.ACTIVE).value,
            "began_on": date(2022, 1, 1) + timedelta(days=number % 1_000),
            "contact_name": f"Contact {number}",
            "contact_email": f"compliance{number}@reseller{number}.example",
        }
        for number in range(count)
    ]


def _activity_rows(
    count: int, user_ids: Sequence[int], rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A few weeks of the office's background work: deliveries done by the job worker, the
    messages they sent, and each person's notices of jobs, half of them read."""
    now = utcnow()
    jobs, mail, notices = [], [], []
    for number in range(count):
        at = now - timedelta(minutes=17 * (count - number))
        jobs.append(
            {"kind": "mail_delivery", "state": JobState.SUCCEEDED.value, "attempts": 1,
             "max_attempts": 8, "created_at": at, "started_at": at, "finished_at": at,
             "outcome": "Handed to the mail server."}
        )  # fmt: skip
        mail.append(
            {"to_address": f"analyst{number % 40}@oicts.example", "template": "job_failed",
             "subject_line": f"A job failed: job {number}", "text_body": "A job failed.",
             "html_body": "<p>A job failed.</p>", "state": MailState.SENT.value,
             "queued_at": at, "sent_at": at, "last_answer": "250 OK"}
        )  # fmt: skip
        for user_id in user_ids:
            notices.append(
                {"user_id": user_id, "kind": "job_failed", "title": f"Job {number} failed",
                 "link": "/jobs/", "created_at": at, "delivery": Delivery.IN_APP.value,
                 "read_at": at if rng.random() < 0.5 else None}
            )  # fmt: skip
    return jobs, mail, notices


class AlreadySeeded(click.ClickException):
    pass


def seed_scale(scale: Scale, *, today: date) -> dict[str, int]:
    """Build the office of ``scale``; the counts of what it added."""
    already = db.session.scalar(
        select(func.count()).where(Provider.legal_name.startswith(f"{NAME_PREFIX} "))
    )
    if already:
        raise AlreadySeeded(f"This database already holds {already:,} seeded providers.")
    rng = random.Random(RANDOM_SEED)  # noqa: S311 (invented records, drawn the same every run)
    _insert(Provider.__table__, _provider_rows(scale.providers, rng))
    providers = [
        (provider_id, name)
        for provider_id, name in db.session.execute(
            select(Provider.id, Provider.legal_name)
            .where(Provider.legal_name.startswith(f"{NAME_PREFIX} "))
            .order_by(Provider.id)
        )
    ]
    ids = [provider_id for provider_id, _ in providers]
    _insert(Filing.__table__, _filing_rows(scale.filings, ids, today, rng))
    recount_last_certified(ids)
    _insert(Deadline.__table__, _deadline_rows(scale.deadlines, providers, today, rng))
    _insert(ForeignReseller.__table__, _reseller_rows(scale.resellers, ids, rng))
    people = select(User.id).where(User.active.is_(True)).order_by(User.id)
    user_ids = list(db.session.scalars(people))
    jobs, mail, notices = _activity_rows(scale.activity, user_ids, rng)
    _insert(Job.__table__, jobs)
    _insert(OutgoingMail.__table__, mail)
    _insert(Notification.__table__, notices)
    counts = {
        "providers": scale.providers,
        "filings": scale.filings,
        "deadlines": scale.deadlines,
        "resellers": scale.resellers,
        "jobs": len(jobs),
        "messages": len(mail),
        "notices": len(notices),
    }
    record_event("seed.scale", actor=None, actor_label="flask seed-scale", after=counts)
    # The seeded providers' scores are kept before the commit, as every night's run keeps them,
    # rather than computed by the first page that reads them (§7.305(d)).
    signals.send(signals.provider_facts_changed, provider_ids=ids)
    db.session.flush()
    return counts


@click.command("seed-scale")
@click.option("--providers", default=Scale.providers, show_default=True)
@click.option("--filings", default=Scale.filings, show_default=True)
@click.option("--deadlines", default=Scale.deadlines, show_default=True)
@click.option("--resellers", default=Scale.resellers, show_default=True)
@click.option(
    "--activity", default=Scale.activity, show_default=True,
    help="Finished jobs and sent messages, and as many notices for each person.",
)  # fmt: skip
@with_appcontext
@transactions.command
def seed_scale_command(**counts: int) -> None:
    """Add an office-sized set of providers, filings and deadlines (bulk inserts)."""
    if current_app.config["OICTS_ENV"] == "production":
        # Invented providers and notices to every active person have no place in an office's
        # own records; the seed is for development machines and benchmarks.
        raise click.ClickException("flask seed-scale does not run with OICTS_ENV=production.")
    started = datetime.now(UTC)
    added = seed_scale(Scale(**counts), today=clocks.office_today())
    seconds = (datetime.now(UTC) - started).total_seconds()
    summary = ", ".join(f"{count:,} {name}" for name, count in added.items() if count)
    click.echo(f"Added {summary} in {seconds:.1f} s.")
