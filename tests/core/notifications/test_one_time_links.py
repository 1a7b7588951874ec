"""One-time links kept out of stored mail (docs/architecture.md §12): the message stored, and
shown in the outbox, holds a placeholder; the link, sealed beside it, is put in only when the
message is handed to the mail server, and erased then; a message whose template does not show
the link it was given is refused when queued."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.jobs.models import Job
from core.jobs.services import run_job, send_committed
from core.notifications.models import OutgoingMail
from core.notifications.rules import ONE_TIME_LINK, MailState
from core.notifications.services import queue_mail
from intake import services as intake
from tests.factories import log_in_admin, make_admin, make_provider, make_user
from tests.mailcatcher import html_of, text_of

LINK = "https://oicts.example/account/reset/Zm9vLWJhci1iYXotcXV4?a=1&b=2"


def test_a_template_without_the_link_it_was_given_is_refused(app):
    with pytest.raises(ValueError, match="does not show the one-time link"):
        queue_mail("someone@oicts.example", "job_failed",
                   {"job_label": "x", "job_id": 1, "attempts": 1, "link": "/"},
                   one_time_link=LINK)  # fmt: skip


def test_the_link_waits_sealed_through_a_server_down_and_is_erased_once_handed_over(
    mail_app, smtp_server
):
    smtp_server.stop()  # the mail server is away for the first attempt
    mail = queue_mail("person@oicts.example", "password_reset", {"link_lifetime": "1 hour"},
                      one_time_link=LINK)  # fmt: skip
    db.session.commit()
    send_committed()
    db.session.expire_all()
    mail = db.session.get(OutgoingMail, mail.id)
    assert mail.state is MailState.QUEUED and mail.one_time_link_sealed is not None
    assert LINK not in mail.one_time_link_sealed  # sealed with the field key

    smtp_server.start()
    run_job(db.session.get(Job, mail.job_id).id)
    db.session.expire_all()
    mail = db.session.get(OutgoingMail, mail.id)
    assert mail.state is MailState.SENT and mail.one_time_link_sealed is None
    [message] = smtp_server.to("person@oicts.example")
    assert LINK in text_of(message)
    assert 'href="https://oicts.example/account/reset/Zm9vLWJhci1iYXotcXV4?a=1&amp;b=2"' in (
        html_of(message)
    )
    assert LINK not in mail.text_body + mail.html_body


def test_the_outbox_shows_a_providers_document_link_only_as_its_placeholder(client):
    analyst = make_user(Role.ANALYST)
    intake.request_cip_copy(make_provider(), reseller=None, requested_on=office_today(),
                            actor=analyst)  # fmt: skip
    db.session.commit()
    send_committed()
    mail = db.session.scalars(select(OutgoingMail)).one()
    assert mail.state is MailState.KEPT and mail.one_time_link_sealed is None
    assert "/correspondence/link/" not in mail.text_body + mail.html_body
    log_in_admin(client, make_admin())
    page = client.get(f"/admin/outbox/{mail.id}")
    assert page.status_code == 200
    assert ONE_TIME_LINK in page.text and "/correspondence/link/" not in page.text
