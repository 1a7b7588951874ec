"""Work done every day at an hour of the office's time zone (the daily risk snapshot, the audit
check, the lapse of measures, the deadlines falling due), or every few minutes (the digests of
notices, each sent at its person's own time): each module names its own, and each run is a job
whose record says when it ran and how it ended (docs/architecture.md §11)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from huey import crontab

from core import clocks
from core.audit.services import acting_as
from core.clocks import OFFICE_TIME_ZONE
from core.config import ConfigurationError
from core.jobs import registry
from core.jobs.registry import JobKind, JobWork

if TYPE_CHECKING:
    from core.jobs.models import Job

# Who the audit trail names for what a daily run changes without a person (the job's record
# names the scheduler as who asked for it, core.jobs.services.enqueue_daily).
SCHEDULER = "scheduler"


def office_minute(instant: datetime) -> datetime:
    """The office's wall-clock minute of a queue timestamp (UTC, without its zone)."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return aware.astimezone(OFFICE_TIME_ZONE).replace(second=0, microsecond=0, tzinfo=None)


@dataclass(frozen=True)
class DailyRun:
    kind: str
    at: time  # in the office's time zone

    def is_due(self) -> Callable[[datetime], bool]:
        matches = crontab(minute=str(self.at.minute), hour=str(self.at.hour), strict=True)
        return lambda instant: matches(office_minute(instant))

    def run_key(self, instant: datetime) -> str:
        """One run an office day, whichever scheduler asks first and however late the queue
        runs its request: "risk_snapshot@2026-12-01"."""
        return f"{self.kind}@{office_minute(instant).date().isoformat()}"


@dataclass(frozen=True)
class RecurringRun:
    """Work asked for every ``every_minutes`` of the office's clock, from each hour's start."""

    kind: str
    every_minutes: int

    def __post_init__(self) -> None:
        if not 0 < self.every_minutes <= 60 or 60 % self.every_minutes:
            raise ValueError("a recurring run's minutes divide the hour (5, 10, 15, 30 or 60)")

    def is_due(self) -> Callable[[datetime], bool]:
        return lambda instant: office_minute(instant).minute % self.every_minutes == 0

    def run_key(self, instant: datetime) -> str:
        """One run a slot of the office's clock, however many schedulers ask and however late
        the queue runs its request: "notification_digest@2026-12-01T07:30". An hour the office
        lives twice (daylight time ending) has its slots once."""
        minute = office_minute(instant)
        slot = minute.replace(minute=minute.minute - minute.minute % self.every_minutes)
        return f"{self.kind}@{slot.isoformat(timespec='minutes')}"


ScheduledRun = DailyRun | RecurringRun


_daily: dict[str, DailyRun] = {}


def every_day(kind: str, at: time) -> DailyRun:
    run = DailyRun(kind, at)
    _daily[kind] = run
    return run


def daily(
    kind: str,
    *,
    at: time,
    label: str,
    run: Callable[[date], str],
    on_failure: Callable[[Job, str], None] | None = None,
) -> DailyRun:
    """A module's daily work, as a kind of job run every day at ``at`` (office time).
    ``run(today)`` does it in the job's one transaction and answers what it did in a sentence;
    it raises ``JobRefused`` for a failure that trying again cannot mend."""

    def run_job(job: Job, work: JobWork) -> str:
        with acting_as(SCHEDULER, origin="job worker"):
            return run(clocks.office_today())

    registry.register(JobKind(kind, label=label, run=run_job, on_failure=on_failure))
    return every_day(kind, at)


_recurring: dict[str, RecurringRun] = {}


def recurring(
    kind: str,
    *,
    every_minutes: int,
    label: str,
    run: Callable[[datetime], str],
) -> RecurringRun:
    """A module's work asked for every ``every_minutes`` (office time), as a kind of job.
    ``run(now)`` is given the office's time when the job runs (the queue may run a request
    late: work due by then is done then) and answers what it did in a sentence."""
    recurring_run = RecurringRun(kind, every_minutes)

    def run_job(job: Job, work: JobWork) -> str:
        with acting_as(SCHEDULER, origin="job worker"):
            return run(clocks.office_now())

    registry.register(JobKind(kind, label=label, run=run_job))
    _recurring[kind] = recurring_run
    return recurring_run


def recurring_runs() -> list[RecurringRun]:
    return sorted(_recurring.values(), key=lambda run: run.kind)


def daily_kinds() -> list[str]:
    return [run.kind for run in daily_runs()]


def daily_runs(moved: Mapping[str, time] | None = None) -> list[DailyRun]:
    """The daily runs by their time of day, with the times the configuration moves."""
    moved = moved or {}
    unknown = sorted(set(moved) - set(_daily))
    if unknown:
        raise ConfigurationError(
            f"DAILY_RUN_TIMES names {', '.join(unknown)}, which is no daily run; the daily runs "
            f"are {', '.join(sorted(_daily))}."
        )
    runs = [dataclasses.replace(run, at=moved.get(run.kind, run.at)) for run in _daily.values()]
    return sorted(runs, key=lambda run: (run.at, run.kind))


MOVED_TIME = re.compile(r"^\s*([a-z_]+)\s*=\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


def moved_times(setting: str) -> dict[str, time]:
    """``DAILY_RUN_TIMES``: "risk_snapshot=06:30,audit_verification=05:00", office time."""
    moved = {}
    for entry in filter(str.strip, setting.split(",")):
        if not (found := MOVED_TIME.match(entry)):
            raise ConfigurationError(
                f"DAILY_RUN_TIMES: {entry.strip()!r} is not kind=HH:MM (24-hour, office time)."
            )
        moved[found.group(1)] = time(int(found.group(2)), int(found.group(3)))
    return moved
