"""What special measures answer the search box (core.signals.search_asked;
docs/architecture.md §14): special-measure cases by their references."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.search import services as search
from core.search.rules import Group, Query
from special_measures.models import SpecialMeasureCase

# As special_measures.services issues them: SM-2026-0042 (§7.307).
SERIES, DIGITS = "SM", 4


def answer(*, query: Query, limit: int, **_: object) -> list[Group]:
    group = search.reference_group(
        query, series=SERIES, digits=DIGITS, rows=select(SpecialMeasureCase),
        column=SpecialMeasureCase.reference, limit=limit, kind="special_measures",
        title="Special-measure cases", endpoint="special_measures.case", shown=_case,
    )  # fmt: skip
    return [group] if group is not None else []


def _case(case: SpecialMeasureCase) -> tuple[str, str, str]:
    return (
        case.reference,
        url_for("special_measures.case", case_id=case.id),
        f"Special measure (§7.307) on {case.subject_label}, {case.state}, referred "
        f"{case.referral_received_on.isoformat()}",
    )
