"""The channel to providers: issue a document, send it, record how it reached the provider, and
let the provider read it once by a signed link or through the filing API.

Every module issues through ``issue_to_provider``; the owning module opens its clock when told
by ``core.signals.correspondence_sent`` that the document reached the provider.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from core import clocks, crypto, documents, signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.notifications.models import OutgoingMail
from core.notifications.rules import register_sample
from core.notifications.services import path_for, public_link, queue_mail
from intake.correspondence import rules
from intake.correspondence.models import Correspondence, DownloadLink
from intake.correspondence.rules import CorrespondenceKind, Delivery, SentBy
from intake.models import ApiToken, Document, Provider, audit_label_of

SUBJECT = "correspondence"
MAIL_TEMPLATE = "correspondence_issued"


class LinkRefused(DomainError):
    """The one-time link was used already or has expired."""


# --- Issuing ------------------------------------------------------------------------------------


def issue_to_provider(
    provider: Provider,
    kind: CorrespondenceKind,
    *,
    title: str,
    subject: tuple[str, object],
    pdf: bytes,
    filename: str,
    actor: User | None,
    today: date,
    sent_by_hand_on: date | None = None,
    note: str = "",
) -> Correspondence:
    """Keep the document as issued and send it: by email to the provider's contact on record, or,
    with ``sent_by_hand_on``, as sent already by another means on that day (the clock opens on
    it)."""
    document = Document(uploaded_by_id=actor.id if actor else None)
    document.keep(documents.describe(filename, pdf), pdf)
    db.session.add(document)
    db.session.flush()
    correspondence = Correspondence(
        provider_id=provider.id,
        kind=kind,
        title=title[:200],
        subject_type=subject[0],
        subject_id=str(subject[1]),
        document_id=document.id,
        # A letter sent already by other means was issued on the day it went.
        issued_on=min(today, sent_by_hand_on) if sent_by_hand_on else today,
        issued_by_id=actor.id if actor else None,
        delivery=Delivery.QUEUED,
    )
    db.session.add(correspondence)
    db.session.flush()
    record_event(
        "correspondence.issue",
        actor=actor,
        subject=(SUBJECT, correspondence.id),
        after={
            "provider": provider.id,
            "kind": kind.value,
            "about": f"{subject[0]} {subject[1]}",
            "sha256": document.sha256,
        },
    )
    if sent_by_hand_on is not None:
        record_sent_by_hand(
            correspondence, sent_on=sent_by_hand_on, note=note, actor=actor, today=today
        )
    else:
        send_by_email(correspondence, actor=actor)
    return correspondence


def pending_about(
    subject_type: str, subject_id: object, *, provider_id: int | None = None
) -> Correspondence | None:
    """The document about a record already on its way or delivered (to ``provider_id``, where
    a record concerns several providers)."""
    for sent in correspondence_about(subject_type, subject_id):
        if sent.delivery != Delivery.UNDELIVERED and provider_id in (None, sent.provider_id):
            return sent
    return None


def issue_once(
    provider: Provider,
    kind: CorrespondenceKind,
    *,
    title: str,
    subject: tuple[str, object],
    pdf: Callable[[], bytes],
    filename: str,
    actor: User,
    today: date,
) -> Correspondence:
    """Issue a record's document to the provider unless it is on its way or delivered already:
    sending it twice would make two records of one sending."""
    if (sent := pending_about(*subject, provider_id=provider.id)) is not None:
        raise IllegalTransition(
            f"The {sent.label.lower()} was issued to the provider already on {sent.issued_on}."
        )
    return issue_to_provider(
        provider, kind, title=title, subject=subject, pdf=pdf(), filename=filename, actor=actor,
        today=today,
    )  # fmt: skip


def mail_context(correspondence: Correspondence) -> dict[str, object]:
    """What the email says, nothing CUI: the kind and its citation, the reference number, the
    period to answer, and where to read the document (docs/architecture.md §8). The one-time
    link is not among it: queue_mail puts it in only when the message is handed over."""
    spec = rules.spec_of(correspondence.kind)
    clock = clocks.get(spec.clock_key) if spec.clock_key else None
    return {
        "kind_label": spec.label,
        "citation": spec.citation,
        "reference": correspondence.id,
        "issued_on": correspondence.issued_on.isoformat(),
        "answer_within": (
            f"{clock.days} calendar days of receipt of this message ({clock.citation})"
            if clock
            else None
        ),
        "api_url": public_link(
            path_for("intake_api.correspondence_document", correspondence_id=correspondence.id)
        ),
        "link_days": rules.LINK_DAYS,
    }


def _sample_context() -> dict[str, object]:
    """A CIP copy request's notice, for the administrators' preview of the template."""
    sample = Correspondence(
        id=1207, kind=CorrespondenceKind.CIP_COPY_REQUEST, issued_on=clocks.office_today()
    )
    return mail_context(sample)


register_sample(MAIL_TEMPLATE, _sample_context)


def send_by_email(correspondence: Correspondence, *, actor: User | None) -> None:
    """Queue the notice to the provider's contact on record, with a fresh one-time link (which
    the stored message holds only a placeholder for: whoever reads the outbox cannot use it)."""
    mail = queue_mail(
        correspondence.provider.contact_email,
        MAIL_TEMPLATE,
        mail_context(correspondence),
        about=(SUBJECT, correspondence.id),
        actor=actor,
        to_provider=True,
        one_time_link=link_address(new_link(correspondence)),
    )
    correspondence.mail_id = mail.id
    correspondence.delivery = Delivery.QUEUED
    db.session.flush()


def send_again(correspondence: Correspondence, *, actor: User) -> None:
    """An undelivered document sent again, perhaps to a contact corrected since."""
    if correspondence.delivery != Delivery.UNDELIVERED:
        raise IllegalTransition("Only a document that could not be delivered is sent again.")
    record_event("correspondence.send_again", actor=actor, subject=(SUBJECT, correspondence.id))
    send_by_email(correspondence, actor=actor)


# --- How it reached the provider ------------------------------------------------------------------


def record_sent(
    correspondence: Correspondence,
    *,
    sent_on: date,
    sent_by: SentBy,
    actor: User | None = None,
    actor_label: str | None = None,
    note: str | None = None,
) -> None:
    """The document reached the provider on ``sent_on``: the first sending counts, and the module
    owning its subject opens the clock the rule starts from receipt (core.signals)."""
    if correspondence.delivery == Delivery.SENT:
        return
    before = {"delivery": correspondence.delivery.value}
    correspondence.delivery, correspondence.sent_on = Delivery.SENT, sent_on
    correspondence.sent_by, correspondence.sent_note = sent_by, note
    if sent_by == SentBy.HAND and actor is not None:
        correspondence.sent_recorded_by_id = actor.id
    db.session.flush()
    record_event(
        "correspondence.sent",
        actor=actor,
        actor_label=actor_label,
        subject=(SUBJECT, correspondence.id),
        before=before,
        after={"sent_on": sent_on, "sent_by": sent_by.value, "note": note},
    )
    signals.send(signals.correspondence_sent, correspondence=correspondence, actor=actor)


def record_sent_by_hand(
    correspondence: Correspondence, *, sent_on: date, note: str, actor: User | None, today: date
) -> None:
    """An analyst records that the document went by another means (post, courier, in person)."""
    if correspondence.delivery == Delivery.SENT:
        raise IllegalTransition(
            f"This document reached the provider already, on {correspondence.sent_on}."
        )
    if problem := rules.sent_on_problem(
        sent_on=sent_on, issued_on=correspondence.issued_on, today=today
    ):
        raise InvalidInput({"sent_on": [problem]})
    if not note.strip() and correspondence.mail_id is not None:
        raise InvalidInput({"note": ["Say how the document was sent."]})
    record_sent(
        correspondence, sent_on=sent_on, sent_by=SentBy.HAND, actor=actor,
        note=note.strip() or None,
    )  # fmt: skip


def record_undelivered(correspondence: Correspondence, *, reason: str) -> None:
    """The email could not be delivered: the document is flagged on its pages until it is sent
    again or its sending by another means is recorded."""
    if correspondence.delivery == Delivery.SENT:
        return
    correspondence.delivery = Delivery.UNDELIVERED
    correspondence.undelivered_reason = reason[:2000]
    db.session.flush()
    record_event(
        "correspondence.undelivered",
        actor=None,
        actor_label="mail delivery",
        subject=(SUBJECT, correspondence.id),
        after={"reason": correspondence.undelivered_reason},
    )


def _about(mail: OutgoingMail) -> Correspondence | None:
    """The document an email is the notice of, while that email is its latest sending."""
    if mail.about_type != SUBJECT or not (mail.about_id or "").isdigit():
        return None
    correspondence = db.session.get(Correspondence, int(mail.about_id or 0))
    return correspondence if correspondence and correspondence.mail_id == mail.id else None


def on_mail_sent(mail: OutgoingMail) -> None:
    """core.signals.mail_sent: the day the email left is the day of receipt, in office time."""
    if (correspondence := _about(mail)) is not None and mail.sent_at is not None:
        record_sent(
            correspondence,
            sent_on=clocks.office_today(mail.sent_at),
            sent_by=SentBy.EMAIL,
            actor_label="mail delivery",
        )


def on_mail_undeliverable(mail: OutgoingMail, reason: str) -> None:
    if (correspondence := _about(mail)) is not None:
        record_undelivered(correspondence, reason=reason)


# --- Reading it ----------------------------------------------------------------------------------


def get_correspondence(correspondence_id: int) -> Correspondence | None:
    return db.session.get(Correspondence, correspondence_id)


def correspondence_about(subject_type: str, subject_id: object) -> list[Correspondence]:
    """What was issued about one record, newest first, for the record's page."""
    return list(
        db.session.scalars(
            select(Correspondence)
            .where(
                Correspondence.subject_type == subject_type,
                Correspondence.subject_id == str(subject_id),
            )
            .order_by(Correspondence.id.desc())
        )
    )


