"""What a refused client is told, and which storage counts: pure, no Flask."""

from __future__ import annotations

import math

# The storage in the application's own database (core.rate_limits.storage).
SCHEME = "oicts-database"
MEMORY = "memory://"
DATABASE = f"{SCHEME}://"


def default_storage_uri(database_url: str) -> str:
    """The application's own database on PostgreSQL, which every worker and machine shares;
    memory on SQLite, the embedded single-process set-up, where a second connection writing
    while the request's transaction is open would wait on it."""
    return MEMORY if database_url.startswith("sqlite") else DATABASE


def retry_after(window_ends: float, now: float) -> int:
    """Whole seconds until the window ends (``Retry-After``), at least one."""
    return max(1, math.ceil(window_ends - now))


def wait_phrase(seconds: int) -> str:
    """``seconds`` as people say it: "40 seconds", "1 minute", "15 minutes" (rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
