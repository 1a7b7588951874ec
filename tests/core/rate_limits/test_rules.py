"""What a refused client is told, and where counts are kept by default."""

import pytest

from core.rate_limits import rules


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(1, "1 second"), (40, "40 seconds"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")],
)
def test_the_wait_is_said_as_people_say_it_rounded_up(seconds, said):
    assert rules.wait_phrase(seconds) == said


def test_retry_after_is_whole_seconds_rounded_up_and_never_zero():
    assert rules.retry_after(100.2, 10.0) == 91
    assert rules.retry_after(10.0, 10.0) == 1
    assert rules.retry_after(5.0, 10.0) == 1


def test_postgresql_counts_in_the_database_and_sqlite_in_memory():
    assert rules.default_storage_uri("postgresql+psycopg://app@db/oicts") == "oicts-database://"
    assert rules.default_storage_uri("sqlite:////srv/oicts.sqlite3") == "memory://"
