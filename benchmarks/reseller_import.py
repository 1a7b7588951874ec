"""How fast a compiled foreign-reseller certification of 50,000 rows is checked and imported.

    .venv/bin/python benchmarks/reseller_import.py [--rows 50000] [--backends sqlite,postgresql]
        [--xlsx]

For each back end: the rows per second of reading the file and of checking it row by row; then,
on a fresh migrated database, of the whole import (read, check, store) twice, a first import
that adds every reseller and a second, with every contact changed, that updates them all, each
beside the floor measured in the same run (``figures``): the same rows, as stored, written into
a bare table of foreign_resellers' columns by COPY (PostgreSQL) or one executemany (SQLite). With
--xlsx the same rows are also read from an Excel workbook. PostgreSQL is reached through
TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import secrets
import sqlite3
from typing import Any

from common import Figure, benchmark_provider, database_urls, timed
from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

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


def _provider_and_analyst() -> tuple[Provider, Any]:
    user = accounts.create_user(
        email="bench@oicts.example",
        full_name="Bench Analyst",
        role=Role.ANALYST,
        password=secrets.token_urlsafe(24),
        actor=None,
    )
    provider = benchmark_provider("Benchmark Cloud, Inc.", "jortiz@bench.example")
    db.session.add(provider)
    db.session.commit()
    return provider, user


FLOOR_TABLE = "floor_resellers"


def _stored_columns() -> list[str]:
    return [column.name for column in ForeignReseller.__table__.columns if column.name != "id"]


def _floor_seconds(url: str) -> float:
    """Seconds to write the rows foreign_resellers now holds, as they are stored, into a bare
    table of the same columns (no index, no constraint) by the fastest path each back end has,
    in one transaction: COPY on PostgreSQL, sqlite3's executemany on SQLite."""
    columns = ", ".join(_stored_columns())
    if make_url(url).get_backend_name() == "sqlite":
        connection = sqlite3.connect(make_url(url).database)
        rows = connection.execute(f"SELECT {columns} FROM foreign_resellers").fetchall()  # noqa: S608
        connection.execute(
            f"CREATE TABLE {FLOOR_TABLE} AS SELECT {columns} FROM foreign_resellers WHERE 0"  # noqa: S608
        )
        placeholders = ", ".join("?" for _ in _stored_columns())
        insert = f"INSERT INTO {FLOOR_TABLE} ({columns}) VALUES ({placeholders})"  # noqa: S608

        def write() -> None:
            with connection:
                connection.executemany(insert, rows)

        _, seconds = timed(write)
        connection.close()
        return seconds
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        rows = cursor.execute(f"SELECT {columns} FROM foreign_resellers").fetchall()  # noqa: S608
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} AS SELECT {columns} FROM foreign_resellers WITH NO DATA"  # noqa: S608
        )
        connection.commit()

        def copy() -> None:
            with cursor.copy(f"COPY {FLOOR_TABLE} ({columns}) FROM STDIN") as writer:
                for row in rows:
                    writer.write_row(row)
            connection.commit()

        _, seconds = timed(copy)
        return seconds
    finally:
        connection.close()


def figures(url: str, label: str, rows: int = 50_000) -> list[Figure]:
    """The whole import of ``rows`` resellers (read, check, store), all added then all updated,
    beside the floor measured in the same run: rows of foreign_resellers' shape written into a
    bare table. ``url`` is a fresh, empty database, migrated here."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        provider, user = _provider_and_analyst()
        first = csv_bytes(reseller_rows(rows))
        record, added_seconds = timed(lambda: import_file(provider, user, "first.csv", first))
        assert record.status == "imported", (record.status, record.error_report)
        changed = csv_bytes(reseller_rows(rows, contact="Jonas Becker"))
        record, updated_seconds = timed(lambda: import_file(provider, user, "second.csv", changed))
        assert record.status == "imported", (record.status, record.error_report)
        assert record.filing.data["updated"] == rows
        stored = db.session.scalar(select(func.count()).select_from(ForeignReseller))
        assert stored == rows, stored
        db.session.remove()
        floor = rows / _floor_seconds(url)
        db.engine.dispose()
    return [
        Figure(f"[{label}] whole import, all added", rows / added_seconds, floor, "rows/s", True),
        Figure(
            f"[{label}] whole import, all updated", rows / updated_seconds, floor, "rows/s", True
        ),
    ]


def print_check(label: str, count: int, with_xlsx: bool) -> None:
    """How fast the file is read and checked, which needs no database."""
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


def main() -> None:
    # Handlers on the root logger keep Alembic from printing every migration it runs.
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--xlsx", action="store_true", help="also time reading an Excel file")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) before the run")
    print(f"{'figure':<56} {'value':>12} {'unit':<7} {'floor':>12}")
    for label, url in database_urls(options.backends):
        print_check(label, options.rows, options.xlsx)
        for figure in figures(url, label, options.rows):
            print(figure.line())
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after the run")


if __name__ == "__main__":
    main()
