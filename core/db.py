"""Database extension, declarative base and column types shared by every module."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Enum, MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.schema import Table
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that Alembic migrations read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC on every back end.

    SQLite drops the offset of ``DateTime(timezone=True)``; converting on the way in and marking
    UTC on the way out keeps comparisons correct on both databases (docs/architecture.md §10).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: instants must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def coded(enum_type: type[enum.Enum], *, constraint: str, length: int) -> Enum:
    """A column of an enumeration's values, kept as the value strings themselves in a VARCHAR
    of ``length`` with a CHECK named ``constraint`` listing them, on SQLite and PostgreSQL alike.
    A string that is none of the values is refused before it reaches the database."""
    return Enum(
        enum_type,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
        name=constraint,
        length=length,
    )


# A JSON document or list; an absent one is SQL NULL rather than JSON ``null``.
JSONDocument = JSON(none_as_null=True)


# A column's ``info`` marking it as holding field-encrypted values (core.crypto), so that
# `flask keys rotate` (core.keys) finds every one; add "encrypted_when" naming a boolean column
# where only some rows are encrypted.
ENCRYPTED: dict[str, object] = {"encrypted": True}


def upsert(target: type[Base] | Table, dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say what to do ON CONFLICT, in the dialect of the database: both
    SQLite and PostgreSQL have one, with the same words, but SQLAlchemy builds each apart."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(target)
