"""Use cases of notices and mail: tell people of what concerns them, in their inbox and by the
email they chose; render, queue and deliver a message in a job, retried, with each attempt
logged (docs/architecture.md §12)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import TemplateError
from markupsafe import escape
from sqlalchemy import Select, func, select, update

from core import crypto, signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.jobs import registry
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork
from core.notifications import rules, transport
from core.notifications.models import (
    DigestSetting,
    MailAttempt,
    Notification,
    NotificationSetting,
    OutgoingMail,
)
from core.notifications.rules import DEFAULT_DIGEST_AT, DELIVERED, Delivery, MailState

MAIL_DELIVERY = "mail_delivery"
# Where each person chooses how they are told (core/notifications/views.py), named in every
# message so that a recipient can change what they receive.
SETTINGS_PATH = "/notifications/settings"
# A mail server down for an afternoon still gets the message: ten seconds after the first
# failure, then four times longer each time (core.jobs.rules.retry_delay), about 15 hours in all.
MAIL_ATTEMPTS = 8


# --- Telling people -----------------------------------------------------------------------------


def notify(
    recipients: Iterable[User],
    kind: str,
    *,
    title: str,
    link: str,
    subject: tuple[str, object] | None = None,
    once_key: str | None = None,
    mail_context: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """Put a notice in each active recipient's inbox and email it as they chose (at once now;
    in a digest later). ``title`` is the inbox's line and may name the record; ``mail_context``
    is all the email may say and must hold nothing protected (``rules.protected_leaks``). With
    ``once_key``, a person already told of that key is not told again."""
    notice_kind = rules.kind_named(kind)
    told = []
    for user in dict.fromkeys(recipients):
        if not user.active or _already_told(user, once_key):
            continue
        delivery = rules.delivery_for(notice_kind, _chosen(user, kind))
        notification = Notification(
            user_id=user.id,
            kind=kind,
            title=title[:400],
            link=link,
            subject_type=subject[0] if subject else None,
            subject_id=str(subject[1]) if subject else None,
            once_key=once_key,
            delivery=delivery,
        )
        db.session.add(notification)
        db.session.flush()
        if delivery is Delivery.AT_ONCE:
            mail = queue_mail(
                user.email,
                kind,
                {**(mail_context or {}), "link": public_link(link), "kind": notice_kind},
                recipient=user,
                about=("notification", notification.id),
            )
            notification.mail_id = mail.id
        told.append(notification)
    db.session.flush()
    return told


def _already_told(user: User, once_key: str | None) -> bool:
    if once_key is None:
        return False
    return (
        db.session.scalar(
            select(Notification.id).where(
                Notification.user_id == user.id, Notification.once_key == once_key
            )
        )
        is not None
    )


def _chosen(user: User, kind: str) -> Delivery | None:
    setting = db.session.get(NotificationSetting, (user.id, kind))
    return setting.delivery if setting else None


# --- Each person's choices ---------------------------------------------------------------------


def deliveries_of(user: User) -> dict[str, Delivery]:
    """How each kind of notice reaches the person: as they chose, else the kind's default."""
    chosen = {
        setting.kind: setting.delivery
        for setting in db.session.scalars(
            select(NotificationSetting).where(NotificationSetting.user_id == user.id)
        )
    }
    return {
        kind.name: rules.delivery_for(kind, chosen.get(kind.name)) for kind in rules.notice_kinds()
    }


def digest_time_of(user: User) -> time:
    setting = db.session.get(DigestSetting, user.id)
    return setting.digest_at if setting else DEFAULT_DIGEST_AT


def save_choices(user: User, deliveries: Mapping[str, Delivery], digest_at: time) -> None:
    """Keep the person's choices, audited with what each change was."""
    before, after = {}, {}
    was = deliveries_of(user)
    for kind, delivery in deliveries.items():
        rules.kind_named(kind)  # a kind that is not one is refused (KeyError)
        setting = db.session.get(NotificationSetting, (user.id, kind))
        if setting is None:
            db.session.add(NotificationSetting(user_id=user.id, kind=kind, delivery=delivery))
        else:
            setting.delivery = delivery
        if was[kind] is not delivery:
            before[kind], after[kind] = was[kind].value, delivery.value
    digest = db.session.get(DigestSetting, user.id)
    old_time = digest.digest_at if digest else DEFAULT_DIGEST_AT
    if digest is None:
        db.session.add(DigestSetting(user_id=user.id, digest_at=digest_at))
    else:
        digest.digest_at = digest_at
    if old_time != digest_at:
        before["digest_at"], after["digest_at"] = (
            old_time.isoformat("minutes"),
            digest_at.isoformat("minutes"),
        )
    db.session.flush()
    if after:
        record_event(
            "notification.settings",
            actor=user,
            subject=("user", user.id),
            before=before,
            after=after,
        )


