"""Documents the office issued to providers, and the one-time links that download them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import UTCDateTime, coded, db, utcnow
from intake.correspondence.rules import CorrespondenceKind, Delivery, SentBy, spec_of
from intake.models import Document, Provider


class Correspondence(db.Model):
    """One document issued to a provider: what it is, the record it is about, the PDF as
    issued, and when and how it reached the provider (its sending opens the clock the rule
    starts from receipt)."""

    __tablename__ = "correspondence"
    __table_args__ = (Index("ix_correspondence_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    kind: Mapped[CorrespondenceKind] = mapped_column(
        coded(CorrespondenceKind, constraint="kind_known", length=30)
    )
    # Plain words, never CUI: the provider's own screens and the API list it.
    title: Mapped[str] = mapped_column(String(200))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delivery: Mapped[Delivery] = mapped_column(
        coded(Delivery, constraint="delivery_known", length=12), default=Delivery.QUEUED
    )
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_by: Mapped[SentBy | None] = mapped_column(
        coded(SentBy, constraint="sent_by_known", length=10)
    )
    # The email (core.notifications OutgoingMail) that carries the notice of it.
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"), index=True)
    undelivered_reason: Mapped[str | None] = mapped_column(Text)
    # Who recorded a sending by another means, and how it went.
    sent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_note: Mapped[str | None] = mapped_column(Text)

    provider: Mapped[Provider] = relationship()
    document: Mapped[Document] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    sent_recorded_by: Mapped[User | None] = relationship(foreign_keys=[sent_recorded_by_id])

    @property
    def label(self) -> str:
        return spec_of(self.kind).label

    @property
    def citation(self) -> str:
        return spec_of(self.kind).citation


class DownloadLink(db.Model):
    """A single-use link to a document, sent by email; only the SHA-256 of its token is kept."""

    __tablename__ = "correspondence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    correspondence_id: Mapped[int] = mapped_column(ForeignKey("correspondence.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_from: Mapped[str | None] = mapped_column(String(45))

    correspondence: Mapped[Correspondence] = relationship()
