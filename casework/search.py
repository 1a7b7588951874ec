"""What casework answers the search box (core.signals.search_asked; docs/architecture.md §14):
assessments and penalty cases by their references."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from casework.models import Assessment
from casework.penalties.models import PenaltyCase
from core.search import services as search
from core.search.rules import Group, Query

# As casework.services issues them: AS-2026-0042 (§7.305(e)), PN-2026-0042 (§7.309(c)).
ASSESSMENT_SERIES, PENALTY_SERIES, DIGITS = "AS", "PN", 4


def answer(*, query: Query, limit: int, **_: object) -> list[Group]:
    groups = (
        search.reference_group(
            query, series=series, digits=DIGITS,
            rows=select(model).options(joinedload(model.provider)), column=model.reference,
            limit=limit, kind=kind, title=title, endpoint=endpoint, shown=shown,
        )
        for series, model, kind, title, endpoint, shown in (
            (ASSESSMENT_SERIES, Assessment, "assessments", "Assessments",
             "casework.assessment", _assessment),
            (PENALTY_SERIES, PenaltyCase, "penalties", "Penalty cases",
             "casework.penalty", _penalty),
        )
    )  # fmt: skip
    return [group for group in groups if group is not None]


def _assessment(assessment: Assessment) -> tuple[str, str, str]:
    return (
        assessment.reference,
        url_for("casework.assessment", assessment_id=assessment.id),
        f"Compliance assessment of {assessment.provider.legal_name} (§7.305), {assessment.state}, "
        f"opened {assessment.opened_on.isoformat()}",
    )


def _penalty(case: PenaltyCase) -> tuple[str, str, str]:
    return (
        case.reference,
        url_for("casework.penalty", penalty_id=case.id),
        f"Proposed civil penalty on {case.respondent_name} (§7.309(c)), {case.state}, "
        f"proposed {case.proposed_on.isoformat()}",
    )
