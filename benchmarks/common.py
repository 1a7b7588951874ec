"""What every benchmark needs: keys for the run, a fresh migrated database per back end, and a
stopwatch."""

from __future__ import annotations

import base64
import os
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Keys for this run, so that a benchmark writes no development secrets under instance/.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
os.environ.setdefault("SEARCH_HASH_KEY", secrets.token_urlsafe(32))
os.environ.setdefault("AUDIT_CHAIN_KEY", secrets.token_urlsafe(32))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def database_urls(backends: str) -> Iterator[tuple[str, str]]:
    """(label, URL) of a fresh, empty database on each back end named, dropped afterwards.
    PostgreSQL is reached through TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432)."""
    for backend in backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                yield "sqlite", f"sqlite:///{folder}/bench.sqlite3"
            continue
        name = f"oicts_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(POSTGRES_ADMIN_URL).set(database=name)
            yield backend, url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


@dataclass(frozen=True)
class Figure:
    """One measured figure beside the floor measured in the same run: ``higher_is_better`` for a
    rate (rows/s), not for a time (ms); ``ratio`` is how far the project is from its floor, read
    the way the goals are written (a time as × the floor, a rate as a fraction of it)."""

    name: str
    value: float
    floor: float
    unit: str
    higher_is_better: bool = False

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else float("inf")

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}× floor"
        return f"{self.name:<56} {self.value:>12,.1f} {self.unit:<7} {self.floor:>12,.1f}  {ratio}"


def settle(url: str) -> None:
    """Gather the planner's statistics (and, on PostgreSQL, the visibility map) after a bulk
    seed, as autovacuum does on its own within a minute of one in production."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )
    engine.dispose()


def benchmark_provider(legal_name: str, contact_email: str, **fields: Any) -> Any:
    """A provider of the benchmarks' own, at one Arlington address (not added to a session)."""
    from intake.models import Provider

    return Provider(
        legal_name=legal_name, street_address="1 Main St", city="Arlington", state="VA",
        postal_code="22201", contact_name="Jamie Ortiz", contact_title="Compliance Officer",
        contact_email=contact_email, contact_phone="+17035550100", **fields,
    )  # fmt: skip
