"""The daily digest: once an office day, at the time each person chose, one email listing the
notices they chose to receive that way, by kind and link only (docs/architecture.md §12)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from core import clocks
from core.auth.models import User
from core.clocks import OFFICE_TIME_ZONE
from core.db import db, utcnow
from core.jobs import schedule
from core.notifications import rules, services
from core.notifications.models import DigestSetting, Notification
from core.notifications.rules import DEFAULT_DIGEST_AT, DIGEST_STEP_MINUTES, Delivery
from core.wording import counted

DIGEST_RUN = "notification_digest"
DIGEST_TEMPLATE = "digest"


def send_digests(now: datetime) -> str:
    """Every person whose digest time has come this office day (``now``, office time) and who
    has not had today's digest gets one, listing their digest notices not yet in one: read ones
    too, marked as read, so that each such notice is in exactly one digest. A person with none
    is sent nothing."""
    today = now.date()
    sent = notices = 0
    for user, setting in _waiting(now):
        if setting is not None and setting.last_sent_on == today:
            continue
        due_at = setting.digest_at if setting else DEFAULT_DIGEST_AT
        if due_at > now.time().replace(tzinfo=None):
            continue
        # What arrived after the person's time waits for tomorrow's digest: the person chose when
        # to be written to, and the run every few minutes must not become a stream of mail.
        cut_off = datetime.combine(today, due_at, tzinfo=OFFICE_TIME_ZONE).astimezone(UTC)
        listed = _pending(user, cut_off)
        if listed:
            _send_one(user, listed, today)
            sent, notices = sent + 1, notices + len(listed)
    return f"{counted(sent, 'digest')} sent, listing {counted(notices, 'notice')}."


def _waiting(now: datetime) -> list[tuple[User, DigestSetting | None]]:
    """Active people with a digest notice not yet sent, and their digest's setting."""
    with_pending = (
        select(Notification.user_id)
        .where(Notification.delivery == Delivery.DIGEST, Notification.digest_mail_id.is_(None))
        .distinct()
    )
    rows = db.session.execute(
        select(User, DigestSetting)
        .outerjoin(DigestSetting, DigestSetting.user_id == User.id)
        .where(User.id.in_(with_pending), User.active.is_(True))
        .order_by(User.id)
    )
    return [(user, setting) for user, setting in rows]


def _pending(user: User, cut_off: datetime) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.delivery == Delivery.DIGEST,
                Notification.digest_mail_id.is_(None),
                Notification.created_at <= cut_off,
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def digest_items(notices: list[Notification]) -> list[dict[str, object]]:
    """What the digest says of each notice: its kind and where to read it, never its title
    (which may name the record; ``rules.protected_leaks``)."""
    return [
        {
            "label": rules.label_of(notice.kind),
            "received": clocks.office_time(notice.created_at),
            "read": notice.read_at is not None,
            "link": services.public_link(
                services.path_for("notifications.open_notice", notification_id=notice.id)
            ),
        }
        for notice in notices
    ]


def _send_one(user: User, listed: list[Notification], today: date) -> None:
    mail = services.queue_mail(
        user.email,
        DIGEST_TEMPLATE,
        {
            "day": today,
            "items": digest_items(listed),
            "link": services.public_link(services.path_for("notifications.inbox")),
        },
        recipient=user,
        about=("digest", user.id),
    )
    for notice in listed:
        notice.digest_mail_id = mail.id
    setting = db.session.get(DigestSetting, user.id)
    if setting is None:
        setting = DigestSetting(user_id=user.id, digest_at=DEFAULT_DIGEST_AT)
        db.session.add(setting)
    setting.last_sent_on, setting.last_count = today, len(listed)
    db.session.flush()


def _sample() -> dict[str, object]:
    received = clocks.office_time(utcnow())
    return {
        "day": clocks.office_today(),
        "items": [
            {"label": kind.label, "received": received, "read": number == 1, "link": "#"}
            for number, kind in enumerate(rules.notice_kinds()[:3])
        ],
        "link": "#",
    }


rules.register_sample(DIGEST_TEMPLATE, _sample)

DIGEST_SCHEDULE = schedule.recurring(
    DIGEST_RUN,
    every_minutes=DIGEST_STEP_MINUTES,
    label="Daily digests of notices, each at its person's time",
    run=send_digests,
)
