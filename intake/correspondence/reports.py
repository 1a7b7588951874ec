"""The letters intake itself issues: a request for a copy of a CIP (§7.305(a), §7.303(d)) and a
request for additional information about a training report (§7.308(e))."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.platypus import Flowable

from core import clocks, pdf
from core.office.rules import DocumentSettings
from intake.correspondence.rules import CorrespondenceKind, spec_of
from intake.models import DepartmentRequest

# What each request asks for, in the words of the paragraph it applies.
ASKED = {
    CorrespondenceKind.CIP_COPY_REQUEST: (
        "Pursuant to 15 CFR 7.305(a), the Department requests a copy of the customer "
        "identification program (CIP) that {firm} maintains under 15 CFR 7.302."
    ),
    CorrespondenceKind.RESELLER_CIP_COPY_REQUEST: (
        "Pursuant to 15 CFR 7.303(d), the Department requests a copy of the customer "
        "identification program (CIP) of {firm}'s foreign reseller {reseller}."
    ),
    CorrespondenceKind.INFORMATION_REQUEST: (
        "Pursuant to 15 CFR 7.308(e), the Department requests additional information about the "
        "report {firm} filed under receipt number {receipt}. The information requested: {note}"
    ),
}
ANSWER = {
    CorrespondenceKind.CIP_COPY_REQUEST: "Send the copy",
    CorrespondenceKind.RESELLER_CIP_COPY_REQUEST: "Send the copy",
    CorrespondenceKind.INFORMATION_REQUEST: "File a follow-up report (15 CFR 7.308(c)(3))",
}


def request_letter_pdf(
    request: DepartmentRequest,
    kind: CorrespondenceKind,
    *,
    dated: date,
    office: DocumentSettings,
    generated_at: datetime,
) -> bytes:
    """A short formal letter: what is asked under which paragraph, and that the clock runs from
    the provider's receipt of the letter, not from its date."""
    provider = request.provider
    spec = spec_of(kind)
    clock = clocks.get(spec.clock_key or "")
    asked = ASKED[kind].format(
        firm=provider.legal_name,
        reseller=request.reseller.name if request.reseller else "",
        receipt=request.filing.receipt_number if request.filing else "",
        note=request.note or "",
    )
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=dated,
            address=provider.letter_address,
            regarding=f"{spec.label} ({spec.citation}), request number {request.id}",
            salutation=f"Dear {provider.contact_name}:",
        ),
        pdf.paragraph(asked, "letter"),
        pdf.paragraph(
            f"{ANSWER[kind]} within {clock.days} calendar days of your receipt of this request "
            f"({clock.citation}). The period runs from the day this request reaches you, not "
            "from the date of this letter; the Department records that day when the request is "
            "delivered.",
            "letter",
        ),
        pdf.paragraph(
            f"You may answer through the filing API, citing request number {request.id}, or as "
            "the Office directs. If the due date falls on a weekend or a federal holiday, it is "
            "not moved.",
            "letter",
        ),
        pdf.signature(
            "Please address any questions about this request to the Office of Information and "
            "Communications Technology and Services, citing the request number above.",
            office.provider_signer,
        ),
    ]
    return pdf.build_pdf(
        title=f"{spec.label}: {provider.legal_name}, request {request.id}",
        story=story,
        marking=pdf.BUSINESS.with_poc(office.cui_poc) if request.filing else pdf.UNCLASSIFIED,
        generated_at=generated_at,
        draft=None if office.provider_signer else pdf.UNSIGNED,
        letter=True,
    )
