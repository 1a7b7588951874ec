"""Uploading a compiled foreign-reseller certification (§7.304(e)-(f)) through the web pages."""

import csv
import io
import time
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db, utcnow
from core.deadlines.models import Deadline
from core.jobs import queue
from core.jobs.models import Job
from core.jobs.rules import JobState
from intake import services
from intake.models import Document, Filing, ForeignReseller, ResellerImport
from intake.resellers import services as reseller_services
from intake.resellers.rules import RESELLER_EXAMPLE, RESELLER_HEADER
from tests.factories import log_in, make_provider, make_running_import, make_user

RESELLERS = [
    {"reseller_name": "Rheinland Cloud GmbH", "jurisdiction": "DE"},
    {
        "reseller_name": "Sakura Hosting KK",
        "jurisdiction": "JP",
        "contact_name": "Haruto Sato",
        "contact_email": "h.sato@sakura-hosting.example",
        "contact_phone": "+81 3 5550 0199",
    },
    {
        "reseller_name": "Nuvem Paulista Ltda",
        "jurisdiction": "BR",
        "relationship_began_on": "2023-06-01",
        "relationship_ended_on": "2025-09-30",
    },
]


def reseller(**changes):
    return {**RESELLER_EXAMPLE, **changes}


def csv_file(rows, header=RESELLER_HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([values.get(name, "") for name in header] for values in rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows):
    """A workbook as a person keys one into Excel: dates and counts as real cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(RESELLER_HEADER))
    typed = {
        "relationship_began_on": date.fromisoformat,
        "relationship_ended_on": lambda text: date.fromisoformat(text) if text else None,
        "customer_count": int,
        "unverified_account_count": int,
    }
    for values in rows:
        sheet.append([typed.get(name, str)(values[name]) for name in RESELLER_HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, provider, filename, content, **options):
    # The body is encoded here: the test client spools a large one to a temporary file that it
    # never closes.
    boundary = "oicts-test-boundary-7MA4YWxkTrZu0gW"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="compiled_file"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    return client.post(
        f"/intake/providers/{provider.id}/resellers/upload",
        data=head.encode() + content + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
        **options,
    )


def wait_until_finished(client, status_url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(status_url)
        if "Refresh" not in page.headers:
            return page
        time.sleep(0.25)
    raise AssertionError(f"{status_url} still running after {seconds} s")


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def resellers_of(provider):
    db.session.expire_all()
    return {
        (reseller.name, reseller.jurisdiction): reseller
        for reseller in db.session.scalars(
            select(ForeignReseller).where(ForeignReseller.provider_id == provider.id)
        )
    }


def actions():
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_good_csv_updates_the_reseller_list_and_gets_a_receipt(client):
    provider = make_provider()
    db.session.add(
        ForeignReseller(
            provider_id=provider.id,
            name="Rheinland Cloud GmbH",
            jurisdiction="DE",
            contact_name="Old Contact",
        )
    )
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    rows = [reseller(**changes) for changes in RESELLERS]

    page = upload(client, provider, "resellers 2026.csv", csv_file(rows), follow_redirects=True)

    assert page.status_code == 200
    filing = db.session.scalars(select(Filing)).one()
    assert f"Imported: receipt {filing.receipt_number}" in page.text
    assert "3 foreign resellers certified: 2 added, 1 updated, 0 unchanged" in page.text
    assert filing.kind == "reseller_certification"
    assert filing.channel == "bulk"
    assert filing.timeliness is None  # the provider's first compiled certification
    listed = resellers_of(provider)
    assert set(listed) == {
        ("Rheinland Cloud GmbH", "DE"),
        ("Sakura Hosting KK", "JP"),
        ("Nuvem Paulista Ltda", "BR"),
    }
    assert listed["Rheinland Cloud GmbH", "DE"].contact_name == "Katrin Vogel"
    assert listed["Sakura Hosting KK", "JP"].contact_phone == "+81355500199"
    assert listed["Nuvem Paulista Ltda", "BR"].ended_on == date(2025, 9, 30)
    assert listed["Nuvem Paulista Ltda", "BR"].status == "ended"

    provider_page = client.get(f"/intake/providers/{provider.id}").text
    assert "Sakura Hosting KK" in provider_page
    assert "Haruto Sato" in provider_page
    assert "Compiled foreign-reseller certification" in provider_page
    filing_page = client.get(f"/intake/filings/{filing.receipt_number}").text
    assert "Foreign resellers certified in the file" in filing_page
    assert "BR; DE; JP" in filing_page
    clock = db.session.scalars(
        select(Deadline).where(Deadline.clock_key == "cip.reseller_certification")
    ).one()
    assert clock.due_on == filing.received_on.replace(year=filing.received_on.year + 1)
    assert {"reseller_import.upload", "filing.receive", "reseller_import.import"} <= set(actions())
    results = client.get(page.request.path + "/results.csv").data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(results))) == [
        ["row", "reseller_name", "jurisdiction", "result"],
        ["2", "Rheinland Cloud GmbH", "DE", "updated"],
        ["3", "Sakura Hosting KK", "JP", "added"],
        ["4", "Nuvem Paulista Ltda", "BR", "added"],
    ]
    original = client.get(page.request.path + "/file")
    assert original.data == csv_file(rows)
    assert client.get(f"/intake/filings/{filing.receipt_number}/receipt.pdf").status_code == 200


def test_a_contacts_extension_is_kept_and_an_address_differing_only_in_case_is_no_change(
    client,
):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    contact = {"contact_email": "K.Vogel@Rheinland-Cloud.example",
               "contact_phone": "+49 30 5550 1234 ext. 55"}  # fmt: skip
    upload(client, provider, "2026.csv", csv_file([reseller(**contact)]))
    [listed] = resellers_of(provider).values()
    assert listed.contact_phone == "+493055501234;ext=55"
    assert listed.contact_email == "K.Vogel@rheinland-cloud.example"

    again = reseller(**{**contact, "contact_email": "k.vogel@rheinland-cloud.example"})
    page = upload(client, provider, "again.csv", csv_file([again]), follow_redirects=True)

    assert "1 foreign resellers certified: 0 added, 0 updated, 1 unchanged" in page.text
    assert resellers_of(provider)["Rheinland Cloud GmbH", "DE"].contact_email == (
        "K.Vogel@rheinland-cloud.example"
    )


def test_a_good_excel_workbook_is_imported_the_same_way(client):
    provider = make_provider()
    log_in(client, make_user(Role.REVIEWER))
    rows = [reseller(**changes) for changes in RESELLERS]

    page = upload(client, provider, "resellers.xlsx", xlsx_file(rows), follow_redirects=True)

    assert "Imported: receipt OICTS-" in page.text
    assert "3 foreign resellers certified: 3 added" in page.text
    listed = resellers_of(provider)
    assert listed["Nuvem Paulista Ltda", "BR"].began_on == date(2023, 6, 1)
    document = db.session.scalars(select(Document)).one()
    assert document.content_type.endswith("spreadsheetml.sheet")


def test_one_bad_row_in_the_middle_rejects_the_file_whole_with_a_report(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    rows = [reseller(reseller_name=f"Reseller {number} GmbH") for number in range(5)]
    rows[2] = reseller(reseller_name="=HYPERLINK(1) Bad Row", jurisdiction="Germany")

    page = upload(client, provider, "resellers.csv", csv_file(rows), follow_redirects=True)

    assert "Nothing was stored: 1 problem in the file" in page.text
    assert "must be an ISO 3166-1 two-letter country code" in page.text
    assert count(Filing) == 0
    assert count(ForeignReseller) == 0
    assert count(Document) == 0
    assert db.session.scalars(select(ResellerImport)).one().status == "rejected"

    report = client.get(page.request.path + "/errors.csv")
    assert report.headers["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig"))))
    assert lines == [
        ["row", "column", "value", "message", "citation"],
        [
            "4",
            "jurisdiction",
            "Germany",
            "must be an ISO 3166-1 two-letter country code, e.g. DE",
            "§7.304(f), §7.304(a)(2)(viii)",
        ],
    ]
    assert "reseller_import.reject" in actions()
    assert "export.reseller_import_errors" in actions()


def test_a_formula_in_a_reported_cell_is_neutralised(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    rows = [reseller(contact_email='=HYPERLINK("http://evil.example")')]

    page = upload(client, provider, "resellers.csv", csv_file(rows), follow_redirects=True)

    report = client.get(page.request.path + "/errors.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in report
    assert ",=HYPERLINK" not in report


def test_a_negative_count_is_shown_as_written_and_guarded_only_in_the_download(client):
    provider = make_provider()
    _, token = services.issue_token(provider, label="filer", actor=make_user(Role.ADMIN))
    db.session.commit()
    rows = [reseller(customer_count="-1")]

    answer = _api(client, token, csv_file(rows), "text/csv")
    (error,) = answer.json["errors"]
    assert (error["field"], error["value"]) == ("customer_count", "-1")
    assert error["message"] == "must not be negative"

    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/reseller-imports/{answer.json['import_id']}").text
    problems = page.split('data-testid="problems"', 1)[1]
    assert "<td>-1</td>" in problems and "'-1" not in problems

    report = client.get(f"/intake/reseller-imports/{answer.json['import_id']}/errors.csv")
    (reported,) = list(csv.DictReader(io.StringIO(report.data.decode("utf-8-sig"))))
    assert reported["value"] == "'-1"


def test_a_file_missing_columns_is_rejected_naming_them(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    header = [name for name in RESELLER_HEADER if name not in ("jurisdiction", "contact_phone")]

    page = upload(
        client, provider, "resellers.csv", csv_file([reseller()], header), follow_redirects=True
    )

    assert "Nothing was stored" in page.text
    assert "the file is missing the column(s) jurisdiction, contact_phone" in page.text
    assert count(ForeignReseller) == 0


def test_the_template_round_trips(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    for extension in ("csv", "xlsx"):
        template = client.get(f"/intake/resellers/template.{extension}")
        assert template.status_code == 200
        assert template.headers["Content-Disposition"].endswith(f'template.{extension}"')

        page = upload(
            client, provider, f"template.{extension}", template.data, follow_redirects=True
        )

        assert "1 foreign resellers certified" in page.text
    assert list(resellers_of(provider)) == [("Rheinland Cloud GmbH", "DE")]
    assert count(Filing) == 2
    assert actions().count("export.reseller_template") == 2


def test_the_upload_form_explains_what_is_wrong_with_the_file(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    url = f"/intake/providers/{provider.id}/resellers/upload"

    no_file = client.post(url, data={}, content_type="multipart/form-data")
    empty = upload(client, provider, "resellers.csv", b"")
    pdf = upload(client, provider, "resellers.csv", b"%PDF-1.7\n...")
    word = upload(client, provider, "resellers.docx", b"PK\x03\x04...")

    assert no_file.status_code == 422
    assert "Choose the compiled file to upload." in no_file.text
    assert 'id="compiled_file-error"' in no_file.text
    assert "The file is empty." in empty.text
    assert "Upload the compiled file as CSV (saved as UTF-8) or as an Excel workbook" in pdf.text
    assert "Upload the compiled file as CSV" in word.text
    assert count(ResellerImport) == 0


@pytest.mark.large
def test_fifty_thousand_rows_import_in_the_job_worker_and_one_bad_row_stops_them_all(
    queued_app, job_worker
):
    client = queued_app.test_client()
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    rows = [
        reseller(
            reseller_name=f"Reseller {number:05d} Cloud Ltd",
            contact_email=f"compliance{number}@reseller{number}.example",
            customer_count=str(number % 900),
        )
        for number in range(50_000)
    ]
    one_bad = list(rows)
    one_bad[37_411] = reseller(**{**rows[37_411], "relationship_began_on": "2024-02-30"})

    rejected = wait_until_finished(
        client, upload(client, provider, "all-resellers.csv", csv_file(one_bad)).headers["Location"]
    )

    assert "Nothing was stored: 1 problem in the file" in rejected.text
    assert "37413" in rejected.text  # the spreadsheet's row: the header is row 1
    assert "relationship_began_on" in rejected.text
    assert count(ForeignReseller) == 0
    assert count(Filing) == 0

    answer = upload(client, provider, "all-resellers.csv", csv_file(rows))

    assert answer.status_code == 302
    status_url = answer.headers["Location"]
    running = client.get(status_url)
    assert running.headers["Refresh"] == "2"
    assert 'data-testid="import-progress"' in running.text
    assert "usa-step-indicator" in running.text
    assert "This page updates itself every 2 seconds" in running.text

    finished = wait_until_finished(client, status_url)

    assert "Imported: receipt OICTS-" in finished.text
    assert "50,000 foreign resellers certified: 50,000 added" in finished.text
    assert 'data-testid="import-status">imported<' in finished.text
    assert count(ForeignReseller) == 50_000
    record = db.session.scalars(
        select(ResellerImport).where(ResellerImport.status == "imported")
    ).one()
    assert (record.rows_done, record.rows_total) == (50_000, 50_000)
    job = db.session.scalars(select(Job).where(Job.subject_id == record.id)).one()
    assert job.state is JobState.SUCCEEDED
    assert job.job_input is None  # the file's sealed copy is dropped once it is stored
    assert (job.rows_checked, job.rows_stored) == (50_000, 50_000)


def test_a_second_certification_meets_the_clock_and_is_flagged_when_late(client):
    provider = make_provider()
    db.session.add(
        ForeignReseller(provider_id=provider.id, name="Dropped Reseller Oy", jurisdiction="FI")
    )
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    upload(client, provider, "2025.csv", csv_file([reseller()]))
    first = db.session.scalars(select(Filing)).one()
    # As if the first had been received 400 days ago.
    long_ago = first.received_on - timedelta(days=400)
    first.received_at -= timedelta(days=400)
    first.received_on = long_ago
    clock = db.session.scalars(select(Deadline)).one()
    clock.started_on, clock.due_on = long_ago, long_ago.replace(year=long_ago.year + 1)
    db.session.commit()

    page = upload(client, provider, "2026.csv", csv_file([reseller()]), follow_redirects=True)

    second = db.session.scalars(select(Filing).where(Filing.id != first.id)).one()
    assert second.timeliness == "late"
    assert f"late: the compiled foreign-reseller certification was due by {clock.due_on}" in (
        page.text
    )
    assert "1 active foreign reseller(s) on record are not in the file" in page.text
    assert "Dropped Reseller Oy (FI)" in page.text
    clocks = db.session.scalars(select(Deadline).order_by(Deadline.id)).all()
    assert [deadline.met_on for deadline in clocks] == [second.received_on, None]


def test_a_second_upload_waits_for_the_running_one(client):
    provider = make_provider()
    user = make_user(Role.ANALYST)
    db.session.add(
        ResellerImport(
            provider_id=provider.id,
            uploaded_by_id=user.id,
            filename="big.csv",
            file_format="csv",
            size_bytes=10,
            sha256="0" * 64,
            status="checking",
            started_at=utcnow(),
        )
    )
    db.session.commit()
    log_in(client, user)

    page = upload(client, provider, "resellers.csv", csv_file([reseller()]))

    assert page.status_code == 422
    assert "The file big.csv is still being imported for this provider" in page.text
    assert count(ResellerImport) == 1


def test_a_running_import_shows_the_rows_its_job_has_checked_and_stores_nothing(client):
    provider = make_provider()
    user = make_user(Role.ANALYST)
    running = make_running_import(provider, user)
    job = reseller_services.import_job_of(running)
    queue.put(f"job:{job.id}:progress", {"checked": 1_200, "stored": None, "total": 5_000})
    log_in(client, user)

    page = client.get(f"/intake/reseller-imports/{running.id}")

    assert "1,200 of 5,000 rows checked." in page.text
    assert page.headers["Refresh"] == "2"
    db.session.expire_all()
    assert (running.status, running.rows_done) == ("queued", 0)
    refused = upload(client, provider, "resellers.csv", csv_file([reseller()]))
    assert "The file big.csv is still being imported for this provider" in refused.text


def test_viewers_see_imports_but_only_case_workers_upload(client):
    provider = make_provider()
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    page = upload(client, provider, "resellers.csv", csv_file([reseller()]))
    status_url = page.headers["Location"]
    client.post("/logout")

    log_in(client, make_user(Role.VIEWER))
    assert upload(client, provider, "resellers.csv", csv_file([reseller()])).status_code == 403
    assert "Upload a compiled" not in client.get(f"/intake/providers/{provider.id}").text
    assert "Imported: receipt" in client.get(status_url).text
    assert client.get("/intake/resellers/template.xlsx").status_code == 200


RESELLER_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _api(client, token, body, mimetype):
    """The filing's answer; once the file is accepted for import (202), the import's status at
    the address the answer gives (the suite's queue runs the job as the request ends)."""
    bearer = {"Authorization": f"Bearer {token}"}
    answer = client.post(
        "/api/v1/reseller-certifications", data=body, headers=bearer, content_type=mimetype
    )
    if answer.status_code != 202:
        return answer
    assert answer.json["status"] == "queued"
    assert answer.headers["Retry-After"] == "2"
    assert answer.headers["Location"] == answer.json["links"]["self"]
    return client.get(answer.headers["Location"], headers=bearer)


def test_a_provider_system_files_a_compiled_certification_by_api(client):
    provider = make_provider()
    _, token = services.issue_token(
        provider, label="compliance system", actor=make_user(Role.ADMIN)
    )
    db.session.commit()
    good = csv_file([reseller(), reseller(reseller_name="Sakura Compute KK", jurisdiction="JP")])
    answer = _api(client, token, good, "text/csv")
    assert answer.json["status"] == "imported"
    assert "Retry-After" not in answer.headers
    receipt = answer.json["receipt"]
    assert receipt["kind"] == "reseller_certification"
    assert set(resellers_of(provider)) == {("Rheinland Cloud GmbH", "DE"),
                                           ("Sakura Compute KK", "JP")}  # fmt: skip
    assert (
        db.session.scalar(
            select(Filing.channel).where(Filing.receipt_number == receipt["receipt_number"])
        )
        == "api"
    )

    workbook = xlsx_file([reseller(jurisdiction="UK")])
    rejected = _api(client, token, workbook, RESELLER_XLSX)
    assert rejected.json["status"] == "rejected"
    (error,) = rejected.json["errors"]
    assert (error["row"], error["field"]) == (2, "jurisdiction")
    assert "use GB" in error["message"]
    status = client.get(
        rejected.json["links"]["self"], headers={"Authorization": f"Bearer {token}"}
    )
    assert status.json["status"] == "rejected"

    other = make_provider()
    _, stranger = services.issue_token(other, label="other", actor=make_user(Role.ADMIN))
    db.session.commit()
    hidden = client.get(
        rejected.json["links"]["self"], headers={"Authorization": f"Bearer {stranger}"}
    )
    assert hidden.status_code == 404
    assert _api(client, token, b"%PDF-1.4", "application/pdf").status_code == 415
    page = client.application.test_client()
    log_in(page, make_user(Role.ANALYST))
    shown = page.get(f"/intake/reseller-imports/{answer.json['import_id']}")
    assert "the provider's system (API token compliance system)" in shown.text


def test_a_second_file_by_api_while_the_first_is_importing_is_a_refused_change(client):
    provider = make_provider()
    _, token = services.issue_token(provider, label="system", actor=make_user(Role.ADMIN))
    reseller_services.start_reseller_import(
        provider,
        filename="first.csv",
        content=csv_file([reseller()]),
        actor=make_user(Role.ANALYST),
    )
    db.session.commit()
    refused = _api(client, token, csv_file([reseller()]), "text/csv")
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.json["type"].endswith("/api/v1/problems/refused-change")
    assert "first.csv is still being imported" in refused.json["detail"]
    assert count(ResellerImport) == 1
