"""IP access logs (§7.308(d)(1)(i)(F)) received by the request and checked and stored by the job
worker: every row or none, each provider's own logs only, and a worker that dies mid-log leaves
nothing that the next one does not store whole."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.jobs import queue
from core.jobs import services as jobs
from core.jobs.models import Job, JobInput
from core.jobs.rules import JobState
from intake import services
from intake.ai import ip_logs
from intake.models import Document, IpAccess, IpLogAttachment
from tests.conftest import TEST_JOB_LEASE_SECONDS
from tests.factories import (
    file_report,
    log_in,
    make_filing,
    make_provider,
    make_running_ip_log,
    make_user,
)

HEADER = "ip_address,accessed_at,action\n"


def gateway_access(n: int) -> str:
    """The ``n``th access a VPN gateway logs: a few thousand IPv6 addresses and every tenth
    access from an IPv4 range, a month of times with the gateway's offset, one in twenty an
    administrative action."""
    address = (
        f"203.0.113.{n % 254 + 1}" if n % 10 == 0 else f"2001:db8:{n % 4093:x}::{n % 89 + 1:x}"
    )
    at = f"2027-01-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:{n * 7 % 60:02d}+08:00"
    return f"{address},{at},{'administration' if n % 20 == 0 else 'access'}"


def gateway_log(rows: int, *, bad: dict[int, str] | None = None) -> bytes:
    """A log of ``rows`` accesses; ``bad`` puts other lines in place of some (0 is the first
    data row)."""
    bad = bad or {}
    lines = [bad.get(n) or gateway_access(n) for n in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def bearer(provider, label="compliance system") -> dict[str, str]:
    _, token = services.issue_token(provider, label=label, actor=make_user(Role.ADMIN))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def reporting_provider():
    """A provider's system with its token, and a training report of the provider's without IP
    accesses yet."""
    provider = make_provider()
    headers = bearer(provider)
    return headers, file_report(provider, ip_accesses=[])


def send_log(client, report, body: bytes, headers: dict[str, str]):
    return client.post(
        f"/api/v1/filings/{report.receipt_number}/ip-log",
        data=body,
        headers=headers,
        content_type="text/csv",
    )


def job_of(ip_log_id: int) -> Job:
    db.session.expire_all()
    return db.session.scalars(
        select(Job).where(Job.subject_type == "ip_log_attachment", Job.subject_id == ip_log_id)
    ).one()


def wait_for(condition, *, seconds: float, what: str, every: float = 0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(every)
    raise AssertionError(f"not {what} after {seconds} s")


def finished(client, answer, headers, *, seconds: float = 60):
    """The log's status once its job has ended, asked as the answer says: where, and how often."""
    every = int(answer.headers["Retry-After"]) / 4
    return wait_for(
        lambda: (
            (status := client.get(answer.headers["Location"], headers=headers))
            and "Retry-After" not in status.headers
            and status
        ),
        seconds=seconds,
        what="finished",
        every=every,
    )


def test_an_uploaded_log_keeps_its_name_only_in_safe_characters(client):
    _, report = reporting_provider()
    log_in(client, make_user(Role.ANALYST))

    answer = client.post(
        f"/intake/filings/{report.receipt_number}/ip-log",
        data={"ip_log": (io.BytesIO(gateway_log(2)), "gateway\x00 log.csv")},
    )

    assert answer.status_code == 302
    [attachment] = db.session.scalars(select(IpLogAttachment)).all()
    assert attachment.filename == "gateway_log.csv"
    assert count(IpAccess) == 2  # the suite's queue ran the job as the request ended


def test_a_log_refused_on_receipt_stores_nothing_and_starts_no_job(client):
    provider = make_provider()
    headers = bearer(provider)
    report = file_report(provider, ip_accesses=[])
    log_in(client, make_user(Role.ANALYST))
    page = f"/intake/filings/{report.receipt_number}/ip-log"

    empty = client.post(page, data={"ip_log": (io.BytesIO(b" \n"), "empty.csv")})
    latin = client.post(
        page, data={"ip_log": (io.BytesIO(HEADER.encode() + "é".encode("latin-1")), "x.csv")}
    )
    certification = make_filing(provider)
    not_a_report = send_log(client, certification, gateway_log(3), headers)

    assert (empty.status_code, latin.status_code) == (422, 422)
    assert "The file is empty." in empty.text and 'id="ip_log-error"' in empty.text
    assert "Save the log as CSV in UTF-8." in latin.text
    assert not_a_report.status_code == 422
    assert not_a_report.json["type"].endswith("/api/v1/problems/invalid-submission")
    assert "attached to a training report" in not_a_report.json["detail"]
    assert (count(IpLogAttachment), count(Job), count(JobInput)) == (0, 0, 0)


