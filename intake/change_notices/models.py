"""A notice of §7.309(b) a provider gave, or owes: what changed and when, when its notice came,
and when the Department learned of the change by other means."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.models import User
from core.db import UTCDateTime, coded, db, utcnow
from intake.change_notices.rules import NoticeFacts, Obligation, Standing, standing
from intake.models import Provider


class ChangeNotice(db.Model):
    __tablename__ = "change_notices"
    __table_args__ = (
        # Recorded either from the provider's notice or from what the Department learned.
        CheckConstraint(
            "notice_received_on IS NOT NULL OR learned_on IS NOT NULL", name="notice_or_knowledge"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    obligation: Mapped[Obligation] = mapped_column(
        coded(Obligation, constraint="obligation_known", length=30)
    )
    changed_on: Mapped[date] = mapped_column(Date)
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    learned_on: Mapped[date | None] = mapped_column(Date)
    learned_from: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider] = relationship()
    recorded_by: Mapped[User] = relationship()

    @property
    def facts(self) -> NoticeFacts:
        return NoticeFacts(
            Obligation(self.obligation), self.changed_on, self.notice_received_on, self.learned_on
        )

    @property
    def standing(self) -> Standing:
        return standing(notice_received_on=self.notice_received_on, learned_on=self.learned_on)
