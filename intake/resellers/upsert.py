"""The reseller list a compiled certification leaves (§7.304(f)), written set-based: the file's
rows go into a staging table in one bulk write (COPY on PostgreSQL, one executemany on SQLite,
docs/architecture.md §10), and three statements add the new resellers, update the changed ones
and mark the rest as certified, in the caller's transaction.

Rows are matched to the list by ``rules.reseller_key`` in Python, on one read of the keys on
record, and the statements join on the ids it found: SQLite's ``lower()`` folds ASCII alone and
PostgreSQL's follows the database's locale, so neither folds a name or an address as
``str.casefold`` does, and a match key written in SQL would disagree with the check's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateTable, DropTable

from core.db import db
from core.schema import email_key
from intake.models import ForeignReseller, reseller_search_name
from intake.resellers import registry, rules


@dataclass(frozen=True)
class ResellerChanges:
    added: int
    updated: int
    unchanged: int
    left_out: list[str]  # active resellers on record that the file does not mention
    results: list[tuple[int, str, str, str]]  # row, name, jurisdiction, added/updated/unchanged
    # Resellers no earlier compiled certification certified (§7.304(d)).
    first_reported: list[rules.FirstReported]


# What a row of the file says of a reseller, beside its name and jurisdiction.
VALUE_COLUMNS = (
    "began_on",
    "ended_on",
    "status",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
)
_SAME_AS_ON_RECORD = tuple(name for name in VALUE_COLUMNS if name != "contact_email")

_staging = MetaData()
STAGED = Table(
    "staged_resellers",
    _staging,
    Column("target_id", Integer),  # the reseller on record the row names; NULL for a new one
    # An address that differs only in case is the same mailbox (core.schema.email_key).
    Column("email_changed", Boolean),
    Column("name", String),
    Column("search_name", String),
    Column("jurisdiction", String),
    Column("began_on", Date),
    Column("ended_on", Date),
    Column("status", String),
    Column("contact_name", String),
    Column("contact_title", String),
    Column("contact_email", String),
    Column("contact_phone", String),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_STAGED_NAMES = tuple(column.name for column in STAGED.columns)


def _email_changed(on_record: str | None, given: str | None) -> bool:
    """Whether the file gives another address than the one on record; one differing only in
    case is the same address, and stays as first given."""
    if on_record is None or given is None:
        return on_record != given
    return email_key(on_record) != email_key(given)


def _staged_row(row: dict[str, Any], match: Any, received_on: date) -> tuple[Any, ...]:
    ended_on = row["relationship_ended_on"]
    return (
        match.id if match is not None else None,
        match is not None and _email_changed(match.contact_email, row["contact_email"]),
        row["reseller_name"],
        # The column's default is Python's and an INSERT … SELECT runs none: only new rows need it.
        reseller_search_name(row["reseller_name"]) if match is None else None,
        row["jurisdiction"],
        row["relationship_began_on"],
        ended_on,
        rules.reseller_status(ended_on, received_on).value,
        row["contact_name"],
        row["contact_title"],
        row["contact_email"],
        row["contact_phone"],
    )


def _stage(connection: Connection, staged: Sequence[tuple[Any, ...]]) -> None:
    connection.execute(CreateTable(STAGED))
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY staged_resellers ({', '.join(_STAGED_NAMES)}) FROM STDIN") as copy:
            for row in staged:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in _STAGED_NAMES)
    connection.exec_driver_sql(
        f"INSERT INTO staged_resellers ({', '.join(_STAGED_NAMES)}) VALUES ({placeholders})",  # noqa: S608
        # SQLAlchemy keeps a Date on SQLite as ISO text; the staged dates compare with it so.
        [
            tuple(value.isoformat() if isinstance(value, date) else value for value in row)
            for row in staged
        ],
    )


def _add_new(connection: Connection, provider_id: int, filing_id: int) -> None:
    table = ForeignReseller.__table__
    written = ("name", "search_name", "jurisdiction", *VALUE_COLUMNS)
    connection.execute(
        insert(table).from_select(
            ["provider_id", "certified_in_id", *written],
            select(
                literal(provider_id), literal(filing_id), *(STAGED.c[name] for name in written)
            ).where(STAGED.c.target_id.is_(None)),
        )
    )


def _update_changed(connection: Connection, filing_id: int) -> set[int]:
    """The resellers on record whose row changes them (§7.304(a)(1)(vi), §7.304(d), §7.303(e)),
    rewritten and certified by the filing; their ids."""
    table = ForeignReseller.__table__
    changed = or_(
        STAGED.c.email_changed,
        *(table.c[name].is_distinct_from(STAGED.c[name]) for name in _SAME_AS_ON_RECORD),
    )
    statement = (
        update(table)
        .where(table.c.id == STAGED.c.target_id, changed)
        .values({name: STAGED.c[name] for name in VALUE_COLUMNS} | {"certified_in_id": filing_id})
        .returning(table.c.id)
    )
    return set(connection.execute(statement).scalars())


def _certify_unchanged(connection: Connection, filing_id: int) -> None:
    table = ForeignReseller.__table__
    connection.execute(
        update(table)
        .where(
            table.c.id == STAGED.c.target_id, table.c.certified_in_id.is_distinct_from(filing_id)
        )
        .values(certified_in_id=filing_id)
    )


def upsert_resellers(
    provider_id: int, rows: list[dict[str, Any]], received_on: date, filing_id: int
) -> ResellerChanges:
    """Add the file's new resellers and update those on record (matched by name and
    jurisdiction, §7.304(a)(2)(viii)); every one in the file is marked as certified by the
    filing (§7.304(f))."""
    by_key = registry.on_record(provider_id, "contact_email", "certified_in_id")
    matches = [
        by_key.get(rules.reseller_key(row["reseller_name"], row["jurisdiction"])) for row in rows
    ]
    connection = db.session.connection()
    _stage(
        connection,
        [_staged_row(row, match, received_on) for row, match in zip(rows, matches, strict=True)],
    )
    _add_new(connection, provider_id, filing_id)
    updated = _update_changed(connection, filing_id)
    _certify_unchanged(connection, filing_id)
    connection.execute(DropTable(STAGED))
    results = [
        (row["row"], row["reseller_name"], row["jurisdiction"], _result(match, updated))
        for row, match in zip(rows, matches, strict=True)
    ]
    added = sum(match is None for match in matches)
    return ResellerChanges(
        added,
        len(updated),
        len(rows) - added - len(updated),
        _left_out(provider_id, by_key, {match.id for match in matches if match is not None}),
        results,
        [
            rules.FirstReported(
                row["reseller_name"], row["jurisdiction"], row["relationship_began_on"]
            )
            for row, match in zip(rows, matches, strict=True)
            if match is None or match.certified_in_id is None
        ],
    )


def _result(match: Any, updated: set[int]) -> str:
    if match is None:
        return "added"
    return "updated" if match.id in updated else "unchanged"


def _left_out(provider_id: int, by_key: dict[tuple[str, str], Any], in_file: set[int]) -> list[str]:
    # An exempt reseller is not expected in the certification (§7.306(e)).
    exempt = registry.exempt_resellers(provider_id)
    return [
        f"{reseller.name} ({reseller.jurisdiction})"
        for reseller in by_key.values()
        if reseller.id not in in_file and reseller.status == "active" and reseller.id not in exempt
    ]