def test_a_rejected_log_stores_nothing_but_its_problems(client):
    headers, report = reporting_provider()
    body = gateway_log(2_000, bad={10: "203.0.113.7,2027-02-30T10:00:00Z,access"})

    answer = send_log(client, report, body, headers)
    status = client.get(answer.headers["Location"], headers=headers)

    assert answer.status_code == 202
    assert status.json["status"] == "rejected"
    assert (status.json["rows_checked"], status.json["rows_stored"]) == (2_000, 0)
    (error,) = status.json["errors"]
    assert (error["row"], error["field"], error["value"]) == (
        12,
        "accessed_at",
        "2027-02-30T10:00:00Z",
    )
    assert error["citation"] == "§7.308(d)(1)(i)(F)"
    assert (count(IpAccess), count(Document)) == (0, 0)
    job = job_of(status.json["ip_log_id"])
    assert job.state is JobState.SUCCEEDED  # the job did its work: the log is what was wrong
    assert job.job_input is None  # the sealed copy is not kept once the log is judged
    rejected = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "filing.ip_log_reject")
    ).one()
    assert rejected.actor_label == "api token compliance system"

    many = gateway_log(
        1_500, bad={n: f"203.0.113.{n % 254 + 1},not a time,access" for n in range(1_005)}
    )
    log_in(client, make_user(Role.VIEWER))
    page = client.get(
        f"/intake/ip-logs/{send_log(client, report, many, headers).json['ip_log_id']}"
    )
    assert "Nothing was attached: 1,005 problems in 1,500 rows" in page.text
    assert "The first 1,000 are listed." in page.text
    assert "Upload a corrected log" not in page.text  # a viewer attaches nothing
    assert count(IpAccess) == 0


def test_each_provider_follows_only_its_own_logs(client):
    provider, other = make_provider(), make_provider()
    own, stranger = bearer(provider), bearer(other, label="other system")
    report = file_report(provider, ip_accesses=[])
    answer = send_log(client, report, gateway_log(5), own)
    status_url = answer.headers["Location"]

    hidden = client.get(status_url, headers=stranger)
    unknown = client.get("/api/v1/ip-logs/999999", headers=own)
    into_theirs = send_log(client, report, gateway_log(5), stranger)

    assert client.get(status_url, headers=own).json["status"] == "attached"
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.mimetype == "application/problem+json"
    assert hidden.json["detail"] == unknown.json["detail"] == "No IP log of yours has that number."
    assert into_theirs.status_code == 404
    assert count(IpLogAttachment) == 1
    assert count(IpAccess) == 5


def test_a_log_being_checked_shows_how_far_its_job_has_got_and_stores_nothing(client):
    headers, report = reporting_provider()
    analyst = make_user(Role.ANALYST)
    running = make_running_ip_log(report, analyst)
    job = job_of(running.id)
    queue.put(f"job:{job.id}:progress", {"checked": 120_000, "stored": None, "total": 480_000})
    log_in(client, analyst)

    page = client.get(f"/intake/ip-logs/{running.id}")
    status = client.get(f"/api/v1/ip-logs/{running.id}", headers=headers)
    report_page = client.get(f"/intake/filings/{report.receipt_number}").text

    assert page.headers["Refresh"] == "2"
    assert 'data-testid="ip-log-status">checking<' in page.text
    assert "120,000 of 480,000 rows checked." in page.text
    assert f'href="/jobs/{job.id}"' in page.text
    assert status.json["status"] == "checking"
    assert (status.json["rows_checked"], status.json["rows_total"]) == (120_000, 480_000)
    assert status.headers["Retry-After"] == "2"
    assert "being checked (120,000 of 480,000 rows checked)" in report_page
    job_page = client.get(f"/jobs/{job.id}").text
    assert "IP access log attachment (§7.308(d)(1)(i)(F))" in job_page
    assert f'href="/intake/ip-logs/{running.id}"' in job_page
    db.session.refresh(running)
    assert running.status == "queued"  # what the job has done so far is not stored
    assert client.get(f"/intake/ip-logs/{running.id}?refresh=off").headers.get("Refresh") is None


def test_a_log_whose_job_cannot_run_is_failed_with_the_reason_and_offers_a_retry(client):
    provider = make_provider()
    report = file_report(provider, ip_accesses=[])
    analyst = make_user(Role.ANALYST)
    attachment = ip_logs.attach_ip_log(
        report, filename="gateway.csv", content=gateway_log(10), actor=analyst
    )
    db.session.commit()
    # The sealed log lost before a worker takes the job up: trying again cannot bring it back.
    db.session.execute(JobInput.__table__.delete())
    db.session.commit()
    jobs.send_committed()
    log_in(client, analyst)

    page = client.get(f"/intake/ip-logs/{attachment.id}")

    db.session.refresh(attachment)
    assert attachment.status == "failed"
    assert "The log could not be checked" in page.text
    assert "the job has no input file" in page.text
    assert "Check the log again" in page.text
    assert "Refresh" not in page.headers
    assert count(IpAccess) == 0


