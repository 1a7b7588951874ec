"""The deadline board printed as a PDF by the job worker: the board's button queues it and leads
to the job, whose page leads to the PDF once it is made; what it prints, and its marking."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.deadlines import printed
from core.deadlines.models import BoardPdf
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.rules import JobState
from tests.core.deadlines.test_views import _open
from tests.factories import log_in, make_measure, make_user, set_office_settings
from tests.pdftext import pdf_pages, pdf_text, searchable


def _print(client, **filters: str) -> bytes:
    """Ask for the PDF from the board, follow the job's page to the PDF's, and download it."""
    asked = client.post("/deadlines/pdfs", data=filters)
    assert asked.status_code == 302
    job_page = client.get(asked.headers["Location"]).text
    assert "Refresh" not in client.get(asked.headers["Location"]).headers  # it has ended
    pdf_page = re.search(r'href="(/deadlines/pdfs/\d+)"', job_page).group(1)
    download = re.search(r'href="(/deadlines/pdfs/\d+/download)"', client.get(pdf_page).text)
    answer = client.get(download.group(1))
    assert answer.mimetype == "application/pdf"
    return answer.data


def test_the_board_s_pdf_button_queues_it_and_leads_to_the_job_then_to_the_pdf(client):
    _open("cip.copy_on_request", 12, label="Ironbridge LLC")
    viewer = make_user(Role.VIEWER)
    log_in(client, viewer)
    board = client.get("/deadlines/").text
    assert 'action="/deadlines/pdfs"' in board and ">PDF</button>" in board

    asked = client.post("/deadlines/pdfs")

    (job,) = db.session.scalars(select(Job).where(Job.kind == printed.BOARD_PDF_JOB))
    assert asked.headers["Location"] == f"/jobs/{job.id}"
    assert job.state is JobState.SUCCEEDED  # the suite's queue runs it as the request commits
    job_page = client.get(f"/jobs/{job.id}").text
    record = db.session.scalars(select(BoardPdf)).one()
    size = printed.size_text(record.size_bytes)
    assert re.fullmatch(r"\d+ kB", size)
    assert f"Printed 1 open deadline ({size}): the PDF is ready to download from" in job_page
    assert f'href="/deadlines/pdfs/{record.id}"' in job_page
    page = client.get(f"/deadlines/pdfs/{record.id}").text
    assert "1 open deadline, " in page and record.sha256 in page
    download = client.get(f"/deadlines/pdfs/{record.id}/download")
    text = pdf_text(download.data)
    assert "Open deadlines" in text and "Ironbridge LLC" in text and "§7.305(a)" in text
    assert "Page 1 of 1" in text
    assert download.headers["Content-Length"] == str(record.size_bytes)
    (read,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.deadlines")
    ).all()
    assert (read.actor_id, json.loads(read.after_json)) == (
        viewer.id, {"format": "pdf", "rows": 1, "filters": {}},
    )  # fmt: skip


def test_the_request_answers_before_the_pdf_is_made_and_its_page_says_so(queued_app):
    _open("cip.copy_on_request", 12, label="Ironbridge LLC")
    client = queued_app.test_client()
    log_in(client, make_user(Role.ANALYST))

    asked = client.post("/deadlines/pdfs", data={"module": "intake"})

    assert asked.status_code == 302
    record = db.session.scalars(select(BoardPdf)).one()
    job = printed.job_of(record)
    assert (record.filters, record.made_at, job.state) == (
        {"module": "intake"},
        None,
        JobState.QUEUED,
    )
    waiting = client.get(f"/deadlines/pdfs/{record.id}").text
    assert "Being printed by the job worker" in waiting
    assert f'href="/jobs/{job.id}"' in waiting
    assert client.get(f"/deadlines/pdfs/{record.id}/download").status_code == 404

    jobs.run_job(job.id)  # as the worker does

    db.session.expire_all()
    assert record.deadline_count == 1 and record.made_at is not None
    assert "Ironbridge LLC" in pdf_text(client.get(f"/deadlines/pdfs/{record.id}/download").data)


def test_the_pdf_is_cui_with_its_point_of_contact_when_it_lists_a_providers_clock(client):
    set_office_settings()
    _open("cip.copy_on_request", 12, label="Ironbridge LLC")
    make_measure()
    log_in(client, make_user(Role.VIEWER))
    pages = [searchable(page) for page in pdf_pages(_print(client))]
    assert all(page.startswith("CUI//PRVCY/PROPIN") for page in pages)
    assert all(page.endswith("CUI//PRVCY/PROPIN") for page in pages)
    assert "CUI Category: Privacy, Proprietary Business Information" in pages[0]
    assert "POC: Thomas Keller, OICTS CUI Program, (202) 555-0147" in pages[0]


def test_the_pdf_of_special_measures_alone_is_unclassified(client):
    make_measure()
    _open("cip.copy_on_request", 12, label="Ironbridge LLC")
    log_in(client, make_user(Role.VIEWER))
    pages = [searchable(page) for page in pdf_pages(_print(client, module="special_measures"))]
    assert "(§7.307(d))" in pages[0]  # the notices to Congress
    assert "Ironbridge LLC" not in " ".join(pages)
    assert all(page.startswith("UNCLASSIFIED") and page.endswith("UNCLASSIFIED") for page in pages)
    assert "CUI" not in " ".join(pages)
