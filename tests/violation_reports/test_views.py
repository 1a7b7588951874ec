"""The public page anyone reports a suspected violation from (§7.310), with no sign-in, and
the office's triage pages; and that no provider-facing route or API ever shows a report."""

import io
import re

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from core.access import PROVIDER_SYSTEM
from core.auth.rules import Role
from core.db import db
from intake import services as intake
from tests.factories import (
    add_reseller,
    log_in,
    make_provider,
    make_user,
    make_violation_report,
)
from violation_reports import services
from violation_reports.models import ViolationReport, ViolationReportAttachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DESCRIPTION = "Accounts are opened for foreign customers without any identity check."
FILLED = {
    "requirement": "cip",
    "timing": "occurred",
    "concerns": "Northwind Cloud Services",
    "description": DESCRIPTION,
    "name": "Ada Reporter",
    "email": "ada@example.org",
    "phone": "+1 202 555 0100",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _errors_at(page: str) -> dict[str, str]:
    """Each field's message, as the page shows it beside the field."""
    return dict(re.findall(r'id="([a-z_]+)-error"[^>]*>([^<]+)<', page))


def test_anyone_finds_the_page_from_the_sign_in_page_and_the_footer(client):
    login = client.get("/login").text
    assert login.count('href="/report-a-violation"') == 2
    page = client.get("/report-a-violation")
    assert page.status_code == 200
    assert "You do not need an account" in page.text
    assert "§7.310(b)" in page.text and "Room A-100" in page.text


def test_a_report_sent_gets_its_acknowledgement_number(client):
    make_user(Role.ANALYST)
    sent = client.post(
        "/report-a-violation",
        data={**FILLED, "attachments": [(io.BytesIO(PDF), "evidence.pdf")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    shown = client.get(sent.headers["Location"]).text
    [report] = db.session.scalars(select(ViolationReport)).all()
    assert report.acknowledgement in shown and "with 1 document" in shown
    assert report.attachments[0].filename == "evidence.pdf"
    # A reload of the acknowledgement page shows it again.
    assert report.acknowledgement in client.get("/report-a-violation/received").text


def test_junk_is_refused_at_each_field_and_what_was_typed_stays(client):
    junk = {
        "requirement": "perjury",
        "timing": "",
        "concerns": "Northwind",
        "description": "bad",
        "name": "Ada",
        "email": "ada at example",
        "phone": "call me",
        "attachments": [(io.BytesIO(b"MZ\x90\x00 not a document"), "tool.pdf")],
    }
    answer = client.post("/report-a-violation", data=junk, content_type="multipart/form-data")
    assert answer.status_code == 422
    errors = _errors_at(answer.text)
    assert set(errors) == {"requirement", "timing", "description", "email", "phone", "attachments"}
    assert "Not a valid choice" in errors["requirement"]
    assert "may have happened or is likely to" in errors["timing"]
    assert "at least 20 characters" in errors["description"]
    assert "email address" in errors["email"] and "telephone number" in errors["phone"]
    assert "tool.pdf is not a PDF or a Word" in errors["attachments"]
    assert "choose them again" in errors["attachments"]
    again = answer
    assert 'value="Northwind"' in again.text and 'value="ada at example"' in again.text
    assert re.search(r">\s*bad</textarea>", again.text) and 'value="call me"' in again.text
    assert _count(ViolationReport) == 0 and _count(ViolationReportAttachment) == 0


def test_a_20_mb_file_is_refused_and_nothing_is_kept(client):
    twenty_mb = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 9)
    # Encoded in memory: the test client would spool so large a body to a file it never closes.
    boundary, body = encode_multipart(
        MultiDict(
            [*FILLED.items(), ("attachments", FileStorage(io.BytesIO(twenty_mb), "scan.pdf"))]
        )
    )
    answer = client.post(
        "/report-a-violation", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert answer.status_code == 422
    assert (
        "scan.pdf is larger than 10 MB: nothing was kept." in _errors_at(answer.text)["attachments"]
    )
    assert DESCRIPTION in answer.text
    assert _count(ViolationReport) == 0 and _count(ViolationReportAttachment) == 0


def test_one_address_sending_too_many_is_told_to_wait_and_keeps_its_text(app, client):
    app.config["RATELIMIT_VIOLATION_REPORTS"] = "2 per hour"
    for _ in range(2):
        assert client.post("/report-a-violation", data=FILLED).status_code == 303
    refused = client.post("/report-a-violation", data=FILLED)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many reports have been sent from this address; try again in" in refused.text
    assert DESCRIPTION in refused.text
    assert client.get("/report-a-violation").status_code == 200  # reading is not limited
    assert _count(ViolationReport) == 2


def test_the_triage_queue_is_staff_only_and_paged(client):
    reports = [make_violation_report() for _ in range(3)]
    assert client.get("/violation-reports/queue").status_code == 302
    log_in(client, make_user(Role.VIEWER))
    page = client.get("/violation-reports/queue?per_page=25&sort=reference&dir=asc").text
    assert "1–3 of 3 reports" in page
    assert page.index(reports[0].acknowledgement) < page.index(reports[2].acknowledgement)
    # A viewer reads the report, never the reporter's contact details nor the documents.
    detail = client.get(f"/violation-reports/{reports[0].id}").text
    assert DESCRIPTION in detail
    assert "ada@example.org" not in detail and "Show the contact details" not in detail
    assert client.post(f"/violation-reports/{reports[0].id}/contact").status_code == 403


def test_an_analyst_triages_links_and_closes_on_the_page(client):
    analyst = make_user(Role.ANALYST)
    provider = make_provider("Northwind Cloud Services, Inc.")
    reseller = add_reseller(provider, "Neva Cloud OOO", "RU")
    report = make_violation_report()
    log_in(client, analyst)
    base = f"/violation-reports/{report.id}"
    assert client.post(f"{base}/triage").status_code == 303
    refused = client.post(f"{base}/provider", data={"provider": "abc"})
    assert refused.status_code == 422
    assert "Choose one of the providers on record." in _errors_at(refused.text)["provider"]
    client.post(f"{base}/provider", data={"provider": str(provider.id)})
    client.post(f"{base}/reseller", data={"reseller": str(reseller.id)})
    page = client.get(base).text
    assert "Northwind Cloud Services, Inc.</a>" in page and "Neva Cloud OOO" in page
    shown = client.post(f"{base}/contact").text
    assert "ada@example.org" in shown and "this reading is in the audit trail" in shown
    refused = client.post(f"{base}/close", data={"outcome": "case", "reasons": "Opened one."})
    assert refused.status_code == 422
    assert "Link the case first" in _errors_at(refused.text)["outcome"]
    closed = client.post(
        f"{base}/close", data={"outcome": "no_violation", "reasons": "The accounts are domestic."},
        follow_redirects=True,
    )  # fmt: skip
    assert "closed: The facts do not indicate a violation of subpart D" in closed.text
    assert "Close the report" not in closed.text


def test_no_provider_facing_route_or_api_shows_a_report(app, client):
    provider = make_provider("Northwind Cloud Services, Inc.")
    analyst = make_user(Role.ANALYST)
    report = make_violation_report()
    services.start_triage(report, actor=analyst)
    services.link_provider(report, provider.id, actor=analyst)
    _, token = intake.issue_token(provider, label="Compliance system", actor=make_user(Role.ADMIN))
    db.session.commit()
    provider_routes = [
        rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "allowed_roles", None) == PROVIDER_SYSTEM
        or rule.rule.startswith("/api/")
    ]
    assert provider_routes
    assert not [rule for rule in provider_routes if rule.endpoint.startswith("violation")]
    bearer = {"Authorization": f"Bearer {token}"}
    for rule in provider_routes:
        if "GET" in rule.methods and not rule.arguments:
            body = client.get(rule.rule, headers=bearer).text
            assert report.acknowledgement not in body and "violation report" not in body.lower()


def test_a_report_is_found_by_its_number_and_its_documents_read_by_analysts_only(client):
    report = make_violation_report(uploads=[services.Upload("evidence.pdf", PDF)])
    log_in(client, make_user(Role.VIEWER))
    found = client.get(f"/search?q={report.acknowledgement.lower().replace('-', ' ')}")
    assert found.status_code == 303
    assert found.headers["Location"].endswith(f"/violation-reports/{report.id}")
    document = f"/violation-reports/{report.id}/attachments/{report.attachments[0].id}"
    assert client.get(document).status_code == 403
    client.post("/logout")
    log_in(client, make_user(Role.ANALYST))
    read = client.get(document)
    assert read.status_code == 200 and read.data == PDF
    assert client.get(f"/violation-reports/{report.id}/attachments/999999").status_code == 404
