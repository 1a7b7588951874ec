"""Casework documents: the notice of a proposed civil penalty (§7.309(c)(1)(i))."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer

from casework import rules
from casework.models import Assessment, PenaltyCase
from core import pdf

NOT_APPROVED = "DRAFT: not approved by a reviewer"


def penalty_notice_pdf(
    case: PenaltyCase, *, maximum: rules.PenaltyMaximum, petition_due: date | None,
    approved_by: str | None, generated_at: datetime,
) -> bytes:  # fmt: skip
    """The conduct, the laws and rules violated, the amount proposed and its maximum, and the
    right to petition within 30 days."""
    provider = case.provider
    served = case.served_on.isoformat() if case.served_on else "not yet served"
    due = (
        petition_due.isoformat()
        if petition_due
        else "30 calendar days after service of this notice"
    )
    story: list[Flowable] = [
        pdf.facts(
            [
                ("Notice", case.reference),
                (
                    "To",
                    f"{provider.legal_name}, {provider.street_address}, {provider.city}, "
                    f"{provider.state} {provider.postal_code}",
                ),
                ("Attention", f"{provider.contact_name}, {provider.contact_title}"),
                ("Served", served),
                ("Approved by", approved_by or "not yet approved"),
            ]
        ),
        pdf.paragraph("The conduct", "heading"),
        pdf.paragraph(case.conduct),
        pdf.paragraph("The laws and regulations violated", "heading"),
        pdf.table(
            [rules.VIOLATIONS[code] for code in case.violation_codes],
            header=("Provision", "Prohibition"),
            col_widths=[1.3 * 72, 5.6 * 72],
        ),
        pdf.paragraph(
            "Each is a violation of 15 CFR part 7, subpart D, issued under the International "
            "Emergency Economic Powers Act (50 U.S.C. 1701 et seq.); civil penalties are set by "
            "section 206 of that Act (50 U.S.C. 1705) as §7.309(c)(1) provides."
        ),
        pdf.paragraph("The proposed penalty", "heading"),
        pdf.facts(
            [
                ("Proposed penalty", f"${case.proposed_amount:,}"),
                ("Maximum civil penalty", maximum.arithmetic(case.cap_source)),
            ]
        ),
        pdf.paragraph("Your right to petition", "heading"),
        pdf.paragraph(
            "You may make a written petition as to why a penalty should not be imposed within 30 "
            f"calendar days of service of this notice, that is, by {due} (§7.309(c)(1)(i)). The "
            "Secretary will review any petition and issue a final administrative decision "
            "within 30 calendar days of its receipt (§7.309(c)(1)(ii))."
        ),
        Spacer(1, 24),
        pdf.paragraph("______________________________\nFor the Secretary of Commerce"),
    ]
    return pdf.build_pdf(
        title=f"Notice of proposed civil penalty {case.reference}",
        subtitle=f"15 CFR 7.309 · {provider.legal_name}",
        story=story,
        cui=pdf.CuiMarking.for_filings(),
        generated_at=generated_at,
        draft=None if approved_by else NOT_APPROVED,
    )


def assessment_report_pdf(
    assessment: Assessment, *, risk_lines: list[dict], approved_by: str | None,
    generated_at: datetime,
) -> bytes:  # fmt: skip
    """The assessment report (§7.305(a), (f)): scope, risk score explained, findings with their
    citations, recommendations, the remediation due date and the reviewer's approval."""
    deadline = assessment.remediation_deadline
    due = f"{deadline.due_on.isoformat()} ({deadline.computation})" if deadline else "—"
    story: list[Flowable] = [
        pdf.facts(
            [
                ("Assessment", assessment.reference),
                ("Provider", assessment.provider.legal_name),
                ("Opened", f"{assessment.opened_on.isoformat()}, from {assessment.origin}"),
                ("Issued", assessment.issued_on.isoformat() if assessment.issued_on else "not yet"),
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
        cui=pdf.CuiMarking.for_filings(),
        generated_at=generated_at,
        draft=None if approved_by else NOT_APPROVED,
    )
