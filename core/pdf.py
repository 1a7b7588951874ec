"""The base of every PDF the system produces: letterhead, CUI markings, page numbers.

Pure of Flask and the database: callers pass the content and the time of generation.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import clocks

DEPARTMENT = "U.S. Department of Commerce"
BUREAU = "Bureau of Industry and Security"
OFFICE = "Office of Information and Communications Technology and Services"
MARGIN = 0.75 * inch


@dataclass(frozen=True)
class CuiMarking:
    """The CUI banner and designation indicator of 32 CFR 2002.20."""

    banner: str
    controlled_by: str
    categories: tuple[str, ...]
    dissemination: str | None = None
    poc: str | None = None

    @classmethod
    def for_filings(cls, poc: str | None = None) -> CuiMarking:
        """Providers' filings: customers' personal data and providers' business information."""
        return cls(
            banner="CUI//PRVCY/PROPIN",
            controlled_by=f"Department of Commerce, {BUREAU}, {OFFICE}",
            categories=("Privacy", "Proprietary Business Information"),
            poc=poc,
        )

    def indicator_lines(self) -> list[str]:
        lines = [
            f"Controlled by: {self.controlled_by}",
            f"CUI Category: {', '.join(self.categories)}",
        ]
        if self.dissemination:
            lines.append(f"Limited Dissemination Control: {self.dissemination}")
        if self.poc:
            lines.append(f"POC: {self.poc}")
        return lines


@cache
def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13
    )
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            spaceAfter=10,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "table_header": ParagraphStyle(
            "table_header", parent=body, fontName="Helvetica-Bold", fontSize=9, leading=11
        ),
        "table_cell": ParagraphStyle("table_cell", parent=body, fontSize=9, leading=11),
        "mono": ParagraphStyle("mono", parent=body, fontName="Courier", fontSize=8, leading=10),
        "letterhead": ParagraphStyle("letterhead", parent=body, alignment=TA_CENTER, fontSize=9),
    }


def paragraph(text: Any, style: str = "body") -> Paragraph:
    """User text, escaped so that "<", ">" and "&" print as typed."""
    return Paragraph(
        escape("" if text is None else str(text)).replace("\n", "<br/>"), styles()[style]
    )


def table(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str],
    col_widths: Sequence[float] | None = None,
) -> Table:
    """A table whose header row repeats on every page and whose cells wrap."""
    data = [[paragraph(cell, "table_header") for cell in header]]
    data += [[paragraph(cell, "table_cell") for cell in row] for row in rows]
    result = Table(data, colWidths=col_widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe1e2")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#a9aeb1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def facts(pairs: Sequence[tuple[str, Any]]) -> Table:
    """Label-value pairs, e.g. a receipt's number, kind and time."""
    data = [
        [
            paragraph(label, "table_header"),
            value if isinstance(value, Flowable) else paragraph(value),
        ]
        for label, value in pairs
    ]
    result = Table(data, colWidths=[2.0 * inch, 4.9 * inch])
    result.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return result


def _numbered_canvas(
    marking: CuiMarking | None, generated_at: datetime, draft: str | None
) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds every page until the end so that each can say "Page N of M"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = LETTER
            self.setFont("Helvetica", 8)
            # In the office's time, as every other time in the document is shown.
            self.drawString(MARGIN, 0.45 * inch, f"Generated {clocks.office_time(generated_at)}")
            self.drawRightString(width - MARGIN, 0.45 * inch, f"Page {number} of {total}")
            if draft:
                # A draft printed for review must never pass for the approved document.
                self.setFont("Helvetica-Bold", 9)
                self.drawString(MARGIN, height - 0.45 * inch, draft)
            if marking is not None:
                # 32 CFR 2002.20(b): the banner marking at the top and bottom of every page.
                self.setFont("Helvetica-Bold", 10)
                self.drawCentredString(width / 2, height - 0.45 * inch, marking.banner)
                self.drawCentredString(width / 2, 0.25 * inch, marking.banner)

    return NumberedCanvas


def build_pdf(
    *,
    title: str,
    story: Sequence[Flowable],
    cui: CuiMarking | None,
    generated_at: datetime,
    subtitle: str | None = None,
    draft: str | None = None,
) -> bytes:
    """A letter-size PDF: letterhead and title on page 1, then ``story``; ``draft`` (e.g.
    "DRAFT: not approved") is printed at the top of every page."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must carry a time zone")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=0.9 * inch,
        bottomMargin=0.9 * inch,
        title=title,
        author=f"{DEPARTMENT}, {BUREAU}",
    )
    opening: list[Flowable] = [
        paragraph(DEPARTMENT, "letterhead"),
        paragraph(BUREAU, "letterhead"),
        paragraph(OFFICE, "letterhead"),
        Spacer(1, 8),
        paragraph(title, "title"),
    ]
    if subtitle:
        opening.append(paragraph(subtitle))
    if cui is not None:
        # 32 CFR 2002.20(b)(3): the designation indicator on the first page.
        opening += [Spacer(1, 4)] + [paragraph(line, "small") for line in cui.indicator_lines()]
    opening.append(Spacer(1, 10))
    document.build([*opening, *story], canvasmaker=_numbered_canvas(cui, generated_at, draft))
    return buffer.getvalue()
