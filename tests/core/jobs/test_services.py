"""Jobs through the suite's immediate queue: stored with the request's transaction, run once,
retried, failed with a reason, swept up when lost, and never finished by a worker that lost its
claim."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db, utcnow
from core.jobs import queue, registry, services
from core.jobs.models import Job
from core.jobs.registry import JobKind
from core.jobs.rules import JobState
from core.office.models import OfficeSetting
from tests.factories import log_in, make_user

# A kind of job for these tests: it stores an office setting (a plain row) from its arguments,
# and raises while the test asks it to.
PROBE = "test_probe"
failures_wanted: dict[int, int] = {}


def _probe(job: Job, work: registry.JobWork) -> str:
    if failures_wanted.get(job.id, 0) >= job.attempts:
        raise RuntimeError("the disk is full")
    work.progress(checked=1, total=1)
    db.session.add(OfficeSetting(key=f"probe-{job.id}", value=work.content().decode()))
    work.progress(stored=1)
    return "Stored one row."


failed_subjects: list[int] = []
registry.register(
    JobKind(
        PROBE,
        label="Test probe",
        run=_probe,
        on_failure=lambda job, _reason: failed_subjects.append(job.id),
    )
)


@pytest.fixture(autouse=True)
def _fresh_probe():
    """Job ids start again in each test's database."""
    failures_wanted.clear()
    failed_subjects.clear()


def _probe_rows() -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(OfficeSetting).where(OfficeSetting.key.like("probe-%"))
    )


def _enqueue(content: bytes = b"hello") -> Job:
    job = services.enqueue(PROBE, content=content, actor=make_user(Role.ANALYST))
    db.session.commit()
    return job


def test_a_job_runs_once_its_transaction_commits_and_its_input_is_then_dropped(app):
    job = _enqueue(b"sealed bytes")
    sealed = job.job_input.sealed_content
    assert b"sealed bytes" not in sealed  # kept encrypted with the field key
    assert _probe_rows() == 0  # stored, not yet sent

    services.send_committed()

    db.session.expire_all()
    assert job.state is JobState.SUCCEEDED
    assert job.outcome == "Stored one row."
    assert (job.rows_checked, job.rows_stored, job.rows_total, job.attempts) == (1, 1, 1, 1)
    assert job.job_input is None
    assert _probe_rows() == 1
    stored = select(OfficeSetting.value).where(OfficeSetting.key == f"probe-{job.id}")
    assert db.session.scalar(stored) == "sealed bytes"


def test_a_job_of_a_rolled_back_transaction_is_never_sent(app):
    services.enqueue(PROBE, content=b"x")
    db.session.rollback()
    services.send_committed()
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_failing_job_is_queued_again_then_failed_with_its_reason(app):
    job = _enqueue()
    failures_wanted[job.id] = 99

    services.send_committed()  # the first attempt; the retry waits ten seconds in the queue
    db.session.expire_all()
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert "the disk is full" in job.failure_reason
    services.run_job(job.id)
    services.run_job(job.id)

    db.session.expire_all()
    assert (job.state, job.attempts) == (JobState.FAILED, 3)
    assert job.failure_reason == "RuntimeError: the disk is full"
    assert job.failure_reference
    assert job.job_input is not None  # kept for a retry
    assert failed_subjects[-1] == job.id
    assert _probe_rows() == 0


def test_an_analyst_retries_a_failed_job_from_its_page(app, client):
    job = _enqueue()
    failures_wanted[job.id] = 3
    for _ in range(3):
        services.run_job(job.id)
    log_in(client, make_user(Role.ANALYST))

    page = client.get(f"/jobs/{job.id}")
    assert "RuntimeError: the disk is full" in page.text
    assert "Try the job again" in page.text
    failures_wanted[job.id] = 0  # the disk has been freed
    retried = client.post(f"/jobs/{job.id}/retry", follow_redirects=True)

    assert "The job is queued again" in retried.text
    db.session.expire_all()
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 1)  # its attempts renewed
    assert _probe_rows() == 1
    again = client.post(f"/jobs/{job.id}/retry", follow_redirects=True)
    assert "This job now stands at “succeeded”, from which it cannot move" in again.text
    retry_events = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.retry")
    )
    assert retry_events == 1


def test_a_viewer_sees_jobs_but_cannot_retry_them(app, client):
    job = _enqueue()
    failures_wanted[job.id] = 3
    for _ in range(3):
        services.run_job(job.id)
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and "Try the job again" not in page.text
    assert client.post(f"/jobs/{job.id}/retry").status_code == 403
    listing = client.get("/jobs/?state=failed")
    assert f"/jobs/{job.id}" in listing.text and "Test probe" in listing.text


def test_the_sweep_sends_a_job_the_queue_never_got_and_one_whose_worker_died(app):
    never_sent = _enqueue()
    died = _enqueue()
    died.state, died.attempts, died.claim = JobState.RUNNING, 1, "a" * 32
    db.session.commit()
    queue.put(f"job:{died.id}:sent", 0)
    # The dead worker's last heartbeat is long past the lease.
    queue.put(f"job:{died.id}:heartbeat", 0)

    resent = services.sweep()

    assert sorted(resent) == sorted([never_sent.id, died.id])
    db.session.expire_all()
    assert never_sent.state is died.state is JobState.SUCCEEDED
    assert died.attempts == 2
    assert _probe_rows() == 2
    assert services.sweep() == []


def test_a_job_whose_worker_is_alive_is_not_taken_by_another(app):
    job = _enqueue()
    job.state, job.attempts, job.claim = JobState.RUNNING, 1, "b" * 32
    db.session.commit()
    queue.put(f"job:{job.id}:heartbeat", time.time())

    services.run_job(job.id)

    db.session.expire_all()
    assert (job.state, job.attempts, job.claim) == (JobState.RUNNING, 1, "b" * 32)
    assert _probe_rows() == 0


def test_a_job_started_more_times_than_allowed_fails_instead_of_running_again(app):
    job = _enqueue()
    job.state, job.attempts, job.claim = JobState.RUNNING, 3, "c" * 32
    db.session.commit()

    services.run_job(job.id)

    db.session.expire_all()
    assert job.state is JobState.FAILED
    assert "stopped 3 times without finishing" in job.failure_reason
    assert _probe_rows() == 0


def test_a_worker_whose_job_was_taken_up_again_stores_nothing(app):
    job = _enqueue()
    first = services._take(job.id)
    first_claim = first.claim
    queue.forget(f"job:{job.id}:heartbeat")  # the first worker has gone silent
    second = services._take(job.id)
    assert second is not None and second.claim != first_claim

    db.session.add(OfficeSetting(key=f"probe-{job.id}", value="from the first worker"))
    services._finish(first, first_claim, "first", services._ProgressKept(job.id))

    assert _probe_rows() == 0
    db.session.expire_all()
    assert job.state is JobState.RUNNING and job.outcome is None


def test_a_job_taken_up_again_is_not_taken_twice_by_a_second_message(app):
    died_at = utcnow() - timedelta(minutes=5)
    job = Job(
        kind="ip_log_attachment",
        state=JobState.RUNNING,
        requested_by_id=make_user().id,
        attempts=1,
        claim="0" * 32,
        started_at=died_at,
    )
    db.session.add(job)
    db.session.commit()
    queue.put(f"job:{job.id}:heartbeat", died_at.timestamp())  # the dead worker's last beat

    first = services._take(job.id)
    second = services._take(job.id)

    assert first is not None and first.attempts == 2
    assert second is None
    db.session.expire_all()
    assert (job.attempts, job.claim) == (2, first.claim)
