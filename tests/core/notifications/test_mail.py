"""Notices reach people's inboxes and, as they chose, a real mail server (aiosmtpd in the test
process); each delivery is a job, and every attempt is logged with the server's answer."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, func, select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.jobs.models import JobInput
from core.jobs.services import send_committed
from core.notifications import services
from core.notifications.models import MailAttempt, Notification, NotificationSetting, OutgoingMail
from core.notifications.rules import Delivery, MailState
from intake.resellers import services as reseller_services
from tests.conftest import WorkerProcess, make_app
from tests.factories import make_provider, make_user
from tests.intake.resellers.test_import import csv_file, reseller
from tests.mailcatcher import MailCatcher, html_of, text_of


def _failed_import(analyst):
    """A reseller import whose file is gone before the worker reads it: its job fails at once."""
    record = reseller_services.start_reseller_import(
        make_provider(), filename="resellers.csv", content=csv_file([reseller()]), actor=analyst
    )
    db.session.commit()
    db.session.execute(delete(JobInput))
    db.session.commit()
    send_committed()
    return record


def test_a_failed_job_is_told_to_whoever_started_it_in_the_inbox_and_by_email(
    mail_app, smtp_server
):
    analyst = make_user(Role.ANALYST)

    _failed_import(analyst)

    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.user_id == analyst.id
    assert "failed: the job has no input file" in notice.title
    assert notice.link.startswith("/jobs/")
    [message] = smtp_server.to(analyst.email)
    assert " ".join(message["Subject"].split()) == (
        "A job you started has failed: Compiled reseller certification import (§7.304(f))"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = text_of(message), html_of(message)
    assert "Office of Information and Communications Technology and Services" in text
    assert f"{mail_app.config['PUBLIC_URL']}{notice.link}" in text
    assert f'href="{mail_app.config["PUBLIC_URL"]}{notice.link}"' in html
    assert "/notifications/settings" in text  # the recipient can change what they receive
    mail = db.session.get(OutgoingMail, notice.mail_id)
    assert mail.state is MailState.SENT
    [attempt] = mail.attempts
    assert attempt.succeeded
    assert "250 OK queued as TEST0001" in attempt.answer


def test_without_a_mail_server_messages_are_kept_in_the_outbox_as_delivered(app):
    analyst = make_user(Role.ANALYST)
    assert not app.config["MAIL_SERVER"]

    _failed_import(analyst)

    mail = db.session.scalars(select(OutgoingMail)).one()
    assert mail.state is MailState.KEPT
    assert mail.sent_at is not None
    assert "development outbox" in mail.last_answer


@pytest.mark.parametrize("chosen", [Delivery.IN_APP, Delivery.DIGEST])
def test_a_person_who_chose_not_to_be_emailed_at_once_is_told_in_the_inbox_only(
    mail_app, smtp_server, chosen
):
    analyst = make_user(Role.ANALYST)
    db.session.add(NotificationSetting(user_id=analyst.id, kind="job_failed", delivery=chosen))
    db.session.commit()

    _failed_import(analyst)

    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.delivery is chosen and notice.mail_id is None
    assert smtp_server.messages == []


def test_a_notice_with_a_once_key_reaches_each_person_once_and_never_an_inactive_one(
    mail_app, smtp_server
):
    watcher, gone = make_user(Role.ANALYST), make_user(Role.ANALYST)
    gone.active = False
    for _ in range(2):
        services.notify(
            [watcher, gone, watcher],
            "job_failed",
            title="Deadline 12 falls due within 7 days",
            link="/deadlines/12",
            once_key="deadline-due-soon:12",
            mail_context={"job_label": "Example", "job_id": 12, "attempts": 1},
        )
        db.session.commit()
        send_committed()

    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
    assert len(smtp_server.to(watcher.email)) == 1
    assert smtp_server.to(gone.email) == []


def test_a_refused_recipient_is_logged_with_the_servers_answer_and_tried_again(app):
    refusing = MailCatcher()
    refusing.refuse("nobody@provider.example")
    refusing.start()
    try:
        sending = make_app(app.config["SQLALCHEMY_DATABASE_URI"], **refusing.settings)
        with sending.app_context():
            mail = services.queue_mail(
                "nobody@provider.example",
                "job_failed",
                {"job_label": "Example", "job_id": 1, "attempts": 1, "link": "x"},
                to_provider=True,
            )
            db.session.commit()
            send_committed()
            db.session.expire_all()
            mail = db.session.get(OutgoingMail, mail.id)
            assert mail.state is MailState.QUEUED  # a retry waits in the queue
            [attempt] = mail.attempts
            assert not attempt.succeeded
            assert attempt.answer.startswith("nobody@provider.example: 550")
            actions = db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("mail.%"))
            ).all()
            assert actions == ["mail.queue"]  # a message to a provider is audited
            db.session.remove()
            db.engine.dispose()  # its connection closed now, not by the garbage collector
    finally:
        refusing.stop()


def _wait_for(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"still waiting for {what} after {seconds} s")


def _queue_three(first: int) -> list[int]:
    ids = []
    for number in range(first, first + 3):
        mail = services.queue_mail(
            f"contact{number}@provider.example",
            "job_failed",
            {"job_label": "Example", "job_id": number, "attempts": 1, "link": "x"},
            to_provider=True,
        )
        ids.append(mail.id)
    db.session.commit()
    send_committed()
    return ids


@pytest.mark.large
def test_a_mail_server_that_goes_away_mid_run_loses_no_message(queued_app, tmp_path):
    catcher = MailCatcher().start()
    url = queued_app.config["SQLALCHEMY_DATABASE_URI"]
    worker = WorkerProcess(url, tmp_path / "worker.log")
    worker.start(**{name: str(value) for name, value in catcher.settings.items()})
    try:
        worker.wait_until_started()
        before = _queue_three(1)
        catcher.wait_for(3)
        catcher.stop()
        during = _queue_three(4)
        _wait_for(
            lambda: db.session.scalar(
                select(func.count()).select_from(MailAttempt).where(MailAttempt.succeeded.is_(False))
            ) >= 3,
            "a failed attempt for each message sent while the server was down",
        )  # fmt: skip
        catcher.start()
        _wait_for(
            lambda: all(db.session.get(OutgoingMail, i).state is MailState.SENT for i in during),
            "the messages held back to be delivered",
        )
    finally:
        worker.stop()
        catcher.stop()

    delivered = sorted(message["To"] for message in catcher.messages)
    assert delivered == [f"contact{n}@provider.example" for n in range(1, 7)]  # each once
    for mail_id in before:
        assert [a.succeeded for a in db.session.get(OutgoingMail, mail_id).attempts] == [True]
    for mail_id in during:
        attempts = db.session.get(OutgoingMail, mail_id).attempts
        assert [a.succeeded for a in attempts][-1] is True
        assert not attempts[0].succeeded
        assert "ConnectionRefusedError" in attempts[0].answer or "refused" in attempts[0].answer