def test_a_worker_killed_mid_log_leaves_nothing_and_the_next_stores_every_row_once(
    queued_app, job_worker
):
    client = queued_app.test_client()
    headers, report = reporting_provider()
    rows = 250_000

    answer = send_log(client, report, gateway_log(rows), headers)
    assert answer.status_code == 202
    ip_log_id = answer.json["ip_log_id"]

    def rows_checked() -> int:
        job = job_of(ip_log_id)
        return job.state is JobState.RUNNING and (jobs.live_progress(job)["checked"] or 0)

    wait_for(rows_checked, seconds=60, what="checking rows")
    job_worker.kill()

    assert job_of(ip_log_id).state is JobState.RUNNING  # killed before it could finish
    assert (count(IpAccess), count(Document)) == (0, 0)
    assert db.session.get(IpLogAttachment, ip_log_id).status == "queued"
    time.sleep(TEST_JOB_LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
    job_worker.start()

    wait_for(
        lambda: job_of(ip_log_id).state in (JobState.SUCCEEDED, JobState.FAILED),
        seconds=120,
        what="finished",
    )
    job = job_of(ip_log_id)
    assert job.state is JobState.SUCCEEDED, job_worker.log()
    assert job.attempts == 2, job_worker.log()
    assert count(IpAccess, IpAccess.attachment_id == ip_log_id) == rows
    assert count(IpAccess) == rows
    assert count(Document) == 1
    status = client.get(answer.headers["Location"], headers=headers).json
    assert (status["status"], status["rows_stored"]) == ("attached", rows)


@pytest.mark.large
def test_a_million_row_log_by_api_is_answered_before_any_row_is_checked_and_stored_by_the_worker(
    queued_app, job_worker
):
    client = queued_app.test_client()
    headers, report = reporting_provider()
    body = gateway_log(1_000_000)
    assert len(body) > 45_000_000
    # A first small log, once the worker has started (which takes a core for a few seconds).
    first = send_log(client, report, gateway_log(10), headers)
    assert finished(client, first, headers).json["status"] == "attached", job_worker.log()

    answer = send_log(client, report, body, headers)

    # The request only kept the log: no row of it is stored yet. How long the answer takes,
    # beside a hello-world floor, is measured by benchmarks/ip_search.py, not here.
    assert answer.status_code == 202
    assert answer.json["status"] in ("queued", "checking")
    assert count(IpAccess) == 10
    done = finished(client, answer, headers, seconds=170)
    assert done.json["status"] == "attached", job_worker.log()
    assert done.json["rows_stored"] == 1_000_000
    assert count(IpAccess) == 1_000_010
    assert job_of(done.json["ip_log_id"]).rows_stored == 1_000_000


def test_a_bad_row_late_in_a_big_log_stores_nothing_and_is_reported_by_its_row(client):
    headers, report = reporting_provider()
    body = gateway_log(40_000, bad={29_998: "203.0.113.7:443,2027-01-05T10:00:00Z,access"})

    status = client.get(
        send_log(client, report, body, headers).headers["Location"], headers=headers
    )

    assert status.json["status"] == "rejected"
    assert (status.json["rows_checked"], status.json["rows_stored"]) == (40_000, 0)
    (error,) = status.json["errors"]
    assert (error["row"], error["field"], error["value"]) == (
        30_000,
        "ip_address",
        "203.0.113.7:443",
    )
    assert "has a port" in error["message"]
    assert (count(IpAccess), count(Document)) == (0, 0)


def test_a_good_log_stores_every_row_with_its_values_and_the_log_itself(client):
    headers, report = reporting_provider()
    body = gateway_log(25_000)

    status = client.get(
        send_log(client, report, body, headers).headers["Location"], headers=headers
    )

    assert (status.json["status"], status.json["rows_stored"]) == ("attached", 25_000)
    db.session.expire_all()
    stored = db.session.scalars(select(IpAccess).order_by(IpAccess.id)).all()
    assert len(stored) == 25_000
    first, later, last = stored[0], stored[12_345], stored[-1]
    assert (first.ip_address, first.ip_key) == ("203.0.113.1", "00000000000000000000ffffcb007101")
    # 2027-01-01T00:00:00+08:00, kept in UTC with the offset the log gave.
    assert first.accessed_at == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert (first.utc_offset_minutes, first.action) == (480, "administration")
    assert later.ip_address == f"2001:db8:{12_345 % 4093:x}::{12_345 % 89 + 1:x}"
    assert later.accessed_at == datetime(2027, 1, 26, 1, 45, 15, tzinfo=UTC)
    assert later.action == "access"
    assert last.ip_address == f"2001:db8:{24_999 % 4093:x}::{24_999 % 89 + 1:x}"
    attachment = db.session.get(IpLogAttachment, status.json["ip_log_id"])
    document = db.session.get(Document, attachment.document_id)
    assert (document.content, document.size_bytes) == (body, len(body))
