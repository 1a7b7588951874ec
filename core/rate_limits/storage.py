"""A ``limits`` storage in the application's own database, registered as ``oicts-database://``.

Production runs several gunicorn workers on several machines with PostgreSQL and nothing else
shared, so the counters live in a table every worker reads (``rate_limit_counters``). Each
write commits at once on a connection of its own, never in the request's session: a request
that is refused or fails rolls its session back (core/transactions.py), and the failed sign-in
it counted must stay counted. Only what the fixed-window strategy needs is implemented.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from limits.storage import Storage
from sqlalchemy import Connection, case, delete, literal, select, text
from sqlalchemy.exc import SQLAlchemyError

from core.db import UTCDateTime, db, upsert, utcnow
from core.rate_limits.models import RateLimitCounter
from core.rate_limits.rules import SCHEME

COUNTERS = RateLimitCounter.__table__


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _instant(value: datetime) -> Any:
    return literal(value, UTCDateTime())


class DatabaseStorage(Storage):
    """Fixed-window counters in ``rate_limit_counters``, through the current application's
    database engine (so two applications on one database count together)."""

    STORAGE_SCHEME = [SCHEME]

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more hits, starting a new window of ``expiry`` seconds if the last
        one has ended; one statement, so workers counting at once never lose a hit."""
        now = utcnow()
        ends = now + timedelta(seconds=expiry)
        ended = COUNTERS.c.expires_at <= _instant(now)
        statement = (
            upsert(COUNTERS, db.engine.dialect.name)
            .values(key_digest=_digest(key), count=amount, expires_at=ends)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key_digest],
                set_={
                    "count": case((ended, amount), else_=COUNTERS.c.count + amount),
                    "expires_at": case((ended, _instant(ends)), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.count)
        )
        with db.engine.begin() as connection:
            return int(connection.execute(statement).scalar_one())

    def _current(self, connection: Connection, key: str) -> tuple[int, datetime] | None:
        row = connection.execute(
            select(COUNTERS.c.count, COUNTERS.c.expires_at).where(
                COUNTERS.c.key_digest == _digest(key), COUNTERS.c.expires_at > _instant(utcnow())
            )
        ).one_or_none()
        return (row.count, row.expires_at) if row else None

    def get(self, key: str) -> int:
        with db.engine.connect() as connection:
            current = self._current(connection, key)
        return current[0] if current else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends, as a Unix time; now when it has no window open."""
        with db.engine.connect() as connection:
            current = self._current(connection, key)
        return (current[1] if current else utcnow()).timestamp()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key_digest == _digest(key)))


def prune_expired() -> int:
    """Remove the counters whose window has ended (``flask rate-limits prune``, run daily): a
    key that is never counted again would otherwise keep its row."""
    return db.session.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= utcnow())).rowcount
