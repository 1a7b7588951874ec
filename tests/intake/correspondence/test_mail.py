"""A request to a provider through a real mail server (aiosmtpd, in the test process): the email
reaches the provider's contact with no document attached and nothing protected, its clock
starts on the day it was sent, and the provider's system lists it; a refused address leaves
the request flagged as undelivered, with no clock, until its sending by other means is
recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.jobs.models import Job
from core.jobs.services import run_job, send_committed
from core.notifications.models import OutgoingMail
from core.notifications.rules import MailState, protected_leaks
from core.notifications.services import MAIL_ATTEMPTS
from intake import services as intake
from intake.correspondence import requests as sent_requests
from intake.correspondence.rules import Delivery, SentBy
from intake.models import DepartmentRequest, ForeignReseller
from tests.factories import log_in, make_provider, make_user
from tests.mailcatcher import html_of, text_of

TODAY = clocks.office_today()


def _bearer(provider) -> dict[str, str]:
    _, plaintext = intake.issue_token(provider, label="Filing system", actor=make_user(Role.ADMIN))
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_a_cip_copy_request_reaches_the_contact_and_its_clock_starts_when_sent(
    mail_app, smtp_server
):
    provider = make_provider("Harrow Peak Compute, Inc.", contact_email="compliance@harrow.example")
    reseller = ForeignReseller(provider_id=provider.id, name="Kestrel Resale Sdn Bhd",
                               jurisdiction="MY")  # fmt: skip
    db.session.add(reseller)
    db.session.commit()
    analyst = make_user(Role.ANALYST)
    client = mail_app.test_client()
    log_in(client, analyst)
    page = client.post(
        f"/intake/providers/{provider.id}/requests",
        data={"reseller": str(reseller.id), "requested_on": (TODAY - timedelta(days=4)).isoformat(),
              "sent_by": "email", "note": "Routine"},
        follow_redirects=True,
    )  # fmt: skip
    assert "is being sent to the provider&#39;s contact on record" in page.text

    [message] = smtp_server.to("compliance@harrow.example")
    assert (
        "Request for a copy of a foreign reseller's customer identification program"
        in (message["Subject"])
    )
    assert not list(message.iter_attachments())
    text, html = text_of(message), html_of(message)
    protected = ("Harrow Peak", "Kestrel", provider.contact_name, provider.street_address)
    assert protected_leaks(text + html, protected) == []
    assert "15 CFR 7.303(d)" in text and "within 10 calendar days of receipt" in text
    link = next(line.strip() for line in text.splitlines() if "/correspondence/link/" in line)

    request = db.session.scalars(select(DepartmentRequest)).one()
    letter = sent_requests.sent_of(request)
    assert (letter.delivery, letter.sent_by, letter.sent_on) == (Delivery.SENT, SentBy.EMAIL, TODAY)
    # The 10 days run from the day it was sent, not from the request's date four days before.
    assert request.deadline.started_on == TODAY
    assert request.deadline.due_on == TODAY + timedelta(days=10)
    assert "by email" in client.get(f"/intake/requests/{request.id}").text

    listed = client.get("/api/v1/requests", headers=_bearer(provider)).json["requests"]
    assert [(entry["request_id"], entry["due_on"]) for entry in listed] == [
        (request.id, (TODAY + timedelta(days=10)).isoformat())
    ]
    assert client.get("/api/v1/requests", headers=_bearer(make_provider())).json["count"] == 0

    path = link.split("://", 1)[1].split("/", 1)[1]
    downloaded = mail_app.test_client().post(f"/{path}")
    assert downloaded.mimetype == "application/pdf"
    assert downloaded.data == letter.document.content


def test_a_refused_address_flags_the_request_until_its_sending_by_other_means(
    mail_app, smtp_server
):
    provider = make_provider(contact_email="gone@provider.example")
    smtp_server.refuse("gone@provider.example")
    analyst = make_user(Role.ANALYST)
    request = intake.request_cip_copy(provider, reseller=None, requested_on=TODAY,
                                      actor=analyst, today=TODAY)  # fmt: skip
    db.session.commit()
    send_committed()
    letter = sent_requests.sent_of(request)
    job_id = db.session.get(OutgoingMail, letter.mail_id).job_id
    # Each try the server refuses; the last leaves the message undeliverable.
    while db.session.get(Job, job_id).attempts < MAIL_ATTEMPTS:
        run_job(job_id)
        db.session.expire_all()
    mail = db.session.get(OutgoingMail, letter.mail_id)
    assert mail.state is MailState.FAILED
    letter = sent_requests.sent_of(db.session.get(DepartmentRequest, request.id))
    assert letter.delivery == Delivery.UNDELIVERED
    assert "550" in letter.undelivered_reason
    assert db.session.get(DepartmentRequest, request.id).deadline_id is None

    client = mail_app.test_client()
    log_in(client, analyst)
    assert "could not be delivered" in client.get(f"/intake/requests/{request.id}").text
    assert "could not be delivered" in client.get(f"/intake/providers/{provider.id}").text
    client.post(f"/correspondence/{letter.id}/sent",
                data={"sent_on": TODAY.isoformat(), "note": "By courier"})  # fmt: skip
    request = db.session.get(DepartmentRequest, request.id)
    assert request.deadline.started_on == TODAY
    assert sent_requests.sent_of(request).sent_by == SentBy.HAND
