"""The screening that follows a measure's issuance or extension runs in the job worker (§7.307;
docs/architecture.md §5): the step answers without it, the measure's page says how the job
stands and lists its hits once it ends, and the job's work done twice stores nothing twice."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.jobs import queue
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobWork
from core.jobs.rules import JobState
from core.jobs.services import send_committed
from intake.models import ForeignReseller
from special_measures import screening, services
from special_measures.models import ScreeningHit, ScreeningRun
from tests.conftest import WorkerProcess
from tests.factories import (
    extend_measure,
    log_in,
    make_measure,
    make_provider,
    make_user,
    revoke_measure,
)


def _registry() -> dict[str, object]:
    """Two providers with active foreign resellers, one of them in Russia and one named like the
    person under a measure; a third whose only reseller relationship has ended."""
    meridian, kestrel, ended = (make_provider() for _ in range(3))
    for provider, name, code, status in (
        (meridian, "Neva Cloud OOO", "RU", "active"),
        (meridian, "Rheinland Cloud GmbH", "DE", "active"),
        (kestrel, "Volga Host GmbH", "DE", "active"),
        (kestrel, "Kestrel Cloud Pte Ltd", "SG", "active"),
        (ended, "Ural Compute AO", "RU", "ended"),
    ):
        db.session.add(
            ForeignReseller(provider_id=provider.id, name=name, jurisdiction=code, status=status)
        )
    db.session.commit()
    return {"meridian": meridian, "kestrel": kestrel, "ended": ended}


def _counts() -> tuple[int, int, int]:
    """Screening runs, hits, and their audit events, as stored."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(ScreeningRun)),
        db.session.scalar(select(func.count()).select_from(ScreeningHit)),
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "screening.run")
        ),
    )


def _screening_jobs() -> list[Job]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Job).where(Job.kind == screening.RESCREEN_JOB).order_by(Job.id))
    )


def _standing_hits() -> dict[int, list[int]]:
    """Each screened provider's open hits, as its page lists them."""
    providers = set(db.session.scalars(select(ScreeningRun.provider_id)))
    return {
        provider_id: [
            hit.id for hit in screening.open_hits_for_provider(provider_id, office_today())
        ]
        for provider_id in providers
    }


