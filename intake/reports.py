"""The acknowledgement of receipt every filing gets."""

from __future__ import annotations

from datetime import datetime

from core import clocks, pdf
from intake import rules
from intake.models import Filing


def acknowledgement_pdf(filing: Filing, *, generated_at: datetime) -> bytes:
    spec = rules.kind_spec(filing.kind)
    verdict = filing.timeliness or "not judged (not an annual certification)"
    pairs = [
        ("Receipt number", filing.receipt_number),
        ("Kind", f"{spec.title} ({spec.citation})"),
        ("Provider", filing.provider.legal_name),
        ("Received", clocks.office_time(filing.received_at)),
        ("Channel", filing.channel),
        ("SHA-256 of what was received", pdf.paragraph(filing.payload_sha256, "mono")),
        ("Timeliness", verdict),
        ("Checked by rules version", filing.rules_version),
    ]
    if filing.supersedes is not None:
        pairs.append(("Corrects", filing.supersedes.receipt_number))
    story = [pdf.facts(pairs)]
    if filing.warnings:
        story.append(pdf.paragraph("Accepted with these flags", "heading"))
        story += [
            pdf.paragraph(f"{warning['message']} ({warning['citation']})")
            for warning in filing.warnings
        ]
    story.append(
        pdf.paragraph(
            "The filing is kept exactly as received; the hash above identifies it. A correction "
            "is filed as a new filing that refers to this receipt number.",
            "small",
        )
    )
    return pdf.build_pdf(
        title="Acknowledgement of receipt",
        subtitle=f"15 CFR part 7 subpart D: {spec.title}",
        story=story,
        cui=pdf.CuiMarking.for_filings(),
        generated_at=generated_at,
    )
