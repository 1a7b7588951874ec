"""Reading a PDF back as a person would: its text, page by page (poppler's pdftotext)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, laid out as on the page."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))
