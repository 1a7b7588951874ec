"""A training report that gives no IP addresses (§7.308(d)(1)(i)(F)) is chased: a clock from its
arrival, a request for them through §7.308(e), and the clock met when they arrive."""

from __future__ import annotations

import html
from datetime import timedelta

from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.jobs.services import send_committed
from intake.ai import ip_logs
from intake.ai import services as ai_services
from tests.factories import file_report, log_in, make_provider, make_user

TODAY = office_today()
LOG = "ip_address,accessed_at,action\n198.51.100.7,2026-11-21T10:00:00Z,access\n"


def test_a_report_without_ip_addresses_is_chased_until_a_log_brings_them(client):
    analyst = make_user(Role.ANALYST)
    report = file_report(make_provider(), ip_accesses=[])
    clock = ip_logs.ip_clock_of(report)
    assert clock is not None and clock.is_open
    assert clock.due_on == report.received_on + timedelta(days=15)
    log_in(client, analyst)
    page = html.unescape(client.get(f"/intake/filings/{report.receipt_number}").text)
    assert f"they are due by <strong>{clock.due_on.isoformat()}</strong>" in page
    assert "the rule sets no period of its own" in page
    assert "Ask the provider for the IP addresses (§7.308(e))" in page
    assert f"IP addresses of {report.receipt_number}" in client.get("/deadlines/").text

    form = client.get(
        f"/intake/filings/{report.receipt_number}/information-requests?about=ip_addresses"
    ).text
    note = ai_services.ip_addresses_request_note(report)
    assert html.escape(note, quote=False) in form or note in html.unescape(form)
    sent = client.post(
        f"/intake/filings/{report.receipt_number}/information-requests",
        data={"requested_on": TODAY.isoformat(), "note": note},
        follow_redirects=True,
    )
    assert f"follow-up due {(TODAY + timedelta(days=15)).isoformat()}" in sent.text
    (request,) = ai_services.information_requests_of(report)
    assert "(§7.308(d)(1)(i)(F))" in request.note and request.deadline is not None

    ip_logs.attach_ip_log(report, filename="log.csv", content=LOG.encode(), actor=analyst)
    db.session.commit()
    send_committed()  # the suite's queue runs the log's job at once
    db.session.refresh(clock)
    assert clock.met_on == TODAY and clock.met_note == "IP log log.csv"
    page = html.unescape(client.get(f"/intake/filings/{report.receipt_number}").text)
    assert f"they arrived on {TODAY.isoformat()} (IP log log.csv)" in page
    assert "Ask the provider for the IP addresses" not in page


def test_a_report_that_gives_them_starts_no_clock(app):
    report = file_report(make_provider())
    assert report.data["ip_accesses"]
    assert ip_logs.ip_clock_of(report) is None


def test_a_corrected_report_that_gives_them_meets_the_clock_of_the_report_it_corrects(app):
    provider = make_provider()
    report = file_report(provider, ip_accesses=[])
    corrected = file_report(
        provider, "ai_corrected_report", supersedes=report.receipt_number,
        corrections_summary="The IP addresses were left out.",
    )  # fmt: skip
    clock = ip_logs.ip_clock_of(report)
    assert clock.met_on == corrected.received_on
    assert clock.met_note == f"given in corrected report {corrected.receipt_number}"
    assert ip_logs.ip_clock_of(corrected) is None
