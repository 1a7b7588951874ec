"""``flask jobs worker``, ``flask jobs scheduler`` and ``flask jobs sweep``: the processes that run
jobs beside the web server (README: Running in production)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from core import clocks, request_log
from core.jobs import daily_runs_of, queue, services

jobs_cli = AppGroup("jobs", help="Run the job worker and scheduler.")


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
    consumer = the_queue.create_consumer(
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
