"""The notice of a certification's deficiencies: the letter sent to the provider (§7.305(b))."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from core import clocks, pdf
from core.office.rules import DocumentSettings
from intake import kinds
from intake.models import Filing
from intake.reviews.rules import RESUBMISSION_CLOCK


def _in_a_sentence(title: str) -> str:
    """A kind's title inside a sentence: "annual CIP certification", "CIP certification form"."""
    first, _, rest = title.partition(" ")
    return title if first.isupper() else f"{first.lower()} {rest}".strip()


def deficiency_notice_pdf(
    filing: Filing,
    reasons: list[dict[str, str]],
    *,
    review_id: int,
    dated: date,
    office: DocumentSettings,
    generated_at: datetime,
) -> bytes:
    """A short formal letter naming each shortcoming with the paragraph it falls short of, and
    that the period to resubmit runs from the provider's receipt of the notice."""
    provider = filing.provider
    spec = kinds.kind_spec(filing.kind)
    clock = clocks.get(RESUBMISSION_CLOCK)
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=dated,
            address=provider.letter_address,
            regarding=f"Notice of deficiencies in {spec.title} {filing.receipt_number} "
            f"({spec.citation}), review number {review_id}",
            salutation=f"Dear {provider.contact_name}:",
        ),
        pdf.paragraph(
            "Pursuant to 15 CFR 7.305(b), the Department reviewed the "
            f"{_in_a_sentence(spec.title)} "
            f"{provider.legal_name} filed under receipt number {filing.receipt_number}, received "
            f"on {pdf.formal_date(filing.received_on)}, and finds it deficient in the respects "
            "below, each under the paragraph it falls short of.",
            "letter",
        ),
        pdf.table(
            [(reason["citation"], reason["text"]) for reason in reasons],
            ("Paragraph (15 CFR)", "Shortcoming"),
            col_widths=(1.6 * inch, 5.0 * inch),
        ),
        pdf.paragraph(
            f"Resolve these shortcomings and resubmit the certification within {clock.days} "
            "calendar days of your receipt of this notice, as a correction of the filing above "
            "or as a new certification, through the filing API or as the Office directs. The "
            "period runs from the day this notice reaches you, not from the date of this "
            "letter; if the due date falls on a weekend or a federal holiday, it is not moved.",
            "letter",
        ),
        pdf.signature(
            "Please address any questions about this notice to the Office of Information and "
            "Communications Technology and Services, citing the review number above.",
            office.provider_signer,
        ),
    ]
    return pdf.build_pdf(
        title=f"Notice of deficiencies: {provider.legal_name}, {filing.receipt_number}",
        story=story,
        # The reasons restate the provider's program and business (32 CFR 2002.20).
        marking=pdf.BUSINESS.with_poc(office.cui_poc),
        generated_at=generated_at,
        draft=None if office.provider_signer else pdf.UNSIGNED,
        letter=True,
    )