# --- The inbox -------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """The count in the header of every page: one query on ``ix_notifications_inbox``."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def inbox_query(user: User) -> Select[tuple[Notification]]:
    """A person's notices, unread first, then newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )


def notice_of(user: User, notification_id: int) -> Notification | None:
    """One of the person's own notices; another's is not found, as if it did not exist."""
    notice = db.session.get(Notification, notification_id)
    return notice if notice is not None and notice.user_id == user.id else None


def safe_link(link: str) -> str | None:
    """A notice's link as a path inside the application, never an address elsewhere."""
    return link if link.startswith("/") and not link.startswith(("//", "/\\")) else None


def mark_read(notice: Notification, *, actor: User) -> None:
    if notice.read_at is not None:
        return
    notice.read_at = utcnow()
    db.session.flush()
    record_event(
        "notification.read", actor=actor, subject=("notification", notice.id), after={"read": 1}
    )


def mark_all_read(actor: User) -> int:
    """Every unread notice of the person, read now; how many there were."""
    read = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if read:
        record_event(
            "notification.read_all", actor=actor, subject=("user", actor.id), after={"read": read}
        )
    db.session.flush()
    return read


# --- Mail ---------------------------------------------------------------------------------------


def path_for(endpoint: str, **values: Any) -> str:
    """The address of a page inside the application, from the application's root, as a notice
    keeps it: built the same in a request and in the job worker, which has none."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def public_link(path: str) -> str:
    """An address inside the application as the recipient opens it (``PUBLIC_URL``)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def render_mail(template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """The subject line, text and HTML of ``templates/mail/<template>.*``."""
    # Without the pages' context (navigation, the signed-in user): a message is rendered in the
    # job worker as well as in requests, and for its recipient rather than whoever acted.
    values = {"office_name": current_app.config["OFFICE_NAME"], **context}
    subject, text, html = (
        current_app.jinja_env.get_template(f"mail/{template}.{part}").render(**values)
        for part in ("subject.txt", "txt", "html")
    )
    return " ".join(subject.split()), text, html


def queue_mail(
    to_address: str,
    template: str,
    context: Mapping[str, Any],
    *,
    recipient: User | None = None,
    about: tuple[str, object] | None = None,
    actor: User | None = None,
    to_provider: bool = False,
    one_time_link: str | None = None,
) -> OutgoingMail:
    """Render the message, store it, and queue its delivery (a job, sent once the caller's
    transaction commits). A message to a provider is an audit event when queued and when sent.

    A ``one_time_link`` is never stored in the message: the template's ``one_time_link`` renders
    as a placeholder, the link is kept sealed beside it and put in at hand-over (``_deliver``)."""
    if recipient is not None:
        context = {**context, "recipient": recipient, "settings_link": public_link(SETTINGS_PATH)}
    if one_time_link is not None:
        context = {**context, "one_time_link": rules.ONE_TIME_LINK}
    subject_line, text, html = render_mail(template, context)
    if one_time_link is not None and not rules.holds_one_time_link(text, html):
        raise ValueError(f"mail/{template} does not show the one-time link it was given")
    mail = OutgoingMail(
        to_address=to_address,
        recipient_user_id=recipient.id if recipient else None,
        template=template,
        subject_line=subject_line[:300],
        text_body=text,
        html_body=html,
        about_type=about[0] if about else None,
        about_id=str(about[1]) if about else None,
        to_provider=to_provider,
        state=MailState.QUEUED,
        one_time_link_sealed=crypto.encrypt(one_time_link) if one_time_link else None,
    )
    db.session.add(mail)
    db.session.flush()
    job = jobs.enqueue(MAIL_DELIVERY, subject=("outgoing_mail", mail.id), actor=actor)
    mail.job_id = job.id
    if to_provider:
        record_event(
            "mail.queue",
            actor=actor,
            subject=("outgoing_mail", mail.id),
            after={"to": to_address, "template": template, "about": list(about or [])},
        )
    db.session.flush()
    return mail


def _deliver(job: Job, work: JobWork) -> str:
    mail = db.session.get(OutgoingMail, job.subject_id)
    if mail is None:
        raise jobs.JobRefused("the message is no longer kept")
    if mail.state in DELIVERED:
        return f"Already delivered to {mail.to_address}."
    config = current_app.config
    text, html = _as_handed_over(mail)
    message = transport.build_message(
        sender=config["MAIL_SENDER"],
        to_address=mail.to_address,
        subject=mail.subject_line,
        text=text,
        html=html,
        domain=config.get("MAIL_MESSAGE_ID_DOMAIN"),
    )
    handed = transport.hand_over(message, config)
    # Handed over (or kept where no server is set), the link is needed no more: nothing that
    # stays in the database opens it.
    mail.one_time_link_sealed = None
    mail.state = MailState.KEPT if handed.kept else MailState.SENT
    mail.sent_at, mail.message_id, mail.last_answer = utcnow(), handed.message_id, handed.answer
    mail.attempts.append(MailAttempt(succeeded=True, answer=handed.answer))
    if mail.to_provider:
        record_event(
            "mail.send",
            actor=None,
            actor_label="job worker",
            subject=("outgoing_mail", mail.id),
            after={"to": mail.to_address, "state": mail.state.value, "answer": handed.answer},
        )
    db.session.flush()
    signals.send(signals.mail_sent, mail=mail)
    return f"Delivered to {mail.to_address}: {handed.answer}."


def _as_handed_over(mail: OutgoingMail) -> tuple[str, str]:
    """The text and HTML bodies with their one-time link put in, unsealed only here."""
    if mail.one_time_link_sealed is None:
        return mail.text_body, mail.html_body
    link = crypto.decrypt(mail.one_time_link_sealed)
    return (
        rules.with_one_time_link(mail.text_body, link),
        rules.with_one_time_link(mail.html_body, str(escape(link))),
    )


def _attempt_failed(job: Job, reason: str) -> None:
    mail = db.session.get(OutgoingMail, job.subject_id)
    if mail is not None:
        reason = reason.removeprefix(f"{transport.MailNotTaken.__name__}: ")
        mail.last_answer = reason
        mail.attempts.append(MailAttempt(succeeded=False, answer=reason))


def _undeliverable(job: Job, reason: str) -> None:
    mail = db.session.get(OutgoingMail, job.subject_id)
    if mail is None:
        return
    mail.state = MailState.FAILED
    mail.one_time_link_sealed = None
    if mail.to_provider:
        record_event(
            "mail.fail",
            actor=None,
            actor_label="job worker",
            subject=("outgoing_mail", mail.id),
            after={"to": mail.to_address, "reason": reason},
        )
    db.session.flush()
    signals.send(signals.mail_undeliverable, mail=mail, reason=reason)


def _message_page(job: Job) -> tuple[str, dict[str, object]] | None:
    return ("outbox.message", {"mail_id": job.subject_id}) if job.subject_id else None


registry.register(
    JobKind(
        MAIL_DELIVERY,
        label="Email delivery",
        run=_deliver,
        on_error=_attempt_failed,
        on_failure=_undeliverable,
        subject_page=_message_page,
        max_attempts=MAIL_ATTEMPTS,
    )
)


# --- The administrators' pages of mail ---------------------------------------------------------


def outbox_query(state: MailState | None = None) -> Select[tuple[OutgoingMail]]:
    """Every outgoing message, newest first, of one state if named."""
    query = select(OutgoingMail).order_by(OutgoingMail.queued_at.desc(), OutgoingMail.id.desc())
    return query if state is None else query.where(OutgoingMail.state == state)


def get_mail(mail_id: int) -> OutgoingMail | None:
    return db.session.get(OutgoingMail, mail_id)


@dataclass(frozen=True)
class MessageTemplate:
    """A message's templates under ``templates/mail/``, with its kind of notice if it is one."""

    name: str
    parts: frozenset[str]
    kind: rules.NoticeKind | None

    @property
    def complete(self) -> bool:
        return self.parts == MAIL_PARTS

    @property
    def label(self) -> str:
        return self.kind.label if self.kind else self.name.replace("_", " ").capitalize()


MAIL_PARTS = frozenset({"subject.txt", "txt", "html"})


def message_templates() -> list[MessageTemplate]:
    """Every message the system can send, by the files of ``templates/mail/`` (the layouts,
    named with a leading underscore, are left out)."""
    found: dict[str, set[str]] = {}
    for path in (Path(current_app.root_path) / current_app.template_folder / "mail").iterdir():
        name, _, part = path.name.partition(".")
        if not name.startswith("_") and part:
            found.setdefault(name, set()).add(part)
    known = {kind.name: kind for kind in rules.notice_kinds()}
    return [
        MessageTemplate(name, frozenset(parts), known.get(name))
        for name, parts in sorted(found.items())
    ]


def preview(template: MessageTemplate, recipient: User) -> tuple[str, str, str] | str:
    """The message rendered with its registered sample (``rules.register_sample``), or why it
    could not be: a template without a sample, or whose sample lacks what it names."""
    sample = rules.sample_for(template.name)
    if sample is None:
        return "No sample context is registered for this template (rules.register_sample)."
    context = {
        "link": public_link(path_for("notifications.inbox")),
        "one_time_link": rules.ONE_TIME_LINK,
        "kind": template.kind,
        **sample(),
        "recipient": recipient,
        "settings_link": public_link(SETTINGS_PATH),
    }
    try:
        return render_mail(template.name, context)
    except (TemplateError, AttributeError, TypeError) as error:
        return f"The template could not be rendered with its sample: {error}"
