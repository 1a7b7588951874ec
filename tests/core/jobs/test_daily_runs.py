"""The daily runs as the scheduler asks for them: each kind stored once an office day however
often it is asked, run through the queue, and listed on the jobs page by kind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.services import RISK_SNAPSHOT
from core.audit.checks import DAILY_CHECK
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines.services import DAILY_SWEEP
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.jobs.services import enqueue_daily
from special_measures.lapse import DAILY_LAPSE
from tests.factories import log_in, make_user, run_daily

TODAY = office_today().isoformat()
# Each run on an empty office, and how its outcome begins.
DAILY_RUNS = {
    "risk snapshot": (RISK_SNAPSHOT, f"Risk scores kept for 0 providers on {TODAY} (§7.305(d))."),
    "audit check": (DAILY_CHECK, "Audit chain verified: "),
    "lapse of measures": (DAILY_LAPSE, f"No measure lapsed on {TODAY} (§7.307(a)(5))."),
    "deadline sweep": (DAILY_SWEEP, f"On {TODAY}, no open deadline falls due within 7 days"),
}


@pytest.mark.parametrize(("run", "outcome"), DAILY_RUNS.values(), ids=DAILY_RUNS.keys())
def test_each_daily_run_is_stored_once_an_office_day_and_says_what_it_did(app, run, outcome):
    job = run_daily(run)
    enqueue_daily(run)  # a second scheduler, or the same one asking again the same day

    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == run.kind)) == 1
    assert job.state is JobState.SUCCEEDED
    assert job.outcome.startswith(outcome)
    assert job.run_key == f"{run.kind}@{TODAY}"
    assert (job.requested_by_label, job.attempts) == ("scheduler", 1)


def test_the_jobs_list_shows_the_daily_runs_of_one_kind_or_all(client):
    snapshot, sweep = run_daily(RISK_SNAPSHOT), run_daily(DAILY_SWEEP)
    log_in(client, make_user(Role.VIEWER))

    one_kind = client.get("/jobs/", query_string={"kind": "risk_snapshot"})
    assert one_kind.status_code == 200
    assert "Daily risk snapshot (§7.305(d))" in one_kind.text
    assert snapshot.outcome in one_kind.text
    assert f"Job {sweep.id}<" not in one_kind.text
    assert "1–1 of 1 job<" in one_kind.text

    every_daily = client.get("/jobs/", query_string={"kind": "daily", "state": "succeeded"})
    assert f"Job {snapshot.id}<" in every_daily.text and f"Job {sweep.id}<" in every_daily.text
    assert sweep.outcome in every_daily.text

    none_failed = client.get("/jobs/", query_string={"kind": "daily", "state": "failed"})
    assert "No jobs of this kind or state." in none_failed.text

    job_page = client.get(f"/jobs/{sweep.id}")
    assert f"of {TODAY}" in job_page.text
    assert "/jobs/?kind=deadline_sweep" in job_page.text


def test_a_kind_the_list_does_not_know_is_named_beside_its_field(client):
    run_daily(RISK_SNAPSHOT)
    log_in(client, make_user(Role.ANALYST))
    page = client.get("/jobs/", query_string={"kind": "nightly_backup"})
    assert page.status_code == 200
    assert "Not a valid choice" in page.text
    assert "1–1 of 1 job<" in page.text  # unfiltered
