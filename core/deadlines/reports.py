"""The deadline board as a PDF for meetings and files."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import inch

from core import pdf
from core.deadlines.services import BoardRow
from core.navigation import MODULE_LABELS
from core.office.rules import DocumentSettings

# A special measure's dates are public once it is issued (its notice is published, §7.307(a)(5));
# every other clock runs on a provider's filings, assessment, penalty or exemption request.
PUBLIC_MODULES = frozenset({"special_measures"})


def marking_for(rows: list[BoardRow], office: DocumentSettings) -> pdf.Marking:
    if all(row.deadline.module in PUBLIC_MODULES for row in rows):
        return pdf.UNCLASSIFIED
    return pdf.FILINGS.with_poc(office.cui_poc)


def board_pdf(
    rows: list[BoardRow], *, filters: dict[str, str], office: DocumentSettings,
    generated_at: datetime,
) -> bytes:  # fmt: skip
    shown = ", ".join(f"{name}: {value}" for name, value in filters.items() if value)
    table = pdf.table(
        [
            (
                row.urgency.value,
                row.deadline.due_on.isoformat(),
                f"{row.clock_title} ({row.deadline.citation})",
                row.deadline.subject_label,
                MODULE_LABELS[row.deadline.module],
                row.deadline.computation
                + (f" Warning: {row.date_warning}." if row.date_warning else ""),
            )
            for row in rows
        ],
        header=("Status", "Due on", "Clock", "Subject", "Module", "How the date was computed"),
        col_widths=[0.7 * inch, 0.95 * inch, 1.35 * inch, 1.5 * inch, 1.0 * inch, 1.5 * inch],
    )
    summary = f"{len(rows)} open deadline(s). Filters: {shown or 'none'}."
    return pdf.build_pdf(
        title="Open deadlines",
        subtitle=summary,
        story=[table],
        marking=marking_for(rows, office),
        generated_at=generated_at,
    )
