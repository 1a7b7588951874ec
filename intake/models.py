"""The provider registry."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow


class Provider(db.Model):
    """A U.S. IaaS provider (§7.301), with its Primary Contact (§7.304(a)(1)(vi))."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200), unique=True)
    # Every name the provider does business under, one per line (§7.304(a)(1)(i)).
    business_names_text: Mapped[str] = mapped_column(Text, default="")
    street_address: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(10))
    # A U.S. reseller of another provider's U.S. IaaS products (§7.302(b)).
    is_us_reseller: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_title: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(20))
    # When it first furnished an account to a foreign customer (§7.304(d)).
    first_foreign_account_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def business_names(self) -> list[str]:
        return [name for name in self.business_names_text.splitlines() if name.strip()]
