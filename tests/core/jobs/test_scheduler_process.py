"""A real `flask jobs scheduler` process, as production runs it: at a daily run's time of office
day it stores that day's run and runs it. Huey looks at its periodic tasks when it starts and
then once a minute, so the run is moved (DAILY_RUN_TIMES) to a minute the process sees soon."""

from __future__ import annotations

import time as timer
from datetime import datetime

from sqlalchemy import select

from core.clocks import OFFICE_TIME_ZONE, office_today
from core.db import db
from core.jobs.models import Job
from core.jobs.rules import FINISHED, JobState
from tests.conftest import WorkerProcess

# The process makes its first periodic check a few seconds after it starts, and the next a minute
# later: started this late in a minute, that first check may fall in the next one, so the test
# waits for the next minute to begin.
LATEST_START_IN_THE_MINUTE = 40
WAIT_SECONDS = 60


def _finished_sweep() -> Job | None:
    db.session.rollback()  # see what the process committed since
    return db.session.scalars(
        select(Job).where(Job.kind == "deadline_sweep", Job.state.in_(FINISHED))
    ).first()


def test_the_scheduler_stores_and_runs_a_daily_run_at_its_office_time(queued_app, tmp_path):
    now = datetime.now(OFFICE_TIME_ZONE)
    if now.second >= LATEST_START_IN_THE_MINUTE:
        timer.sleep(60.5 - now.second - now.microsecond / 1e6)
    at = datetime.now(OFFICE_TIME_ZONE)
    scheduler = WorkerProcess(
        queued_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "scheduler.log", "scheduler"
    ).start(DAILY_RUN_TIMES=f"deadline_sweep={at:%H:%M}")
    try:
        deadline = timer.monotonic() + WAIT_SECONDS
        while (job := _finished_sweep()) is None and timer.monotonic() < deadline:
            assert scheduler.process.poll() is None, scheduler.log()
            timer.sleep(0.5)
    finally:
        scheduler.stop()

    assert job is not None, scheduler.log()
    assert job.state is JobState.SUCCEEDED, job.failure_reason
    assert job.run_key == f"deadline_sweep@{office_today(job.created_at).isoformat()}"
    assert job.requested_by_label == "scheduler"
    assert job.outcome.startswith(f"On {office_today(job.created_at).isoformat()}, ")
    assert f"daily run deadline_sweep at {at:%H:%M} America/New_York" in scheduler.log()
