"""``flask jobs worker``, ``flask jobs scheduler`` and ``flask jobs sweep``: the processes that run
jobs beside the web server (README: Running in production)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from huey import Huey
from huey.api import Task
from huey.consumer import Consumer
from huey.signals import (
    SIGNAL_CANCELED,
    SIGNAL_COMPLETE,
    SIGNAL_ERROR,
    SIGNAL_EXECUTING,
    SIGNAL_INTERRUPTED,
)

from core import clocks, request_log
from core.jobs import daily_runs_of, queue, rules, schedule, services

ENDED = (SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_INTERRUPTED, SIGNAL_CANCELED)

jobs_cli = AppGroup("jobs", help="Run the job worker and scheduler.")


class JobConsumer(Consumer):
    """Huey's consumer, whose own main loop, which looks at its worker threads every few seconds,
    also says that each job they are running is alive (docs/architecture.md §11). A worker that
    dies falls silent with its loop, and its jobs are taken up again once their lease runs out."""

    def __init__(self, huey: Huey, **options: Any):
        lease = timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])
        options["health_check_interval"] = min(rules.HEARTBEAT_EVERY, lease / 3).total_seconds()
        super().__init__(huey, **options)
        self.running: set[int] = set()
        huey.signal(SIGNAL_EXECUTING)(self._started)
        huey.signal(*ENDED)(self._ended)

    def _started(self, signal: str, task: Task, *rest: object) -> None:
        if task.name.endswith("run_job"):
            self.running.add(task.args[0])

    def _ended(self, signal: str, task: Task, *rest: object) -> None:
        if task.name.endswith("run_job"):
            self.running.discard(task.args[0])

    def check_worker_health(self) -> None:
        super().check_worker_health()
        for job_id in list(self.running):
            try:
                services.say_alive(job_id)
            # A missed beat only risks the job being run again, which its claim makes safe.
            except Exception:
                self._logger.exception("job %s: heartbeat not recorded", job_id)


def _consume(*, threads: int, periodic: bool) -> None:
    the_queue = queue.the_queue()
    if the_queue.immediate:
        raise click.UsageError(
            "JOB_QUEUE is immediate: jobs run in the process that sends them; there is no queue "
            "for a worker to read."
        )
    request_log.log_to_stderr(logging.getLogger())
    logging.getLogger().setLevel(logging.INFO)
    if periodic:
        for run in daily_runs_of(current_app):
            current_app.logger.info(
                "daily run %s at %s %s", run.kind, run.at.strftime("%H:%M"), clocks.OFFICE_TIME_ZONE
            )
        for every in schedule.recurring_runs():
            current_app.logger.info("run %s every %s minutes", every.kind, every.every_minutes)
    consumer = JobConsumer(
        the_queue,
        workers=threads,
        worker_type="thread",
        periodic=periodic,
        # An idle worker looks for work at least every second (PostgreSQL also wakes it at once).
        max_delay=1.0,
    )
    consumer.run()


@jobs_cli.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at once by this worker.")
def worker_command(threads: int) -> None:
    """Run jobs from the queue until stopped (Ctrl-C or SIGINT finishes the running jobs first;
    any other end leaves them to be run again by another worker)."""
    _consume(threads=threads, periodic=False)


@jobs_cli.command("scheduler")
def scheduler_command() -> None:
    """Queue the daily runs and the sweep at their times, and run jobs with one thread. Run one
    scheduler for the office; a second one does no harm (each day's run is stored once)."""
    _consume(threads=1, periodic=True)


@jobs_cli.command("sweep")
def sweep_command() -> None:
    """Send again the jobs the queue has lost (stored but never sent, or whose worker died)."""
    resent = services.sweep()
    click.echo(f"{len(resent)} jobs sent again." if resent else "No job needed sending again.")
    current_app.logger.info("sweep sent %s jobs again", len(resent))