def _wait_for(job_id: int, worker: WorkerProcess, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job.state in (JobState.SUCCEEDED, JobState.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not done in {seconds} s:\n{worker.log()}")


def test_issuing_answers_before_screening_and_the_worker_then_finds_the_hits(queued_app, tmp_path):
    registry = _registry()
    case = make_measure(stop_at="approved")  # RU, (b)(1)
    client = queued_app.test_client()
    log_in(client, make_user(Role.ANALYST))

    issued = client.post(
        f"/special-measures/cases/{case.id}/issue",
        data={"issued_on": office_today().isoformat()},
        follow_redirects=True,
    )

    assert "The job worker now screens every foreign reseller against it" in issued.text
    (job,) = _screening_jobs()
    assert (job.state, job.subject_type, job.subject_id) == (
        JobState.QUEUED, services.CASE, case.id,
    )  # fmt: skip
    assert job.arguments == {
        "relevant_on": office_today().isoformat(), "reason": f"{case.reference} issued",
    }  # fmt: skip
    assert _counts() == (0, 0, 0)  # nothing was screened in the request
    assert 'Queued: <a href="/jobs/' in issued.text
    assert f'href="/jobs/{job.id}">job {job.id}</a> waits for the job worker' in issued.text

    worker = WorkerProcess(
        queued_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "worker.log"
    ).start()
    try:
        job = _wait_for(job.id, worker)
    finally:
        worker.stop()

    assert job.state is JobState.SUCCEEDED, job.failure_reason
    runs = {run.provider_id: run for run in db.session.scalars(select(ScreeningRun))}
    assert set(runs) == {registry["meridian"].id, registry["kestrel"].id}
    assert {run.job_id for run in runs.values()} == {job.id}
    assert [h.party_name for h in runs[registry["meridian"].id].hits] == ["Neva Cloud OOO"]
    assert runs[registry["kestrel"].id].hits == []
    assert job.outcome == (
        f"Screened 4 active foreign resellers of 2 providers against the 1 measure in force on "
        f"{office_today().isoformat()}: 1 hit, 1 on {case.reference}."
    )
    page = client.get(f"/special-measures/cases/{case.id}").text
    assert job.outcome in page
    assert f'data-testid="screening-hits-{job.id}"' in page
    assert "Neva Cloud OOO (RU)" in page and registry["meridian"].legal_name in page
    assert "waits for the job worker" not in page


def test_the_measure_page_says_the_screening_is_running_or_failed_with_a_link_to_its_job(client):
    case = make_measure(stop_at="approved")
    services.issue_determination(
        case, issued_on=office_today(), actor=case.drafted_by, today=office_today()
    )
    db.session.commit()  # not sent: the job waits as if no worker had taken it yet
    (job,) = _screening_jobs()
    log_in(client, make_user(Role.VIEWER))
    url = f"/special-measures/cases/{case.id}"

    queued = client.get(url).text
    assert f"Against the measures in force on {office_today().isoformat()}" in queued
    assert f'Queued: <a href="/jobs/{job.id}">job {job.id}</a> waits for the job worker' in queued

    job.state = JobState.RUNNING
    db.session.commit()
    queue.put(f"job:{job.id}:progress", {"checked": 12_000, "stored": None, "total": 50_000})
    running = client.get(url).text
    assert (
        f'Running: <a href="/jobs/{job.id}">job {job.id}</a> has screened 12,000 of 50,000 '
        "foreign resellers. The hits appear here when it ends."
    ) in running

    job.state, job.failure_reason = JobState.FAILED, "OperationalError: the database went away"
    db.session.commit()
    failed = client.get(url).text
    assert "Failed: OperationalError: the database went away. Nothing of it was stored;" in failed
    assert f'<a href="/jobs/{job.id}">job {job.id}</a> can be tried again' in failed
    job_page = client.get(f"/jobs/{job.id}").text
    assert f'href="/special-measures/cases/{case.id}"' in job_page


def test_the_screening_job_done_twice_stores_no_run_or_hit_twice(app):
    _registry()
    make_measure(kind="person")  # Volga Hosting Group LLC, alias "Volga Host"
    case = make_measure(stop_at="approved")  # RU
    services.issue_determination(
        case, issued_on=office_today(), actor=case.drafted_by, today=office_today()
    )
    db.session.commit()
    job = _screening_jobs()[-1]
    before = _counts()

    jobs.run_job(job.id)
    db.session.refresh(job)
    assert job.state is JobState.SUCCEEDED
    once = _counts()
    assert once == (before[0] + 2, before[1] + 2, before[2] + 2)  # Neva on RU, Volga on the person
    standing = _standing_hits()
    # As a worker that took the job up again after another had stored its work would do it.
    outcome = screening.run_rescreen(job, JobWork(content=lambda: b"", progress=lambda **_: None))
    db.session.commit()

    assert _counts() == once
    assert outcome == job.outcome
    assert _standing_hits() == standing
    # And the database itself keeps one run per provider and job.
    kept = db.session.scalars(select(ScreeningRun).where(ScreeningRun.job_id == job.id)).first()
    db.session.add(
        ScreeningRun(
            provider_id=kept.provider_id, subject_type="provider", subject_id=kept.subject_id,
            relevant_on=kept.relevant_on, method=kept.method, threshold=kept.threshold,
            measures_json=kept.measures_json, parties_screened=0, job_id=job.id,
        )
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_extension_queues_a_screening_as_of_the_day_of_its_publication(client):
    registry = _registry()
    measure = make_measure(office_today() - timedelta(days=300))  # RU
    published_on = office_today() - timedelta(days=2)

    extend_measure(
        measure, new_last_day=measure.last_day_on + timedelta(days=365),
        published_on=published_on, today=office_today(),
    )  # fmt: skip

    issued, extended = _screening_jobs()
    assert extended.arguments == {
        "relevant_on": published_on.isoformat(), "reason": f"{measure.reference} extended",
    }  # fmt: skip
    assert extended.state is JobState.SUCCEEDED
    (run,) = db.session.scalars(
        select(ScreeningRun).where(
            ScreeningRun.job_id == extended.id,
            ScreeningRun.provider_id == registry["meridian"].id,
        )
    )
    assert run.relevant_on == published_on and [h.party_name for h in run.hits] == [
        "Neva Cloud OOO"
    ]
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/special-measures/cases/{measure.id}").text
    assert page.index(f'data-testid="screening-{extended.id}"') < page.index(
        f'data-testid="screening-{issued.id}"'
    )


def test_a_revocation_queues_no_screening_and_the_measures_hits_stop_counting_at_once(app):
    registry = _registry()
    measure = make_measure(office_today() - timedelta(days=10))  # RU
    assert len(screening.open_hits_for_provider(registry["meridian"].id, office_today())) == 1

    # Recorded on or after the day it takes effect (§7.307(a)(5)): the measure is no longer in
    # force, and a hit counts only against a measure in force.
    revoke_measure(measure, effective_on=office_today())

    assert len(_screening_jobs()) == 1  # the issuance's
    assert screening.open_hits_for_provider(registry["meridian"].id, office_today()) == []


@pytest.mark.large
def test_fifty_thousand_resellers_are_screened_in_one_attempt_though_it_outlasts_the_lease(
    queued_app, tmp_path
):
    # A lease of one second, for the worker and for the sweep: the job outlasts it many times.
    queued_app.config["JOB_LEASE_SECONDS"] = 1
    person = make_measure(kind="person")  # names to compare with every reseller's
    jobs.run_job(_screening_jobs()[0].id)  # its own screening, while there is nobody to screen
    providers = [make_provider() for _ in range(50)]
    db.session.execute(
        insert(ForeignReseller),
        [
            {
                "provider_id": providers[number // 1000].id,
                "name": f"Reseller {number:05d} Cloud Ltd",
                "jurisdiction": ("DE", "JP", "BR", "IN", "SG", "RU")[number % 6],
                "status": "active",
            }
            for number in range(50_000)
        ],
    )
    db.session.commit()
    case = make_measure(stop_at="approved")  # RU
    client = queued_app.test_client()
    log_in(client, make_user(Role.ANALYST))
    url = f"/special-measures/cases/{case.id}"
    worker = WorkerProcess(queued_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "worker.log")
    worker.start(JOB_LEASE_SECONDS="1").wait_until_started()
    try:
        answer = client.post(f"{url}/issue", data={"issued_on": office_today().isoformat()})

        assert answer.status_code == 302
        job = _screening_jobs()[-1]
        assert job.subject_id == case.id and _counts()[:2] == (0, 0)
        # Running longer than its lease: its heartbeat keeps the sweep from sending it again.
        deadline = time.monotonic() + 60
        while (job := db.session.get(Job, job.id)).state is not JobState.RUNNING:
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.1)
            db.session.expire_all()
        assert "Running: <a" in client.get(url).text
        time.sleep(2)
        db.session.expire_all()
        assert db.session.get(Job, job.id).state is JobState.RUNNING, "too fast to outlast it"
        assert jobs.sweep() == []
        send_committed()

        job = _wait_for(job.id, worker, seconds=180)
    finally:
        worker.stop()

    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 1), job.failure_reason
    assert job.outcome.startswith(
        "Screened 50,000 active foreign resellers of 50 providers against the 2 measures"
    )
    assert job.outcome.endswith(f"8,333 hits, 8,333 on {case.reference}.")  # one in six in Russia
    assert person.reference not in job.outcome
    page = client.get(url).text
    assert job.outcome in page
    assert "The first 100 of 8,333 hits; each provider's page lists its own." in page
