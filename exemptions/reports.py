"""The decision letter to the provider (§7.306(e)(3)), CUI-marked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core import pdf
from core.consultations.models import Consultation
from exemptions import rules
from exemptions.models import ExemptionCase
from intake.rules import EXEMPTION_SCOPE_LABELS

# The letter restates the provider's program: its proprietary business information.
LETTER_MARKING = pdf.CuiMarking(
    banner="CUI//PROPIN",
    controlled_by=f"Department of Commerce, {pdf.BUREAU}, {pdf.OFFICE}",
    categories=("Proprietary Business Information",),
)


def _scope_text(case: ExemptionCase) -> str:
    data = case.filing.data
    text = EXEMPTION_SCOPE_LABELS.get(case.scope, case.scope)
    if case.scope == "foreign_reseller":
        text += f": {data.get('reseller_name')} ({data.get('reseller_jurisdiction')})"
    elif case.scope == "account_type":
        text += f": {data.get('account_type')}"
    return text


def _outcome_paragraph(case: ExemptionCase) -> str:
    if case.decision == rules.Decision.GRANT:
        due = rules.annual_notification_due(case.decided_on)
        return (
            "The Department finds that the program complies with security best practices to "
            "deter the abuse of IaaS products, and grants the exemption described above "
            "(§7.306(e)). The exemption continues while it remains warranted: notify the "
            "Department of any material change to the program or to the business that may "
            "affect it (§7.309(b)(2)), and send an annual notification of updates to the program, "
            f"the first by {due.isoformat()} (§7.306(f)). The exemption may be revoked at any "
            "time (§7.306(g))."
        )
    return (
        "The Department does not find, on the factors below, that the program complies with "
        "security best practices to deter the abuse of IaaS products; the exemption is denied "
        "(§7.306(e)(3)). The requirements of this subpart continue to apply."
    )


def _consulted(consultations: Sequence[Consultation]) -> str:
    if not consultations:
        return "No agency was consulted on this request."
    return (
        "Before making this finding the Department consulted "
        + "; ".join(f"{c.agency} ({c.position or 'no position recorded'})" for c in consultations)
        + " (§7.306(e)(2))."
    )


def decision_letter_pdf(
    case: ExemptionCase,
    *,
    consultations: Sequence[Consultation],
    approved_by: str | None,
    generated_at: datetime,
) -> bytes:
    provider = case.provider
    outcome = "granted" if case.decision == rules.Decision.GRANT else "denied"
    story = [
        pdf.facts(
            [
                ("To", f"{provider.contact_name}, {provider.contact_title}"),
                ("Provider", provider.legal_name),
                ("Request", f"{case.filing.receipt_number}, received {case.filing.received_on}"),
                ("Exemption requested", _scope_text(case)),
                ("Decision", f"{outcome} on {case.decided_on.isoformat()}"),
                ("Finding approved by", approved_by or "not yet approved"),
            ]
        ),
        pdf.paragraph("Decision", "heading"),
        pdf.paragraph(_outcome_paragraph(case)),
        pdf.paragraph("Factors evaluated (§7.306(e)(3))", "heading"),
        pdf.table(
            [
                (citation, label, case.finding[key]["assessment"], case.finding[key]["reasons"])
                for key, citation, label in rules.FACTORS
            ],
            header=("Paragraph", "Factor", "Assessment", "Reasons"),
        ),
        pdf.paragraph(_consulted(consultations), "small"),
    ]
    return pdf.build_pdf(
        title=f"Exemption {outcome}",
        subtitle="15 CFR 7.306: Customer Identification Program exemption",
        story=story,
        cui=LETTER_MARKING,
        generated_at=generated_at,
    )
