"""The counters of the rate limits, one row per key and window (``core.rate_limits.storage``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db


class RateLimitCounter(db.Model):
    """How many hits a key has had in its current window, and when that window ends.

    The key is kept as its SHA-256: what is counted (a client's address, the email someone
    typed, a token's digest) is never stored, and a key of any length or content fits."""

    __tablename__ = "rate_limit_counters"

    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
