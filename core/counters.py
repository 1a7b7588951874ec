"""Numbers that people quote: receipts, case references. One counter row per series and year,
taken under the database's row lock so that two people acting at once never share a number."""

from __future__ import annotations

from sqlalchemy import Integer, String, update
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db, upsert


class ReferenceCounter(db.Model):
    """The last number issued in a series (``OICTS`` receipts, ``SM`` cases, ...) in a year."""

    __tablename__ = "reference_counters"

    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


def next_reference(series: str, year: int, *, digits: int) -> str:
    """The next reference of ``series`` in ``year``, e.g. ``SM-2026-0042``. The counter row is
    incremented in one UPDATE ... RETURNING, which the database serialises, so concurrent
    transactions never share or skip a number; one that rolls back gives its number back."""
    db.session.execute(
        upsert(ReferenceCounter, db.session.get_bind().dialect.name)
        .values(series=series, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["series", "year"])
    )
    number = db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.series == series, ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
    ).scalar_one()
    return f"{series}-{year}-{number:0{digits}d}"
