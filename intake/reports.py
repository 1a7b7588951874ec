"""The acknowledgement of receipt every filing gets; the template for compiled reseller files."""

from __future__ import annotations

import io
from datetime import datetime

from core import clocks, pdf
from core.office.rules import DocumentSettings
from core.schema import Kind, column_letter
from intake import kinds
from intake.models import Filing
from intake.resellers import rules as reseller_rules


def acknowledgement_pdf(
    filing: Filing, *, office: DocumentSettings, generated_at: datetime
) -> bytes:
    """The receipt of one filing, for the office's screens and the provider's systems alike."""
    spec = kinds.kind_spec(filing.kind)
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
        marking=pdf.FILINGS.with_poc(office.cui_poc),
        generated_at=generated_at,
    )


# --- The template for a compiled foreign-reseller certification (§7.304(f)) --------------------


def reseller_template_xlsx() -> bytes:
    """The header row and one example row on the first sheet (the one that is read back), and
    what each column holds, with its paragraph, on a second."""
    # Imported where a workbook is written: openpyxl brings numpy, some 30 MB a process.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Foreign resellers"
    sheet.append(list(reseller_rules.RESELLER_HEADER))
    sheet.append([reseller_rules.RESELLER_EXAMPLE[name] for name in reseller_rules.RESELLER_HEADER])
    for index, column in enumerate(reseller_rules.RESELLER_COLUMNS, start=1):
        letter = column_letter(index - 1)
        sheet[f"{letter}1"].font = Font(bold=True)
        # Text cells keep dates as YYYY-MM-DD and a telephone's leading + as typed.
        sheet[f"{letter}2"].number_format = "@"
        sheet.column_dimensions[letter].width = 40 if column.kind is Kind.LONG_TEXT else 24
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "what it holds", "how to write it", "citation"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in reseller_rules.RESELLER_COLUMNS:
        guide.append(
            [
                column.name,
                "yes" if column.required else "no",
                column.label,
                column.hint,
                column.citation,
            ]
        )
    for letter, width in zip("ABCDE", (26, 10, 60, 44, 30), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
