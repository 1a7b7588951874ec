"""The PDF base, read back with pdftotext as a reader would see it."""

from datetime import UTC, datetime

import pytest

from core import pdf
from tests.pdftext import pdf_pages, pdf_text

GENERATED = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _long_document(cui: pdf.CuiMarking | None) -> bytes:
    story = [pdf.paragraph(f"Paragraph {n} of the finding. " * 12) for n in range(60)]
    return pdf.build_pdf(title="Assessment report", story=story, cui=cui, generated_at=GENERATED)


def test_every_page_carries_the_cui_banner_top_and_bottom_and_its_number():
    pages = pdf_pages(_long_document(pdf.CuiMarking.for_filings()))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)
        assert lines[0] == "CUI//PRVCY/PROPIN"
        assert lines[-1] == "CUI//PRVCY/PROPIN"
        assert f"Page {number} of {len(pages)}" in page
        # 18:30 UTC is 13:30 in Washington in November, as the office reads its times.
        assert "Generated 2026-11-22 13:30 EST" in page


def test_the_designation_indicator_and_letterhead_are_on_the_first_page_only():
    pages = pdf_pages(_long_document(pdf.CuiMarking.for_filings(poc="OICTS front office")))
    assert "Controlled by: Department of Commerce" in pages[0]
    assert "CUI Category: Privacy, Proprietary Business Information" in pages[0]
    assert "POC: OICTS front office" in pages[0]
    assert "U.S. Department of Commerce" in pages[0]
    assert "Assessment report" in pages[0]
    assert all("Controlled by:" not in page for page in pages[1:])


def test_a_document_without_cui_carries_no_marking():
    assert "CUI" not in pdf_text(_long_document(None))


def test_user_text_prints_as_typed():
    document = pdf.build_pdf(
        title="Notes",
        story=[pdf.paragraph("<script>alert(1)</script> & R&D <b>not bold</b>")],
        cui=None,
        generated_at=GENERATED,
    )
    assert "<script>alert(1)</script> & R&D <b>not bold</b>" in pdf_text(document)


def test_a_long_table_repeats_its_header_on_every_page():
    rows = [(f"OICTS-2026-{n:06d}", "CIP certification", "on time") for n in range(1, 201)]
    document = pdf.build_pdf(
        title="Filings",
        story=[pdf.table(rows, header=("Receipt", "Kind", "Timeliness"))],
        cui=None,
        generated_at=GENERATED,
    )
    pages = pdf_pages(document)
    assert len(pages) > 2
    assert all("Receipt" in page and "Timeliness" in page for page in pages)
    assert "OICTS-2026-000200" in pages[-1]


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        pdf.build_pdf(title="x", story=[], cui=None, generated_at=datetime(2026, 1, 1))
