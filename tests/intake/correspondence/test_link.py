"""The one-time download link an email carries: its page (a GET, which mail scanners fetch)
spends nothing; its button (a POST) downloads the document once; an expired or used link is
refused; only the token's hash is kept; each download is audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clocks, crypto
from core.audit.models import AuditEvent
from core.db import db
from intake import services as intake
from intake.correspondence import requests as sent_requests
from intake.correspondence import services
from intake.correspondence.models import DownloadLink
from tests.factories import make_provider, make_user
from tests.pdftext import pdf_text

TODAY = clocks.office_today()


def _linked() -> str:
    request = intake.request_cip_copy(make_provider(), reseller=None, requested_on=TODAY,
                                      actor=make_user(), today=TODAY)  # fmt: skip
    letter = sent_requests.sent_of(request)
    token = services.new_link(letter)
    db.session.commit()
    return token


def test_the_link_downloads_its_document_once_and_only_by_its_button(client):
    token = _linked()
    url = f"/correspondence/link/{token}"
    for _ in range(2):  # a scanner's fetch and the person's: neither spends the link
        page = client.get(url)
        assert page.status_code == 200
        assert "Download the document" in page.text
        assert "Request for a copy of the customer identification program" in page.text
    downloaded = client.post(url)
    assert downloaded.status_code == 200 and downloaded.mimetype == "application/pdf"
    assert "15 CFR 7.305(a)" in pdf_text(downloaded.data)
    again = client.post(url)
    assert again.status_code == 410
    assert "used already" in again.text
    assert client.get(url).status_code == 410
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.correspondence")
    ).all()
    assert len(audited) == 1


def test_an_expired_link_is_refused(client):
    token = _linked()
    link = services.link_for(token)
    link.expires_at = link.created_at - timedelta(seconds=1)
    db.session.commit()
    refused = client.post(f"/correspondence/link/{token}")
    assert refused.status_code == 410
    assert "expired" in refused.text
    assert db.session.get(DownloadLink, link.id).used_at is None


def test_an_unknown_token_is_not_found_and_only_hashes_are_kept(client):
    token = _linked()
    assert client.get("/correspondence/link/not-a-token").status_code == 404
    assert client.post("/correspondence/link/not-a-token").status_code == 404
    kept = db.session.scalars(select(DownloadLink.token_hash)).all()
    assert crypto.token_digest(token) in kept
    assert token not in kept
