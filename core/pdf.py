"""The base of every PDF the system produces: embedded fonts, letterhead, markings, page numbers,
letters' signature blocks.

Pure of Flask and the database: callers pass the content, the marking and the time of generation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.clocks import OFFICE_TIME_ZONE

DEPARTMENT = "U.S. Department of Commerce"
BUREAU = "Bureau of Industry and Security"
OFFICE = "Office of Information and Communications Technology and Services"
LANGUAGE = "en-US"
MARGIN = 0.75 * inch
# Above and below the text, where the letterhead's marking and the page numbers go.
PAGE_MARGIN = 0.9 * inch
# The height a page gives its text: the letter page within those margins, less the 6 points
# ReportLab's frame pads it with above and below.
TEXT_HEIGHT = LETTER[1] - 2 * PAGE_MARGIN - 2 * 6

# --- Fonts ----------------------------------------------------------------------------------
# Every font is embedded, so names of foreign persons print as written on any reader's machine.
# DejaVu Sans (Debian fonts-dejavu-core) covers Latin, Greek, Cyrillic and Arabic; Droid Sans
# Fallback (fonts-droid-fallback) covers Chinese, Japanese and Korean. scripts/setup.sh installs
# both.

SANS, SANS_BOLD, MONO, FALLBACK = "OICTS-Sans", "OICTS-Sans-Bold", "OICTS-Mono", "OICTS-Fallback"
FONT_FILES = {
    SANS: ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    SANS_BOLD: ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    MONO: ("fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"),
    FALLBACK: ("fonts-droid-fallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
}


class FontsMissing(RuntimeError):
    pass


@cache
def _coverage() -> dict[str, frozenset[int]]:
    """Registers the fonts once; the characters each one has."""
    missing = sorted({package for package, path in FONT_FILES.values() if not Path(path).exists()})
    if missing:
        raise FontsMissing(
            "The fonts for PDFs are not installed: run scripts/setup.sh or "
            f"apt-get install {' '.join(missing)}"
        )
    covered = {}
    for name, (_package, path) in FONT_FILES.items():
        font = TTFont(name, path)
        pdfmetrics.registerFont(font)
        covered[name] = frozenset(font.face.charToGlyph)
    return covered


def _font_runs(text: str, font: str) -> Iterator[tuple[str, str]]:
    """``text`` cut into runs, each with the font that has its characters: ``font`` where it
    can, the fallback for what ``font`` lacks (ReportLab does not fall back glyph by glyph)."""
    covered = _coverage()
    run, run_font = "", font
    for character in text:
        if character.isspace() and run:
            wanted = run_font
        elif ord(character) in covered[font] or ord(character) not in covered[FALLBACK]:
            wanted = font
        else:
            wanted = FALLBACK
        if wanted != run_font and run:
            yield run_font, run
            run = ""
        run, run_font = run + character, wanted
    if run:
        yield run_font, run


# Arabic and Hebrew letters, with the spaces between the words of one name or phrase.
_RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RIGHT_TO_LEFT = re.compile(f"[{_RTL_LETTERS}]+(?:[ \u00a0]+[{_RTL_LETTERS}]+)*")


def _visual_order(text: str) -> str:
    """Right-to-left runs joined into their contextual letter forms and laid out right to left,
    as PDF text is drawn left to right; the words of one run are kept on one line."""

    def lay_out(match: re.Match[str]) -> str:
        shaped = get_display(arabic_reshaper.reshape(match.group()), base_dir="R")
        return shaped.replace(" ", "\u00a0")

    return _RIGHT_TO_LEFT.sub(lay_out, text)


def markup(text: str, font: str) -> str:
    """Paragraph markup for plain ``text``: "<", ">" and "&" print as typed, each character
    in a font that has it."""
    parts = []
    for run_font, run in _font_runs(_visual_order(text), font):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if run_font == font else f'<font face="{run_font}">{escaped}</font>')
    return "".join(parts)


# --- Dates as a letter writes them -----------------------------------------------------------


def formal_date(day: date | None) -> str:
    """ "December 11, 2026"."""
    return f"{day:%B} {day.day}, {day.year}" if day else "—"


def formal_time(instant: datetime) -> str:
    """ "December 11, 2026, 2:05 p.m. EST", in the office's time zone."""
    local = instant.astimezone(OFFICE_TIME_ZONE)
    hour = local.hour % 12 or 12
    meridiem = "a.m." if local.hour < 12 else "p.m."
    return f"{formal_date(local.date())}, {hour}:{local:%M} {meridiem} {local:%Z}"


