"""Taking a job up: a job whose worker died is run again once, however many messages for it the
queue holds (each worker thread's startup sweep sends one)."""

from datetime import timedelta

from core.db import db, utcnow
from core.jobs import queue, services
from core.jobs.models import Job
from core.jobs.rules import JobState
from tests.factories import make_user


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
