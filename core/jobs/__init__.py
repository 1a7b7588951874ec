"""Jobs: work that outlives a request, run by a separate worker process from a durable queue
(Huey), and the daily schedule (docs/architecture.md §11)."""

from __future__ import annotations

import functools

from flask import Flask
from huey import crontab

from core.jobs import queue, schedule, services


def init_app(app: Flask) -> None:
    """Build the application's queue and give it its tasks: running a job, the sweep (every
    minute, and when a worker starts), and each module's daily and recurring runs."""
    app.extensions["job_queue"] = queue.build_queue(app.config)
    queue.add_tasks(app, {"run_job": services.run_job})
    queue.add_periodic(app, "sweep", crontab(), services.sweep)
    for run in daily_runs_of(app):
        queue.add_periodic(
            app, f"daily:{run.kind}", run.is_due(), functools.partial(services.enqueue_daily, run)
        )
    for every in schedule.recurring_runs():
        queue.add_periodic(
            app,
            f"recurring:{every.kind}",
            every.is_due(),
            functools.partial(services.enqueue_daily, every),
        )
    app.extensions["job_queue"].on_startup(name="sweep_at_start")(
        queue.in_app_context(app, services.sweep)
    )


def daily_runs_of(app: Flask) -> list[schedule.DailyRun]:
    """The daily runs at the times this application's configuration gives them."""
    return schedule.daily_runs(schedule.moved_times(app.config.get("DAILY_RUN_TIMES") or ""))
