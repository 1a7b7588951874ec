"""Requests for copies of CIPs (§7.305(a), §7.303(d)) and the responses that meet them."""

import io
import zipfile
from datetime import timedelta

from sqlalchemy import select

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from intake.models import DepartmentRequest, ForeignReseller
from tests.factories import log_in, make_provider, make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _open_request(client, provider, *, days_ago=0, reseller=""):
    """A request sent by other means ``days_ago``, whose clock started then (§7.305(a))."""
    requested_on = clocks.office_today() - timedelta(days=days_ago)
    return client.post(
        f"/intake/providers/{provider.id}/requests",
        data={"reseller": reseller, "requested_on": requested_on.isoformat(), "note": "Routine",
              "sent_by": "hand"},
        follow_redirects=True,
    )  # fmt: skip


def test_a_request_opens_the_ten_day_clock_and_shows_on_the_board_when_overdue(client):
    provider = make_provider("Pinecrest Virtual Infrastructure, Inc.")
    log_in(client, make_user(Role.ANALYST))
    page = _open_request(client, provider, days_ago=12)
    assert "the copy is due by" in page.text
    request_row = db.session.scalars(select(DepartmentRequest)).one()
    assert request_row.deadline.due_on == request_row.requested_on + timedelta(days=10)
    assert request_row.deadline.citation == "§7.305(a)"
    board = client.get("/deadlines/").text
    assert "Pinecrest Virtual Infrastructure, Inc.: copy of its CIP" in board
    assert "2 days overdue" in board


def test_a_request_for_a_resellers_cip_cites_7303d(client):
    provider = make_provider()
    reseller = ForeignReseller(
        provider_id=provider.id, name="Rheinland Cloud GmbH", jurisdiction="DE"
    )
    db.session.add(reseller)
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    _open_request(client, provider, reseller=str(reseller.id))
    request_row = db.session.scalars(select(DepartmentRequest)).one()
    assert request_row.kind == "reseller_cip_copy"
    assert request_row.deadline.citation == "§7.303(d)"
    assert "Rheinland Cloud GmbH" in request_row.deadline.subject_label


def test_a_pdf_or_docx_response_meets_the_clock_and_can_be_downloaded(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    for content, name in ((PDF_BYTES, "cip.pdf"), (_docx_bytes(), "cip.docx")):
        _open_request(client, provider)
        request_row = db.session.scalars(
            select(DepartmentRequest).order_by(DepartmentRequest.id.desc())
        ).first()
        page = client.post(
            f"/intake/requests/{request_row.id}/response",
            data={
                "document": (io.BytesIO(content), name),
                "responded_on": clocks.office_today().isoformat(),
            },
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "Response recorded; the clock is met." in page.text
        assert request_row.deadline.met_on == clocks.office_today()
        download = client.get(f"/intake/requests/{request_row.id}/document")
        assert download.data == content
    assert deadlines.board(deadlines.BoardFilter(), clocks.office_today()) == []


def test_a_second_response_from_a_stale_page_says_the_request_was_answered(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    _open_request(client, provider)
    request_row = db.session.scalars(select(DepartmentRequest)).one()
    url = f"/intake/requests/{request_row.id}/response"
    today = clocks.office_today().isoformat()
    client.post(
        url, data={"document": (io.BytesIO(PDF_BYTES), "cip.pdf"), "responded_on": today},
        content_type="multipart/form-data",
    )  # fmt: skip
    again = client.post(
        url, data={"document": (io.BytesIO(PDF_BYTES), "again.pdf"), "responded_on": today},
        content_type="multipart/form-data", follow_redirects=True,
    )  # fmt: skip
    assert again.request.path == f"/intake/requests/{request_row.id}"
    assert f"This request was already answered on {today}." in again.text
    assert request_row.response_document.filename == "cip.pdf"


def test_a_file_that_is_not_a_pdf_or_docx_is_refused_on_the_field(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    _open_request(client, provider)
    request_row = db.session.scalars(select(DepartmentRequest)).one()
    disguised = client.post(
        f"/intake/requests/{request_row.id}/response",
        data={
            "document": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "cip.pdf"),
            "responded_on": clocks.office_today().isoformat(),
        },
        content_type="multipart/form-data",
    )
    assert disguised.status_code == 422
    assert "Upload the CIP as a PDF or a Word (.docx) document." in disguised.text
    missing = client.post(
        f"/intake/requests/{request_row.id}/response",
        data={"responded_on": clocks.office_today().isoformat()},
        content_type="multipart/form-data",
    )
    assert "Choose the file the provider sent." in missing.text
    assert request_row.responded_on is None


def test_a_request_without_a_date_is_refused_on_the_field(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    response = client.post(
        f"/intake/providers/{provider.id}/requests", data={"reseller": "", "requested_on": "soon"}
    )
    assert response.status_code == 422
    assert "Enter the date the request was sent, as YYYY-MM-DD." in response.text
    assert db.session.scalars(select(DepartmentRequest)).all() == []
