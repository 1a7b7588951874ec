"""The daily digest, to a real SMTP server: at each person's time of the office day, one email
listing their digest notices not yet in one, by kind and link only; never twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from core.auth.rules import Role
from core.clocks import OFFICE_TIME_ZONE, office_today
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.jobs.services import enqueue_daily, send_committed
from core.notifications import digest, services
from core.notifications.models import DigestSetting, Notification
from core.notifications.rules import Delivery, protected_leaks
from tests.core.notifications.test_receivers import TODAY, _deadline, _sweep
from tests.factories import log_in, make_user
from tests.mailcatcher import html_of, text_of


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OFFICE_TIME_ZONE)


def _digests(now: datetime) -> str:
    outcome = digest.send_digests(now)
    db.session.commit()
    send_committed()
    return outcome


def _digest_notices(user, count: int, *, kind: str = "job_failed") -> list[Notification]:
    services.save_choices(user, {kind: Delivery.DIGEST}, services.digest_time_of(user))
    told = []
    for number in range(count):
        told += services.notify(
            [user], kind, title=f"Import for Volkov Analytics LLC number {number} failed",
            link=f"/jobs/{number}",
            mail_context={"job_label": "Example", "job_id": number, "attempts": 1},
        )  # fmt: skip
    db.session.commit()
    return told


def test_a_deadline_7_days_out_reaches_its_assignee_in_the_digest_once(mail_app, smtp_server):
    assignee = make_user(Role.ANALYST)
    deadline = _deadline(7)
    deadlines.assign_deadline(deadline, assignee, actor=make_user(Role.REVIEWER))
    db.session.commit()
    send_committed()
    assert len(smtp_server.to(assignee.email)) == 1  # the assignment, at once

    _sweep(TODAY)
    _digests(_at(TODAY + timedelta(days=1), 7, 30))
    _sweep(TODAY + timedelta(days=1))
    _digests(_at(TODAY + timedelta(days=2), 7, 30))

    digests = [m for m in smtp_server.to(assignee.email) if "daily digest" in m["Subject"]]
    assert len(digests) == 1
    [message] = digests
    notice = db.session.scalars(
        select(Notification).where(Notification.kind == "deadline_due_soon")
    ).one()
    text, html = text_of(message), html_of(message)
    assert "A deadline of mine falls due within 7 days" in text
    assert f"/notifications/{notice.id}/open" in text and f"/notifications/{notice.id}/open" in html
    assert "Office of Information and Communications Technology and Services" in text
    for body in (text, html, str(message["Subject"])):
        assert protected_leaks(body, [notice.title, deadline.subject_label]) == []
    assert notice.digest_mail_id is not None


def test_a_digest_waits_for_its_persons_time_and_comes_once_a_day(mail_app, smtp_server):
    early, late = make_user(Role.ANALYST), make_user(Role.ANALYST)
    _digest_notices(early, 2)
    _digest_notices(late, 1)
    services.save_choices(late, {}, time(17, 0))
    db.session.commit()
    tomorrow = TODAY + timedelta(days=1)

    assert _digests(_at(tomorrow, 7, 15)) == "0 digests sent, listing 0 notices."
    assert _digests(_at(tomorrow, 7, 30)) == "1 digest sent, listing 2 notices."
    assert _digests(_at(tomorrow, 7, 45)) == "0 digests sent, listing 0 notices."
    assert _digests(_at(tomorrow, 17, 0)) == "1 digest sent, listing 1 notice."

    [message] = smtp_server.to(early.email)
    assert message["Subject"] == f"Your daily digest: 2 notices for {tomorrow.isoformat()}"
    assert "Volkov" not in text_of(message) and "Volkov" not in html_of(message)
    setting = db.session.get(DigestSetting, early.id)
    assert (setting.last_sent_on, setting.last_count) == (tomorrow, 2)


def test_what_arrives_after_my_time_waits_for_tomorrows_digest_read_ones_marked(
    mail_app, smtp_server
):
    person = make_user(Role.ANALYST)
    first, second = _digest_notices(person, 2)
    services.mark_read(first, actor=person)
    db.session.commit()
    # The notices arrived now; a digest whose time was earlier today does not list them yet.
    now = datetime.now(OFFICE_TIME_ZONE)
    earlier = (now - timedelta(minutes=1)).time()
    services.save_choices(person, {}, earlier)
    db.session.commit()
    assert _digests(now).startswith("0 digests")

    _digests(_at(office_today() + timedelta(days=1), 23, 59))

    [message] = smtp_server.to(person.email)
    assert "already read" in text_of(message)
    assert text_of(message).count("already read") == 1
    db.session.expire_all()
    assert db.session.get(Notification, second.id).digest_mail_id is not None


def test_nothing_is_sent_to_someone_with_nothing_nor_to_someone_gone(mail_app, smtp_server):
    gone = make_user(Role.ANALYST)
    _digest_notices(gone, 1)
    gone.active = False
    make_user(Role.ANALYST)
    db.session.commit()

    assert _digests(_at(TODAY + timedelta(days=1), 12)) == "0 digests sent, listing 0 notices."
    assert smtp_server.messages == []


def test_the_digest_runs_every_quarter_hour_once_a_slot_as_a_job(mail_app, smtp_server):
    person = make_user(Role.ANALYST)
    [notice] = _digest_notices(person, 1)
    notice.created_at = utcnow() - timedelta(days=1)
    services.save_choices(person, {}, time(0, 0))
    db.session.commit()

    enqueue_daily(digest.DIGEST_SCHEDULE)
    enqueue_daily(digest.DIGEST_SCHEDULE)  # a second scheduler in the same slot

    [job] = db.session.scalars(select(Job).where(Job.kind == digest.DIGEST_RUN)).all()
    assert job.state is JobState.SUCCEEDED
    assert job.outcome == "1 digest sent, listing 1 notice."
    assert job.run_key.startswith(f"{digest.DIGEST_RUN}@{office_today().isoformat()}T")
    assert len(smtp_server.to(person.email)) == 1
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_digest_runs_page_names_its_slot(mail_app):
    client = mail_app.test_client()
    enqueue_daily(digest.DIGEST_SCHEDULE)
    job = db.session.scalars(select(Job).where(Job.kind == digest.DIGEST_RUN)).one()
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/jobs/{job.id}").text
    slot = job.run_key.partition("@")[2].replace("T", " at ")
    assert "Scheduled run" in page and f"of {slot}" in page