def latest_about(subject_type: str, subject_id: object) -> Correspondence | None:
    found = correspondence_about(subject_type, subject_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Page:
    items: list[Correspondence]
    total: int
    page: int
    per_page: int


def issued_to(provider_id: int, *, page: int = 1, per_page: int = 50) -> Page:
    """A provider's correspondence, newest first, a page at a time."""
    query = select(Correspondence).where(Correspondence.provider_id == provider_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.order_by(Correspondence.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def undelivered_of(provider_id: int) -> list[Correspondence]:
    return list(
        db.session.scalars(
            select(Correspondence).where(
                Correspondence.provider_id == provider_id,
                Correspondence.delivery == Delivery.UNDELIVERED,
            )
        )
    )


def download_by_staff(correspondence: Correspondence, *, actor: User) -> Document:
    record_event("export.correspondence", actor=actor, subject=(SUBJECT, correspondence.id))
    return correspondence.document


def download_by_api(correspondence: Correspondence, *, token: ApiToken, today: date) -> Document:
    """The provider's system reads the document: if no email had reached it yet, this is its
    receipt."""
    label = audit_label_of(token)
    record_event("export.correspondence", actor=None, actor_label=label,
                 subject=(SUBJECT, correspondence.id))  # fmt: skip
    if correspondence.delivery != Delivery.SENT:
        record_sent(correspondence, sent_on=today, sent_by=SentBy.API, actor_label=label)
    return correspondence.document


# --- The one-time link -------------------------------------------------------------------------


def new_link(correspondence: Correspondence) -> str:
    """A single-use link's token, returned once; only its SHA-256 is kept."""
    plaintext = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        DownloadLink(
            correspondence_id=correspondence.id,
            token_hash=crypto.token_digest(plaintext),
            created_at=now,
            expires_at=rules.link_expires_at(now),
        )
    )
    db.session.flush()
    return plaintext


def link_address(token: str) -> str:
    """The address a one-time link's token opens, as the provider follows it."""
    return public_link(path_for("correspondence.link", token=token))


def link_for(token: str) -> DownloadLink | None:
    return db.session.scalars(
        select(DownloadLink).where(DownloadLink.token_hash == crypto.token_digest(token))
    ).first()


def link_refusal(link: DownloadLink) -> str | None:
    return rules.link_refusal(expires_at=link.expires_at, used_at=link.used_at, now=utcnow())


def use_link(link: DownloadLink, *, address: str, today: date) -> Document:
    """Spend the link on its one download; two presses at once download it once."""
    if refusal := link_refusal(link):
        raise LinkRefused(refusal)
    spent = db.session.execute(
        update(DownloadLink)
        .where(DownloadLink.id == link.id, DownloadLink.used_at.is_(None))
        .values(used_at=utcnow(), used_from=address[:45])
    )
    if spent.rowcount != 1:
        raise LinkRefused(rules.link_refusal(expires_at=link.expires_at, used_at=utcnow(),
                                             now=utcnow()) or "")  # fmt: skip
    correspondence = link.correspondence
    record_event(
        "export.correspondence",
        actor=None,
        actor_label="one-time download link",
        subject=(SUBJECT, correspondence.id),
        after={"link": link.id, "from": address[:45]},
    )
    if correspondence.delivery != Delivery.SENT:
        record_sent(correspondence, sent_on=today, sent_by=SentBy.EMAIL,
                    actor_label="one-time download link")  # fmt: skip
    return correspondence.document
