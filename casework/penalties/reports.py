"""The notice of a proposed civil penalty (§7.309(c)(1)(i))."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer

from casework.penalties import rules
from casework.penalties.models import PenaltyCase
from casework.reports import NOT_APPROVED
from core import pdf
from core.clocks import office_today
from core.office.rules import DocumentSettings


def _maximum_text(maximum: rules.PenaltyMaximum) -> str:
    count = maximum.violations
    return (
        f"The maximum civil penalty for these violations is ${maximum.total:,}: for each of the "
        f"{count} violation{'s' if count != 1 else ''}, ${maximum.per_violation:,}, the greater "
        f"of ${maximum.cap:,} and twice the value of the transaction (50 U.S.C. 1705(b); "
        "§7.309(c)(1))."
    )


def penalty_notice_pdf(
    case: PenaltyCase, *, maximum: rules.PenaltyMaximum, petition_due: date | None,
    approved: bool, office: DocumentSettings, generated_at: datetime,
) -> bytes:  # fmt: skip
    """The conduct, the laws and rules violated, the amount proposed and its maximum, and the
    right to petition within 30 days, as a letter the signing official signs."""
    provider = case.provider
    due = (
        pdf.formal_date(petition_due)
        if petition_due
        else "30 calendar days after service of this notice"
    )
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=case.served_on or office_today(generated_at),
            address=provider.letter_address,
            regarding=f"Notice of proposed civil penalty {case.reference}",
            salutation=f"Dear {provider.contact_name}:",
        ),
        pdf.paragraph(
            f"The Department of Commerce proposes to impose a civil penalty of "
            f"${case.proposed_amount:,} on {provider.legal_name} for the conduct and violations "
            "set out below (15 CFR 7.309(c)(1)(i)).",
            "letter",
        ),
        pdf.paragraph("The conduct", "heading"),
        pdf.paragraph(case.conduct, "letter"),
        pdf.paragraph("The laws and regulations violated", "heading"),
        pdf.table(
            [rules.VIOLATIONS[code] for code in case.violation_codes],
            header=("Provision", "Prohibition"),
            col_widths=[1.3 * 72, 5.6 * 72],
        ),
        Spacer(1, 6),
        pdf.paragraph(
            "Each is a violation of 15 CFR part 7, subpart D, issued under the International "
            "Emergency Economic Powers Act (50 U.S.C. 1701 et seq.); civil penalties are set by "
            "section 206 of that Act (50 U.S.C. 1705) as §7.309(c)(1) provides.",
            "letter",
        ),
        pdf.paragraph("The proposed penalty", "heading"),
        pdf.paragraph(
            f"The proposed penalty is ${case.proposed_amount:,}. {_maximum_text(maximum)}",
            "letter",
        ),
        pdf.signature(
            "You may make a written petition as to why a penalty should not be imposed within 30 "
            f"calendar days of service of this notice, that is, by {due} (§7.309(c)(1)(i)). The "
            "Secretary will review any petition and issue a final administrative decision "
            "within 30 calendar days of its receipt (§7.309(c)(1)(ii)).",
            office.provider_signer,
            heading="Your right to petition",
        ),
    ]
    unsigned = None if office.provider_signer else pdf.UNSIGNED
    return pdf.build_pdf(
        title=f"Notice of proposed civil penalty {case.reference}: {provider.legal_name}",
        story=story,
        marking=pdf.FILINGS.with_poc(office.cui_poc),
        generated_at=generated_at,
        draft=unsigned if approved else NOT_APPROVED,
        letter=True,
    )
