"""How fast a compiled foreign-reseller certification of 50,000 rows is checked and imported.

    .venv/bin/python benchmarks/reseller_import.py [--rows 50000] [--backends sqlite,postgresql]
        [--xlsx]

For each back end, on a fresh migrated database: the rows per second of reading the file, of
checking it row by row, and of the whole import (read, check, store) twice: a first import that
adds every reseller, and a second, with every contact changed, that updates them all. With
--xlsx the same rows are also read from an Excel workbook. PostgreSQL is reached through
TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import secrets
from typing import Any

from common import database_urls, timed
from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import func, select

from app import create_app
from core.auth import services as accounts
from core.auth.rules import Role
from core.db import db
from core.jobs.services import send_committed
from intake.models import ForeignReseller, Provider
from intake.resellers import rules as reseller_rules
from intake.resellers import services as reseller_services

JURISDICTIONS = ("DE", "JP", "BR", "FR", "IN", "SG", "AU", "CA", "MX", "ZA", "KR", "NL")


def reseller_rows(count: int, *, contact: str = "Katrin Vogel") -> list[list[str]]:
    example = reseller_rules.RESELLER_EXAMPLE
    return [
        [
            f"Reseller {number:05d} Cloud Ltd",
            JURISDICTIONS[number % len(JURISDICTIONS)],
            f"20{20 + number % 6}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "",
            contact,
            "Head of Compliance",
            f"compliance{number}@reseller{number}.example",
            f"+49 30 {5550000 + number}",
            example["verification_summary"],
            example["detection_summary"],
            str(number % 9000),
            str(number % 7),
            "yes",
        ]
        for number in range(count)
    ]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(reseller_rules.RESELLER_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Foreign resellers")
    sheet.append(list(reseller_rules.RESELLER_HEADER))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>10,.0f} rows/s  ({seconds:6.2f} s)"


def import_file(provider: Provider, user: Any, name: str, content: bytes) -> Any:
    record = reseller_services.start_reseller_import(
        provider, filename=name, content=content, actor=user
    )
    db.session.commit()
    # The job runs as soon as it is sent: under TESTING the queue is immediate (core.jobs.queue).
    send_committed()
    db.session.refresh(record)
    return record


def run_on(url: str, label: str, count: int, with_xlsx: bool) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        user = accounts.create_user(
            email="bench@oicts.example",
            full_name="Bench Analyst",
            role=Role.ANALYST,
            password=secrets.token_urlsafe(24),
            actor=None,
        )
        provider = Provider(
            legal_name="Benchmark Cloud, Inc.",
            street_address="1 Main St",
            city="Arlington",
            state="VA",
            postal_code="22201",
            contact_name="Jamie Ortiz",
            contact_title="Compliance Officer",
            contact_email="jortiz@bench.example",
            contact_phone="+17035550100",
        )
        db.session.add(provider)
        db.session.commit()

        first = csv_bytes(reseller_rows(count))
        table, read_seconds = timed(lambda: reseller_services.read_reseller_table(first, "csv"))
        check, check_seconds = timed(lambda: reseller_rules.check_reseller_file(table))
        assert check.ok, check.problems[:3]
        print(f"[{label}] {count:,} rows, CSV of {len(first) / 1e6:.1f} MB")
        print(f"[{label}]   read CSV (pandas)           {rate(count, read_seconds)}")
        print(f"[{label}]   check row by row            {rate(count, check_seconds)}")
        if with_xlsx:
            workbook = xlsx_bytes(reseller_rows(count))
            _, xlsx_seconds = timed(lambda: reseller_services.read_reseller_table(workbook, "xlsx"))
            print(f"[{label}]   read XLSX (pandas)          {rate(count, xlsx_seconds)}")

        record, seconds = timed(lambda: import_file(provider, user, "first.csv", first))
        assert record.status == "imported", (record.status, record.error_report)
        print(f"[{label}]   whole import, all added     {rate(count, seconds)}")
        changed = csv_bytes(reseller_rows(count, contact="Jonas Becker"))
        record, seconds = timed(lambda: import_file(provider, user, "second.csv", changed))
        assert record.status == "imported", (record.status, record.error_report)
        assert record.filing.data["updated"] == count
        print(f"[{label}]   whole import, all updated   {rate(count, seconds)}")
        stored = db.session.scalar(select(func.count()).select_from(ForeignReseller))
        assert stored == count, stored
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    # Handlers on the root logger keep Alembic from printing every migration it runs.
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--xlsx", action="store_true", help="also time reading an Excel file")
    options = parser.parse_args()
    for label, url in database_urls(options.backends):
        run_on(url, label, options.rows, options.xlsx)


if __name__ == "__main__":
    main()
