"""Casework documents: the report of a compliance assessment (§7.305(a), (f))."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from casework import rules
from casework.models import Assessment
from core import pdf
from core.office.rules import DocumentSettings

NOT_APPROVED = "DRAFT: not approved by a reviewer"


def assessment_report_pdf(
    assessment: Assessment, *, risk_lines: list[dict], approved_by: str | None,
    office: DocumentSettings, generated_at: datetime,
) -> bytes:  # fmt: skip
    """The assessment report (§7.305(a), (f)): scope, risk score explained, findings with their
    citations, recommendations, the remediation due date and the reviewer's approval."""
    deadline = assessment.remediation_deadline
    due = f"{pdf.formal_date(deadline.due_on)} ({deadline.citation})" if deadline else "—"
    story: list[Flowable] = [
        pdf.facts(
            [
                ("Assessment", assessment.reference),
                ("Provider", assessment.provider.legal_name),
                ("Opened", f"{pdf.formal_date(assessment.opened_on)}, from {assessment.origin}"),
                (
                    "Issued",
                    pdf.formal_date(assessment.issued_on) if assessment.issued_on else "not yet",
                ),
                ("Approved by", approved_by or "not yet approved"),
            ]
        ),
        pdf.paragraph("Scope", "heading"),
        pdf.paragraph(assessment.scope),
        pdf.paragraph(f"Risk score when opened: {assessment.risk_score} (§7.305(d))", "heading"),
        pdf.table(
            [
                (
                    line["criterion"],
                    line["explanation"],
                    f"{line['count']} × {line['weight']} = {line['count'] * line['weight']}",
                )
                for line in risk_lines
            ]
            or [("—", "Nothing the system knew added to the score.", "0")],
            header=("Criterion", "What the system knew", "Points"),
            col_widths=[1.3 * 72, 4.2 * 72, 1.4 * 72],
        ),
        pdf.paragraph("Findings and recommended remediation (§7.305(a), (f)(1))", "heading"),
        pdf.table(
            [
                (
                    rules.CIP_REQUIREMENTS[f.requirement][0],
                    f.shortcoming,
                    f"{rules.RECOMMENDATION_KINDS[f.recommendation_kind][0]}: {f.recommendation}",
                )
                for f in assessment.findings
            ]
            or [("—", "The CIP meets the requirements of §7.302(b)–(f).", "None")],
            header=("Requirement", "Shortcoming", "Recommendation"),
            col_widths=[1.2 * 72, 2.9 * 72, 2.8 * 72],
        ),
        pdf.paragraph("Remediation", "heading"),
        pdf.paragraph(
            f"Resolve the shortcomings and resubmit the CIP for further inspection by {due}."
            if assessment.findings
            else "No remediation is required."
        ),
    ]
    return pdf.build_pdf(
        title=f"Compliance assessment {assessment.reference}",
        subtitle=f"15 CFR 7.305 · {assessment.provider.legal_name}",
        story=story,
        marking=pdf.FILINGS.with_poc(office.cui_poc),
        generated_at=generated_at,
        draft=None if approved_by else NOT_APPROVED,
    )
