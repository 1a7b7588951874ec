"""What exemptions answer the search box (core.signals.search_asked; docs/architecture.md
§14): an exemption request by the receipt number of the filing that is the request (§7.306(a)),
which is the case's reference."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.search import services as search
from core.search.rules import Group, Query
from exemptions.models import ExemptionCase
from intake.models import Filing
from intake.search import RECEIPT_DIGITS, RECEIPT_SERIES


def answer(*, query: Query, limit: int, **_: object) -> list[Group]:
    group = search.reference_group(
        query, series=RECEIPT_SERIES, digits=RECEIPT_DIGITS,
        rows=select(ExemptionCase).join(ExemptionCase.filing)
        .options(joinedload(ExemptionCase.filing), joinedload(ExemptionCase.provider)),
        column=Filing.receipt_number, limit=limit, kind="exemptions",
        title="Exemption requests", endpoint="exemptions.case", shown=_case,
        reference_of=lambda case: case.filing.receipt_number,
    )  # fmt: skip
    return [group] if group is not None else []


def _case(case: ExemptionCase) -> tuple[str, str, str]:
    return (
        f"Exemption request {case.filing.receipt_number}",
        url_for("exemptions.case", case_id=case.id),
        f"From {case.provider.legal_name} (§7.306), {case.state}",
    )