# --- Markings (32 CFR 2002.20) ---------------------------------------------------------------


@dataclass(frozen=True)
class Marking:
    """The banner at the top and bottom of every page, and for CUI the designation indicator
    on the first page: who controls it, its categories and whom to ask (32 CFR 2002.20)."""

    banner: str
    controlled_by: str | None = None
    categories: tuple[str, ...] = ()
    dissemination: str | None = None
    poc: str | None = None

    @property
    def is_cui(self) -> bool:
        return bool(self.categories)

    def with_poc(self, poc: str | None) -> Marking:
        return replace(self, poc=poc)

    def indicator_lines(self) -> list[str]:
        if not self.is_cui:
            return []
        lines = [
            f"Controlled by: {self.controlled_by}",
            f"CUI Category: {', '.join(self.categories)}",
        ]
        if self.dissemination:
            lines.append(f"Limited Dissemination Control: {self.dissemination}")
        lines.append(f"POC: {self.poc or 'not set: an administrator sets it in Office settings'}")
        return lines


CONTROLLED_BY = f"Department of Commerce/{BUREAU}/{OFFICE}"
# A document that holds no CUI says so on every page.
UNCLASSIFIED = Marking("UNCLASSIFIED")
# Providers' filings and what is built from them: customers' personal data and providers'
# business information.
FILINGS = Marking(
    "CUI//PRVCY/PROPIN",
    controlled_by=CONTROLLED_BY,
    categories=("Privacy", "Proprietary Business Information"),
)
# What restates a provider's program or business without its customers' personal data.
BUSINESS = Marking(
    "CUI//PROPIN", controlled_by=CONTROLLED_BY, categories=("Proprietary Business Information",)
)


# --- Paragraphs, tables, letters -------------------------------------------------------------


@cache
def styles() -> dict[str, ParagraphStyle]:
    _coverage()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=SANS, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName=SANS_BOLD,
            fontSize=16,
            leading=20,
            spaceAfter=10,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base["Heading2"],
            fontName=SANS_BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": body,
        "letter": ParagraphStyle("letter", parent=body, fontSize=10.5, leading=14, spaceAfter=8),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "table_header": ParagraphStyle(
            "table_header", parent=body, fontName=SANS_BOLD, fontSize=9, leading=11
        ),
        "table_cell": ParagraphStyle("table_cell", parent=body, fontSize=9, leading=11),
        "mono": ParagraphStyle("mono", parent=body, fontName=MONO, fontSize=8, leading=10),
        "letterhead": ParagraphStyle("letterhead", parent=body, alignment=TA_CENTER, fontSize=9),
    }


def paragraph(text: Any, style: str = "body") -> Paragraph:
    """User text, printed as typed in whatever script it is written."""
    chosen = styles()[style]
    return Paragraph(markup("" if text is None else str(text), chosen.fontName), chosen)


# A table cell is drawn in its own font (Helvetica unless told), though a paragraph fills it.
CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), SANS)]


class _Table(Table):
    """Rows stay whole on a page, as in any table, except a row taller than a whole page (a
    finding of thousands of characters in a narrow column), which alone goes on over the page:
    ReportLab would refuse to lay it out at all."""

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = super().split(avail_width, avail_height)
        if parts or self.splitInRow or len(self._rowHeights) <= self.repeatRows:
            return parts
        if sum(self._rowHeights[: self.repeatRows + 1]) <= TEXT_HEIGHT:
            return parts  # it fits on the next page
        self.splitInRow = 1
        try:
            parts = super().split(avail_width, avail_height)
        finally:
            self.splitInRow = 0
        for part in parts:
            part.splitInRow = 0
        return parts


def table(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str],
    col_widths: Sequence[float] | None = None,
) -> Table:
    """A table whose header row repeats on every page and whose cells wrap."""
    data = [[paragraph(cell, "table_header") for cell in header]]
    data += [[paragraph(cell, "table_cell") for cell in row] for row in rows]
    result = _Table(data, colWidths=col_widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe1e2")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#a9aeb1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *CELL_FONT,
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
    result = Table(data, colWidths=[2.2 * inch, 4.7 * inch])
    result.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *CELL_FONT]))
    return result


