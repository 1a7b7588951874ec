"""Reading a PDF back as a person would: its text, page by page, its fonts and its properties
(poppler's pdftotext, pdffonts and pdfinfo)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path


def _poppler(tool: str, pdf: bytes, *options: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            [tool, *options, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, laid out as on the page."""
    pages = _poppler("pdftotext", pdf, "-layout").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def searchable(text: str) -> str:
    """Text as a search matches it: Arabic letter forms as the letters typed (NFKC), without
    the direction marks pdftotext puts around right-to-left words, whitespace as one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """Each font the PDF uses, as pdffonts lists it: name, type, whether embedded."""
    lines = _poppler("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        name, *_middle, embedded, _subset, _unicode, _object, _generation = line.split()
        fonts.append({"name": name, "embedded": embedded})
    return fonts


def pdf_info(pdf: bytes) -> dict[str, str]:
    """The document's properties (Title, Author, ...) and, from its catalog, its language."""
    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", pdf).splitlines() if ":" in line)
    info = {key.strip(): value.strip() for key, value in info.items()}
    language = re.search(rb"/Lang \((.*?)\)", pdf)
    info["Language"] = language.group(1).decode() if language else ""
    return info
