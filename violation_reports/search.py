"""What violation reports answer the search box (core.signals.search_asked;
docs/architecture.md §14): a report by its acknowledgement number."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from core.search import services as search
from core.search.rules import Group, Query
from violation_reports.models import ViolationReport
from violation_reports.rules import DIGITS, SERIES


def answer(*, query: Query, limit: int, **_: object) -> list[Group]:
    group = search.reference_group(
        query, series=SERIES, digits=DIGITS, rows=select(ViolationReport),
        column=ViolationReport.acknowledgement, limit=limit, kind="violation_reports",
        title="Violation reports", endpoint="violation_reports.report", shown=_report,
    )  # fmt: skip
    return [group] if group is not None else []


def _report(report: ViolationReport) -> tuple[str, str, str]:
    return (
        report.acknowledgement,
        url_for("violation_reports.report", report_id=report.id),
        f"Violation report (§7.310), {report.state}, received {report.received_on.isoformat()}",
    )
