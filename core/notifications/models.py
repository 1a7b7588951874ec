"""A person's notices and their choices of delivery, and every message the system sends by
email with each attempt to deliver it (docs/architecture.md §12)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import ENCRYPTED, UTCDateTime, coded, db, utcnow
from core.notifications.rules import Delivery, MailState


class OutgoingMail(db.Model):
    """One message as it was sent: rendered once, when it was queued, so what the log shows is
    what the recipient got."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    template: Mapped[str] = mapped_column(String(60), index=True)
    subject_line: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # The record the message is about ("correspondence", "12"), for the receivers of mail_sent.
    about_type: Mapped[str | None] = mapped_column(String(40))
    about_id: Mapped[str | None] = mapped_column(String(40))
    to_provider: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[MailState] = mapped_column(
        coded(MailState, constraint="state_known", length=10), default=MailState.QUEUED, index=True
    )
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    # The server's last reply, or why the message could not be handed over.
    last_answer: Mapped[str | None] = mapped_column(Text)
    # The one-time link the bodies hold a placeholder for (rules.ONE_TIME_LINK), sealed with the
    # field key until the message is handed over, then erased (docs/architecture.md §12).
    one_time_link_sealed: Mapped[str | None] = mapped_column(Text, info=ENCRYPTED)

    recipient: Mapped[User | None] = relationship()
    attempts: Mapped[list[MailAttempt]] = relationship(
        back_populates="mail", order_by="MailAttempt.id", cascade="all, delete-orphan"
    )


class MailAttempt(db.Model):
    """One try at handing a message to the mail server, with what the server said."""

    __tablename__ = "mail_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("outgoing_mail.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    answer: Mapped[str] = mapped_column(Text)

    mail: Mapped[OutgoingMail] = relationship(back_populates="attempts")


class Notification(db.Model):
    """One notice in one person's inbox. Its title may name the record, since it never leaves
    the system; the email that may go with it says only what kind of thing happened."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_inbox", "user_id", "read_at", "created_at"),
        # "Once" notices (a deadline entering its last week) are kept once per person.
        Index("uq_notifications_once", "user_id", "once_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(400))
    link: Mapped[str] = mapped_column(String(400))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(40))
    once_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery: Mapped[Delivery] = mapped_column(
        coded(Delivery, constraint="delivery_known", length=10)
    )
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"))
    # For a notice kept for the digest: the digest it went out in.
    digest_mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"), index=True)

    user: Mapped[User] = relationship()


class NotificationSetting(db.Model):
    """A person's choice of delivery for one kind of notice; without one, the kind's default."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(
        coded(Delivery, constraint="delivery_known", length=10)
    )


class DigestSetting(db.Model):
    """When, in office time, a person's daily digest is sent, and the last office day it was."""

    __tablename__ = "digest_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    digest_at: Mapped[time] = mapped_column(Time)
    last_sent_on: Mapped[date | None] = mapped_column(Date)
    # Kept for the digest's page of settings: how many notices the last digest carried.
    last_count: Mapped[int | None] = mapped_column(Integer)
