"""How long the search box takes at office scale.

    .venv/bin/python benchmarks/search.py [--providers 2000] [--resellers 50000]
        [--filings 50000] [--backends sqlite,postgresql]

For each back end, on a fresh migrated database: ``--providers`` providers and ``--resellers``
foreign resellers (written as a reseller import writes them, so their folded names come from
the column's default) and ``--filings`` filings. Printed: the request for each kind of query a
person types (a name without its accents, a name with a typo, a contact email, a receipt, the
start of a receipt), timed through the whole page, the median of five.
"""

from __future__ import annotations

import argparse
import logging
import statistics
from datetime import date

from common import database_urls, timed
from flask_migrate import upgrade
from sqlalchemy import insert, select

from app import create_app
from core.auth.rules import Role
from core.db import db, utcnow
from intake.models import Filing, ForeignReseller, Provider
from tests.factories import PASSWORD, make_user

CITIES = ("São Paulo", "München", "Kraków", "Québec", "Zürich", "Málaga", "Ōsaka", "Łódź")
WORDS = ("Nubes", "Cloud", "Nuvem", "Rechenzentrum", "Hosting", "Datos", "Compute", "Servicios")


def _name(number: int) -> str:
    return f"{WORDS[number % 8]} {CITIES[number // 8 % 8]} {number:05d} Ltda."


def populate(providers: int, resellers: int, filings: int) -> str:
    db.session.execute(
        insert(Provider),
        [
            {"legal_name": f"{_name(n)} Provider", "business_names": [], "street_address": "1 Main",
             "city": "Arlington", "state": "VA", "postal_code": "22201", "is_us_reseller": False,
             "contact_name": "Jamie Ortiz", "contact_title": "Officer",
             "contact_email": f"contact{n}@provider{n}.example", "contact_phone": "+17035550100"}
            for n in range(providers)
        ],
    )  # fmt: skip
    ids = list(db.session.scalars(select(Provider.id).order_by(Provider.id)))
    db.session.execute(
        insert(ForeignReseller),
        [
            {"provider_id": ids[n % len(ids)], "name": _name(n), "jurisdiction": "BR",
             "status": "active", "contact_email": f"k{n}@reseller{n}.example"}
            for n in range(resellers)
        ],
    )  # fmt: skip
    today = date.today()
    db.session.execute(
        insert(Filing),
        [
            {"receipt_number": f"OICTS-{today.year}-{n + 1:06d}", "kind": "cip_certification",
             "provider_id": ids[n % len(ids)], "channel": "web", "raw_payload": "{}",
             "payload_sha256": "0" * 64, "data_json": {}, "received_at": utcnow(),
             "received_on": today, "rules_version": "2026-01"}
            for n in range(filings)
        ],
    )  # fmt: skip
    db.session.commit()
    return f"OICTS-{today.year}-{filings // 2:06d}"


def run_on(url: str, label: str, options: argparse.Namespace) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        receipt = populate(options.providers, options.resellers, options.filings)
        analyst = make_user(Role.ANALYST)
        client = app.test_client()
        client.post("/login", data={"acknowledge": "y", "email": analyst.email,
                                    "password": PASSWORD})  # fmt: skip
        print(f"[{label}] {options.providers:,} providers, {options.resellers:,} foreign "
              f"resellers, {options.filings:,} filings")  # fmt: skip
        for what, typed in (
            ("a name without its accents", "Nuvem Krakow 00042"),
            ("a name with a typo", "Nuvme Krakow"),
            ("a contact email", "k4242@reseller4242.example"),
            ("a receipt", receipt),
            ("the start of a receipt", receipt[:-2]),
        ):
            seconds = []
            for _ in range(5):
                answer, spent = timed(lambda t=typed: client.get("/search", query_string={"q": t}))
                assert answer.status_code in (200, 303), answer.status_code
                seconds.append(spent)
            print(f"[{label}]   {what:<28} {statistics.median(seconds) * 1000:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=2_000)
    parser.add_argument("--resellers", type=int, default=50_000)
    parser.add_argument("--filings", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    logging.disable(logging.WARNING)
    for label, url in database_urls(options.backends):
        run_on(url, label, options)


if __name__ == "__main__":
    main()
