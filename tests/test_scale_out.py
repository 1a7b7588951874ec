"""Scale-out as production runs it (README: Running in production): two gunicorn servers and two
job workers on one PostgreSQL database, connected as the application's role. Filings go in
through both servers and a large compiled file through one; the worker importing it is killed
mid-file. Every record comes out whole, no job ran twice, and the audit chain verifies."""

from __future__ import annotations

import http.client
import json
import time

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.jobs import queue
from core.jobs.models import Job
from core.jobs.rules import JobState
from intake import services as intake_services
from intake.examples import payload
from intake.models import Filing, ForeignReseller, ResellerImport
from tests.conftest import TEST_JOB_LEASE_SECONDS, WorkerProcess, make_app
from tests.factories import make_provider, make_user
from tests.intake.resellers.test_import import csv_file, reseller
from tests.test_gunicorn import gunicorn

pytestmark = pytest.mark.large


def _call(port: int, method: str, path: str, token: str, body: bytes, content_type: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": content_type,
            "Idempotency-Key": f"key-{time.monotonic_ns()}",
        })  # fmt: skip
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _resellers_of(provider) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(ForeignReseller)
        .where(ForeignReseller.provider_id == provider.id)
    )


def _wait_for(condition, what: str, seconds: float = 240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"still waiting for {what} after {seconds} s")


def test_two_servers_and_two_workers_on_one_database_survive_a_killed_worker(
    production_database, tmp_path
):
    url = production_database.application_url
    app = make_app(url, JOB_QUEUE="postgresql", JOB_LEASE_SECONDS=TEST_JOB_LEASE_SECONDS)
    with app.app_context():
        first, second = make_provider(), make_provider()
        admin = make_user(Role.ADMIN)
        _, first_token = intake_services.issue_token(first, label="first", actor=admin)
        _, second_token = intake_services.issue_token(second, label="second", actor=admin)
        db.session.commit()
        workers = [WorkerProcess(url, tmp_path / f"worker-{n}.log").start() for n in (1, 2)]
        try:
            with gunicorn(url) as port_a, gunicorn(url) as port_b:
                filing = json.dumps(
                    {"kind": "cip_certification", "payload": payload("cip_certification")}
                ).encode()
                answers = [
                    _call(port, "POST", "/api/v1/filings", token, filing, "application/json")
                    for port, token in [(port_a, first_token), (port_b, second_token)] * 3
                ]
                assert [status for status, _, _ in answers] == [201] * 6
                resellers_before = _resellers_of(first)  # those the certifications listed
                rows = [reseller(reseller_name=f"Reseller {n:05d} Cloud Ltd",
                                 contact_email=f"c{n}@reseller{n}.example")
                        for n in range(40_000)]  # fmt: skip
                big = _call(port_a, "POST", "/api/v1/reseller-certifications", first_token,
                            csv_file(rows), "text/csv")  # fmt: skip
                small = _call(port_b, "POST", "/api/v1/reseller-certifications", second_token,
                              csv_file([reseller()]), "text/csv")  # fmt: skip
                assert (big[0], small[0]) == (202, 202)
                big_import = json.loads(big[2])["import_id"]

                big_job = _wait_for(
                    lambda: db.session.scalars(
                        select(Job).where(Job.subject_id == big_import,
                                          Job.state == JobState.RUNNING)
                    ).first(),
                    "a worker to take the large file",
                )  # fmt: skip
                _wait_for(
                    lambda: (queue.peek(f"job:{big_job.id}:progress") or {}).get("checked"),
                    "rows checked",
                )
                pid = int(big_job.worker.split(":")[1])
                [holder] = [w for w in workers if w.process.pid == pid]
                holder.kill()
                assert _resellers_of(first) == resellers_before
                time.sleep(TEST_JOB_LEASE_SECONDS + 0.5)
                holder.start()  # as the service manager restarts it

                _wait_for(
                    lambda: (
                        {r.status for r in db.session.scalars(select(ResellerImport))}
                        == {"imported"}
                    ),
                    "both imports",
                )
                status, _, body = _call(port_b, "GET",
                                        f"/api/v1/reseller-certifications/{big_import}",
                                        first_token, b"", "application/json")  # fmt: skip
                assert status == 200 and json.loads(body)["status"] == "imported"
        finally:
            for worker in workers:
                worker.stop()

        db.session.expire_all()
        jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
        assert {job.state for job in jobs} == {JobState.SUCCEEDED}
        assert {job.id: job.attempts for job in jobs} == {
            job.id: 2 if job.id == big_job.id else 1 for job in jobs
        }
        succeeded = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.succeed")
        )
        assert succeeded == len(jobs)  # no job's work was stored twice
        assert _resellers_of(first) == resellers_before + 40_000
        receipts = db.session.scalars(select(Filing.receipt_number)).all()
        assert len(receipts) == len(set(receipts)) == 8
        verified = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert verified.exit_code == 0, verified.output
        db.session.remove()
        db.engine.dispose()
