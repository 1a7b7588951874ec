"""Work done every day at an hour of the office's time zone (the daily risk snapshot, the audit
check, the lapse of measures, the deadlines falling due): each module names its own, and each
run is a job whose record says when it ran and how it ended (docs/architecture.md §11)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from huey import crontab

from core.clocks import OFFICE_TIME_ZONE


@dataclass(frozen=True)
class DailyRun:
    kind: str
    at: time  # in the office's time zone

    def office_minute(self, instant: datetime) -> datetime:
        """The office's wall-clock minute of a queue timestamp (UTC, without its zone)."""
        aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        return aware.astimezone(OFFICE_TIME_ZONE).replace(second=0, microsecond=0, tzinfo=None)

    def is_due(self) -> Callable[[datetime], bool]:
        matches = crontab(minute=str(self.at.minute), hour=str(self.at.hour), strict=True)
        return lambda instant: matches(self.office_minute(instant))

    def run_key(self, instant: datetime) -> str:
        """One run an office day, whichever scheduler asks first and however late the queue
        runs its request: "risk_snapshot@2026-12-01"."""
        return f"{self.kind}@{self.office_minute(instant).date().isoformat()}"


_daily: dict[str, DailyRun] = {}


def every_day(kind: str, at: time) -> DailyRun:
    run = DailyRun(kind, at)
    _daily[kind] = run
    return run


def daily_runs() -> list[DailyRun]:
    return sorted(_daily.values(), key=lambda run: (run.at, run.kind))
