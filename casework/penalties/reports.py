"""The notice of a proposed civil penalty (§7.309(c)(1)(i))."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer

from casework.penalties import rules
from casework.penalties.models import PenaltyCase
from casework.penalties.services import CapInForce
from casework.reports import NOT_APPROVED
from core import pdf
from core.clocks import office_today
from core.office.rules import DocumentSettings


def _addressee(case: PenaltyCase) -> tuple[list[str], str]:
    """The lines the notice is addressed with, and its salutation: the respondent's (§7.309(a))."""
    if case.provider is not None:
        provider = case.provider
        return provider.letter_address, f"Dear {provider.contact_name}:"
    if case.reseller is not None:
        reseller = case.reseller
        lines = [reseller.contact_name or "", reseller.name, f"({reseller.jurisdiction})"]
        return [line for line in lines if line], f"Dear {reseller.contact_name or reseller.name}:"
    return [case.person_name or "", *(case.person_address or "").splitlines()], (
        f"Dear {case.person_name}:"
    )


def _maximum_rows(maximum: rules.PenaltyMaximum) -> list[tuple[str, ...]]:
    rows = [
        (
            str(line.number),
            f"{line.violation.citation}, {pdf.formal_date(line.violation.occurred_on)}",
            line.violation.transaction or "None",
            f"${line.violation.transaction_value:,}" if line.violation.transaction_value else "—",
            f"${line.maximum:,}",
        )
        for line in maximum.lines
    ]
    return [*rows, ("", "Maximum civil penalty", "", "", f"${maximum.total:,}")]


def cap_text(cap: CapInForce, assessed: rules.AssessedOn) -> str:
    """Which cap, and why that one (§7.309(c)(1), (d)(1); 15 CFR 6.3)."""
    return (
        f"The cap per violation is ${cap.amount:,}, the amount in force on "
        f"{pdf.formal_date(cap.on)} ({cap.source}), {assessed.value}. Each violation's maximum "
        "is the greater of that cap and twice the value of the transaction that is the basis of "
        "the violation (50 U.S.C. 1705(b); §7.309(c)(1)); the maximum for the notice is their sum."
    )


def penalty_notice_pdf(
    case: PenaltyCase, *, maximum: rules.PenaltyMaximum, cap: CapInForce,
    petition_due: date | None, approved: bool, office: DocumentSettings, generated_at: datetime,
) -> bytes:  # fmt: skip
    """The conduct, the laws and rules violated one by one with their transactions, the amount
    proposed and its maximum line by line, and the right to petition within 30 days, as a letter
    the signing official signs."""
    address, salutation = _addressee(case)
    _, assessed = rules.assessment_date(served_on=case.served_on, today=cap.on)
    due = (
        pdf.formal_date(petition_due)
        if petition_due
        else "30 calendar days after service of this notice"
    )
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=case.served_on or office_today(generated_at),
            address=address,
            regarding=f"Notice of proposed civil penalty {case.reference}",
            salutation=salutation,
        ),
        pdf.paragraph(
            f"The Department of Commerce proposes to impose a civil penalty of "
            f"${case.proposed_amount:,} on {case.respondent_name} for the conduct and violations "
            "set out below (15 CFR 7.309(c)(1)(i)).",
            "letter",
        ),
        pdf.paragraph("The conduct", "heading"),
        pdf.paragraph(case.conduct, "letter"),
        pdf.paragraph("The laws and regulations violated", "heading"),
        pdf.table(
            [
                (str(n), f"{rules.VIOLATIONS[v.paragraph][0]}: {rules.VIOLATIONS[v.paragraph][1]}")
                for n, v in enumerate(case.violation_lines, start=1)
            ],
            header=("No.", "Provision and prohibition"),
            col_widths=[0.5 * 72, 6.4 * 72],
        ),
        Spacer(1, 6),
        pdf.paragraph(
            "Each is a violation of 15 CFR part 7, subpart D, issued under the International "
            "Emergency Economic Powers Act (50 U.S.C. 1701 et seq.); civil penalties are set by "
            "section 206 of that Act (50 U.S.C. 1705) as §7.309(c)(1) provides.",
            "letter",
        ),
        pdf.paragraph("The proposed penalty and its maximum", "heading"),
        pdf.paragraph(
            f"The proposed penalty is ${case.proposed_amount:,}. {cap_text(cap, assessed)}",
            "letter",
        ),
        pdf.table(
            _maximum_rows(maximum),
            header=("No.", "Violation", "Transaction", "Value", "Maximum"),
            col_widths=[0.5 * 72, 1.8 * 72, 2.4 * 72, 1.1 * 72, 1.1 * 72],
        ),
        Spacer(1, 6),
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
        title=f"Notice of proposed civil penalty {case.reference}: {case.respondent_name}",
        story=story,
        marking=pdf.FILINGS.with_poc(office.cui_poc),
        generated_at=generated_at,
        draft=unsigned if approved else NOT_APPROVED,
        letter=True,
    )
