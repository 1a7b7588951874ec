"""The kernel's own notices, to a real SMTP server: a deadline assigned to me, entering its
last week, overdue (each once); the daily audit check failing (every active administrator).
No email names the deadline's subject."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.audit.checks import DAILY_CHECK
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines import services as deadlines
from core.jobs.services import send_committed
from core.notifications.models import Notification
from core.notifications.rules import protected_leaks
from tests.core.audit.test_daily_check import _rewrite_event
from tests.core.audit.test_tamper_resistance import _five_events
from tests.factories import make_admin, make_provider, make_user, run_daily
from tests.mailcatcher import html_of, text_of

TODAY = office_today()
# cip.copy_on_request runs for 10 days (§7.305(a)).
TEN_DAYS = timedelta(days=10)


def _deadline(due_in_days: int, *, assignee=None, actor=None):
    provider = make_provider()
    name = provider.legal_name
    deadline = deadlines.open_deadline(
        "cip.copy_on_request", subject=("provider", provider.id), subject_label=name,
        start_on=TODAY - TEN_DAYS + timedelta(days=due_in_days), actor=actor, assignee=assignee,
    )  # fmt: skip
    db.session.commit()
    send_committed()
    return deadline


def _kinds_told(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def _sweep(today):
    deadlines.sweep_due_soon(today)
    db.session.commit()
    send_committed()


def test_a_deadline_assigned_to_me_is_told_to_me_by_email_without_its_subject(
    mail_app, smtp_server
):
    assignee, analyst = make_user(Role.ANALYST), make_user(Role.ANALYST)
    deadline = _deadline(20)

    deadlines.assign_deadline(deadline, assignee, actor=analyst)
    db.session.commit()
    send_committed()

    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.kind == "deadline_assigned" and notice.user_id == assignee.id
    assert deadline.subject_label in notice.title  # the inbox may name it
    assert notice.link == f"/deadlines/{deadline.id}"
    [message] = smtp_server.to(assignee.email)
    text = text_of(message)
    assert f"Deadline {deadline.id} (" in text and "§7.305(a)" in text
    assert deadline.due_on.isoformat() in message["Subject"]
    for body in (text, html_of(message), str(message["Subject"])):
        assert protected_leaks(body, [deadline.subject_label]) == []


def test_nobody_is_told_of_a_deadline_they_took_themselves_or_nobody_took(mail_app, smtp_server):
    analyst = make_user(Role.ANALYST)
    deadline = _deadline(20, assignee=analyst, actor=analyst)
    deadlines.assign_deadline(deadline, None, actor=analyst)
    deadlines.assign_deadline(deadline, analyst, actor=analyst)
    db.session.commit()
    assert _kinds_told(analyst) == []


def test_a_deadline_opened_for_someone_tells_them(mail_app, smtp_server):
    assignee = make_user(Role.ANALYST)
    _deadline(20, assignee=assignee)
    assert _kinds_told(assignee) == ["deadline_assigned"]


def test_the_daily_sweep_tells_each_assignee_once_due_soon_and_once_overdue(mail_app, smtp_server):
    assignee = make_user(Role.ANALYST)
    soon, late = _deadline(7, assignee=assignee), _deadline(-1, assignee=assignee)
    _deadline(8, assignee=assignee)  # a week and a day ahead: not yet
    _deadline(3)  # nobody's

    for day in range(3):
        _sweep(TODAY + timedelta(days=day))

    told = db.session.scalars(
        select(Notification)
        .where(Notification.kind != "deadline_assigned")
        .order_by(Notification.id)
    ).all()
    # The third day, the clock eight days out enters its last week too.
    assert [(n.kind, n.subject_id) for n in told] == [
        ("deadline_due_soon", str(soon.id)),
        ("deadline_overdue", str(late.id)),
        ("deadline_due_soon", str(told[2].subject_id)),
    ]
    assert told[0].delivery.value == "digest"  # due soon waits for the digest by default
    overdue_mail = [m for m in smtp_server.to(assignee.email) if "overdue" in m["Subject"]]
    assert len(overdue_mail) == 1  # overdue is emailed at once, once
    assert late.subject_label not in text_of(overdue_mail[0])


def test_a_failed_audit_check_is_told_to_every_active_administrator(mail_app, smtp_server):
    admins = [make_admin(), make_admin()]
    retired = make_admin()
    retired.active = False
    analyst = make_user(Role.ANALYST)
    _five_events()
    _rewrite_event(2, '{"role": "admin"}')

    failed = run_daily(DAILY_CHECK)
    send_committed()

    for admin in admins:
        assert _kinds_told(admin) == ["audit_check_failed"]
        [message] = smtp_server.to(admin.email)
        assert f"job {failed.id}" in message["Subject"]
        assert f"/jobs/{failed.id}" in text_of(message)
    assert _kinds_told(retired) == [] and _kinds_told(analyst) == []