@dataclass(frozen=True)
class Signer:
    """The official who signs a letter, as set in the office settings."""

    name: str
    title: str


UNSIGNED = "DRAFT: no signing official is set (Office settings)"


def letter_opening(
    *, dated: date, address: Sequence[str], regarding: str, salutation: str
) -> list[Flowable]:
    """The date, the addressee's lines, the subject line and the salutation of a letter."""
    return [
        paragraph(formal_date(dated), "letter"),
        Spacer(1, 8),
        paragraph("\n".join(address), "letter"),
        Spacer(1, 4),
        paragraph(f"Re: {regarding}", "letter"),
        paragraph(salutation, "letter"),
    ]


def signature(
    last_paragraph: str,
    signer: Signer | None,
    *,
    heading: str | None = None,
    valediction: str = "Sincerely,",
) -> KeepTogether:
    """The closing paragraph (under its ``heading``, if any), the valediction and the signer's
    name and title, kept on one page so that a signature never stands alone."""
    name, title = (signer.name, signer.title) if signer else ("", "")
    return KeepTogether(
        [
            *([paragraph(heading, "heading")] if heading else []),
            paragraph(last_paragraph, "letter"),
            Spacer(1, 6),
            paragraph(valediction, "letter"),
            Spacer(1, 30),
            paragraph(f"{name or '______________________________'}\n{title}", "letter"),
        ]
    )


def _numbered_canvas(
    marking: Marking, printed_at: datetime | None, draft: str | None
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
            self.setFont(SANS, 8)
            if printed_at is not None:
                self.drawString(MARGIN, 0.45 * inch, f"Printed {formal_time(printed_at)}")
            self.drawRightString(width - MARGIN, 0.45 * inch, f"Page {number} of {total}")
            # 32 CFR 2002.20(b): the banner marking at the top and bottom of every page.
            self.setFont(SANS_BOLD, 10)
            self.drawCentredString(width / 2, height - 0.45 * inch, marking.banner)
            self.drawCentredString(width / 2, 0.25 * inch, marking.banner)
            if draft:
                # A draft printed for review must never pass for the approved document.
                self.setFont(SANS_BOLD, 9)
                self.setFillColor(colors.HexColor("#b50909"))
                self.drawCentredString(width / 2, height - 0.65 * inch, draft)
                self.setFillColor(colors.black)

    return NumberedCanvas


def build_pdf(
    *,
    title: str,
    story: Sequence[Flowable],
    marking: Marking,
    generated_at: datetime,
    subtitle: str | None = None,
    draft: str | None = None,
    letter: bool = False,
) -> bytes:
    """A letter-size PDF with the office's letterhead, ``marking`` on every page and, for CUI,
    its designation indicator on page 1. A report opens with ``title`` and ``subtitle`` and its
    footer says when it was printed; a ``letter`` is ``story`` alone under the letterhead, as
    it is sent. ``draft`` (e.g. "DRAFT: not approved") is printed at the top of every page."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must carry a time zone")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=title,
        author=f"{DEPARTMENT}, {BUREAU}, {OFFICE}",
        subject=subtitle or title,
        creator=OFFICE,
        lang=LANGUAGE,
        initialFontName=SANS,
    )
    opening: list[Flowable] = [
        paragraph(DEPARTMENT, "letterhead"),
        paragraph(BUREAU, "letterhead"),
        paragraph(OFFICE, "letterhead"),
        Spacer(1, 8),
    ]
    if not letter:
        opening.append(paragraph(title, "title"))
        if subtitle:
            opening.append(paragraph(subtitle))
    # 32 CFR 2002.20(b)(3): the designation indicator on the first page.
    indicator = marking.indicator_lines()
    if indicator:
        opening += [Spacer(1, 4)] + [paragraph(line, "small") for line in indicator]
    opening.append(Spacer(1, 14 if letter else 10))
    canvas = _numbered_canvas(marking, None if letter else generated_at, draft)
    document.build([*opening, *story], canvasmaker=canvas)
    return buffer.getvalue()
