"""The job worker as production runs it: a separate ``flask jobs worker`` process reading the
queue beside the database. A worker killed mid-job leaves nothing half-stored, and the job runs
again from the start on the next worker; two workers never run one job twice."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.jobs import queue, services
from core.jobs.models import Job
from core.jobs.rules import JobState
from intake.models import Filing, ForeignReseller, ResellerImport
from intake.resellers import rules as reseller_rules
from intake.resellers import services as reseller_services
from tests.conftest import TEST_JOB_LEASE_SECONDS, WorkerProcess
from tests.factories import make_provider, make_user
from tests.intake.resellers.test_import import csv_file, reseller


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _wait_for(condition, what: str, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"still waiting for {what} after {seconds} s")


def _import(provider, rows) -> ResellerImport:
    record = reseller_services.start_reseller_import(
        provider, filename="resellers.csv", content=csv_file(rows), actor=make_user(Role.ANALYST)
    )
    db.session.commit()
    return record


@pytest.mark.large
def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_one_imports_the_file(
    queued_app, job_worker: WorkerProcess
):
    provider = make_provider()
    rows = [
        reseller(reseller_name=f"Reseller {number:05d} Cloud Ltd",
                 contact_email=f"compliance{number}@reseller{number}.example")
        for number in range(50_000)
    ]  # fmt: skip
    record = _import(provider, rows)
    reseller_services.jobs.send_committed()
    job = reseller_services.import_job_of(record)

    def checking():
        progress = queue.peek(f"job:{job.id}:progress") or {}
        return (progress.get("checked") or 0) > 1_000

    _wait_for(checking, "the worker to check rows")
    job_worker.kill()

    assert _count(ForeignReseller) == 0
    assert _count(Filing) == 0
    db.session.refresh(job)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)
    time.sleep(TEST_JOB_LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
    job_worker.start()

    _wait_for(lambda: db.session.get(Job, job.id).state is JobState.SUCCEEDED, "the import")
    db.session.refresh(job)
    db.session.refresh(record)
    assert job.attempts == 2
    assert record.status == "imported"
    assert _count(ForeignReseller) == 50_000
    assert _count(Filing) == 1


def test_two_workers_share_the_queue_and_run_each_job_once(queued_app, tmp_path):
    url = queued_app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        WorkerProcess(url, tmp_path / f"worker-{n}.log", "worker", "--threads", "1").start()
        for n in (1, 2)
    ]
    try:
        for worker in workers:
            worker.wait_until_started()
        # Files of a few thousand rows: each takes a worker long enough that the other takes
        # the next one.
        rows = [reseller(reseller_name=f"Reseller {n:04d} Ltd") for n in range(3_000)]
        records = [_import(make_provider(), rows) for _ in range(8)]
        reseller_services.jobs.send_committed()
        _wait_for(
            lambda: (
                _count(Filing) == len(records)
                and all(db.session.get(ResellerImport, r.id).status == "imported" for r in records)
            ),
            "every import",
        )
    finally:
        for worker in workers:
            worker.stop()

    jobs = db.session.scalars(select(Job)).all()
    assert len(jobs) == 8
    assert {job.state for job in jobs} == {JobState.SUCCEEDED}
    assert {job.attempts for job in jobs} == {1}
    succeeded = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.succeed")
    )
    assert succeeded == 8
    assert len({job.worker.split(":")[1] for job in jobs}) == 2, "both workers took jobs"


@pytest.mark.large
def test_a_job_outlasting_its_lease_is_said_alive_by_its_worker_so_the_sweep_leaves_it(
    queued_app, job_worker: WorkerProcess
):
    # Each row's own address, so that each is checked (a file checks each distinct cell once):
    # the most a file may hold then takes several leases to import.
    rows = [
        reseller(
            reseller_name=f"Reseller {n:05d} Cloud Ltd", contact_email=f"ops{n}@reseller{n}.example"
        )
        for n in range(reseller_rules.MAX_RESELLER_ROWS)
    ]
    record = _import(make_provider(), rows)
    reseller_services.jobs.send_committed()
    job = reseller_services.import_job_of(record)
    _wait_for(lambda: queue.peek(f"job:{job.id}:heartbeat"), "the worker to take the job")
    first = queue.peek(f"job:{job.id}:heartbeat")

    time.sleep(TEST_JOB_LEASE_SECONDS + 1)
    latest = queue.peek(f"job:{job.id}:heartbeat")
    resent = services.sweep()

    db.session.refresh(job)
    assert job.state is JobState.RUNNING, "the file must outlast the lease for this to show"
    assert latest - first >= 1  # said again while running, not only when it was taken
    assert resent == []
    _wait_for(lambda: db.session.get(Job, job.id).state is JobState.SUCCEEDED, "the import")
    db.session.refresh(job)
    assert job.attempts == 1
