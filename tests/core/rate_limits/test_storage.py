"""The counters in the application's database: what every worker and machine shares."""

import threading
from datetime import timedelta

import pytest
from limits.storage import MemoryStorage
from sqlalchemy import select, text

from core.config import ConfigurationError
from core.db import db, utcnow
from core.rate_limits import services, storage
from core.rate_limits.models import RateLimitCounter
from tests.conftest import make_app
from tests.factories import make_user

KEY = "LIMITER/oicts/account:ana.lopez@bis.doc.gov/sign-in-account/10/15/minute"


@pytest.fixture
def counters(app):
    return storage.DatabaseStorage()


@pytest.fixture
def later(monkeypatch):
    """Moves the counters' clock ``minutes`` on from now."""
    start = utcnow()

    def move(minutes: float) -> None:
        monkeypatch.setattr(storage, "utcnow", lambda: start + timedelta(minutes=minutes))

    move(0)
    return move


def _needs_postgresql() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("counters are kept in the database on PostgreSQL only (memory on SQLite)")


def test_hits_add_up_within_a_window_and_start_again_after_it(counters, later):
    assert counters.incr(KEY, 900) == 1
    assert counters.incr(KEY, 900, amount=2) == 3
    assert counters.get(KEY) == 3
    window_ends = counters.get_expiry(KEY)
    assert window_ends == pytest.approx((utcnow() + timedelta(minutes=15)).timestamp(), abs=5)
    later(14)
    assert counters.incr(KEY, 900) == 4
    assert counters.get_expiry(KEY) == window_ends  # a hit does not stretch the window
    later(15.1)
    assert counters.get(KEY) == 0
    assert counters.incr(KEY, 900) == 1
    assert counters.get_expiry(KEY) > window_ends


def test_what_is_counted_is_kept_only_as_a_digest(counters):
    counters.incr(KEY, 900)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM rate_limit_counters")).all()
    assert len(rows) == 1
    assert "ana.lopez" not in repr(rows)
    assert len(rows[0].key_digest) == 64


def test_a_key_can_be_cleared_and_every_key_reset(counters):
    counters.incr(KEY, 900)
    counters.incr("another", 900)
    counters.clear(KEY)
    assert (counters.get(KEY), counters.get("another")) == (0, 1)
    assert counters.reset() == 1
    assert counters.get("another") == 0
    assert counters.check()


def test_the_prune_command_removes_only_ended_windows(app, counters, later):
    counters.incr("ended", 60)
    counters.incr(KEY, 900)
    later(5)
    result = app.test_cli_runner().invoke(args=["rate-limits", "prune"])
    assert result.exit_code == 0, result.output
    assert "1 ended counter(s) removed." in result.output
    db.session.expire_all()
    assert db.session.scalars(select(RateLimitCounter)).one().count == 1
    assert counters.get(KEY) == 1


def test_a_count_stays_when_the_request_around_it_rolls_back(counters):
    _needs_postgresql()
    analyst = make_user()
    analyst.full_name = "Changed In A Refused Request"
    db.session.flush()  # the request's transaction holds its write open
    counters.incr(KEY, 900)
    db.session.rollback()
    assert db.session.get(type(analyst), analyst.id).full_name != "Changed In A Refused Request"
    assert counters.get(KEY) == 1


def test_workers_counting_at_once_lose_no_hit(app, counters):
    _needs_postgresql()

    def count() -> None:
        with app.app_context():
            for _ in range(20):
                counters.incr(KEY, 900)

    workers = [threading.Thread(target=count) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert counters.get(KEY) == 80


def test_postgresql_counts_in_the_database_and_sqlite_in_memory(app):
    limiter = app.extensions[services.EXTENSION]
    if db.engine.dialect.name == "postgresql":
        assert isinstance(limiter.storage, storage.DatabaseStorage)
    else:
        assert isinstance(limiter.storage, MemoryStorage)


def test_the_database_storage_is_refused_on_sqlite(tmp_path):
    with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
        make_app(f"sqlite:///{tmp_path / 'one.sqlite3'}", RATELIMIT_STORAGE_URI="oicts-database://")


def test_a_figure_that_is_not_a_rate_stops_start_up(tmp_path):
    with pytest.raises(ConfigurationError, match="RATELIMIT_PUBLIC_FEED must be a rate"):
        make_app(f"sqlite:///{tmp_path / 'one.sqlite3'}", RATELIMIT_PUBLIC_FEED="lots")
