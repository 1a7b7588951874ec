"""The PDF base, read back with poppler (pdftotext, pdffonts, pdfinfo) as a reader would see it."""

from datetime import UTC, date, datetime

import pytest
from reportlab.platypus import Spacer

from core import pdf
from tests.pdftext import pdf_fonts, pdf_info, pdf_pages, pdf_text, searchable

GENERATED = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
POC = "Thomas Keller, OICTS CUI Program, (202) 555-0147"

# Names of foreign persons as a provider reports them: Polish, Turkish, Russian, Arabic, Chinese.
FOREIGN_NAMES = (
    "Łódź Chmura Sp. z o.o.",
    "Işık Bulut Hizmetleri A.Ş. (Kadıköy, İstanbul)",  # noqa: RUF001 (Turkish dotless i)
    "ООО «Северное Облако», Санкт-Петербург",  # noqa: RUF001 (Cyrillic)
    "شركة السحاب العربية",
    "北京云端计算有限公司",
)


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _long_document(marking: pdf.Marking) -> bytes:
    story = [pdf.paragraph(f"Paragraph {n} of the finding. " * 12) for n in range(60)]
    return pdf.build_pdf(
        title="Assessment report", story=story, marking=marking, generated_at=GENERATED
    )


def _names_document() -> bytes:
    return pdf.build_pdf(
        title=f"Screening of {FOREIGN_NAMES[0]}",
        story=[
            *(
                pdf.paragraph(f"Customer: {name}, reported by the provider.")
                for name in FOREIGN_NAMES
            ),
            pdf.table(
                [(name, "foreign person") for name in FOREIGN_NAMES], header=("Name", "Kind")
            ),
            pdf.paragraph(f"Also known as {FOREIGN_NAMES[4]}", "heading"),
        ],
        marking=pdf.FILINGS.with_poc(POC),
        generated_at=GENERATED,
    )


def test_every_page_carries_the_cui_banner_top_and_bottom_and_its_number():
    pages = pdf_pages(_long_document(pdf.FILINGS))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)
        assert lines[0] == "CUI//PRVCY/PROPIN"
        assert lines[-1] == "CUI//PRVCY/PROPIN"
        assert f"Page {number} of {len(pages)}" in page
        assert "Printed November 22, 2026, 1:30 p.m. EST" in page


def test_the_designation_indicator_with_its_poc_and_the_letterhead_are_on_the_first_page_only():
    pages = pdf_pages(_long_document(pdf.FILINGS.with_poc(POC)))
    first = searchable(pages[0])
    assert (
        "Controlled by: Department of Commerce/Bureau of Industry and Security/Office of "
        "Information and Communications Technology and Services" in first
    )
    assert "CUI Category: Privacy, Proprietary Business Information" in first
    assert f"POC: {POC}" in first
    assert "U.S. Department of Commerce" in first
    assert "Assessment report" in first
    assert all("Controlled by:" not in page for page in pages[1:])


def test_a_cui_document_without_a_poc_says_where_to_set_one():
    first = searchable(pdf_pages(_long_document(pdf.BUSINESS))[0])
    assert "CUI Category: Proprietary Business Information" in first
    assert "POC: not set: an administrator sets it in Office settings" in first


def test_a_document_without_cui_is_marked_unclassified_on_every_page_and_nothing_else():
    pages = pdf_pages(_long_document(pdf.UNCLASSIFIED))
    assert all(_lines(page)[0] == _lines(page)[-1] == "UNCLASSIFIED" for page in pages)
    assert "CUI" not in "".join(pages)
    assert "Controlled by" not in "".join(pages)


def test_names_in_any_script_read_back_as_typed():
    text = searchable(pdf_text(_names_document()))
    for name in FOREIGN_NAMES:
        assert f"Customer: {name}, reported by the provider." in text
        assert name in text.split("Name Kind")[1]  # the table
    assert f"Screening of {FOREIGN_NAMES[0]}" in text
    assert f"Also known as {FOREIGN_NAMES[4]}" in text
    assert "■" not in text


def test_every_font_is_embedded_including_the_one_for_chinese():
    fonts = pdf_fonts(_names_document())
    assert fonts and all(font["embedded"] == "yes" for font in fonts)
    names = {font["name"].split("+")[-1] for font in fonts}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"} <= names


def test_a_document_without_a_table_or_chinese_still_embeds_every_font_it_uses():
    fonts = pdf_fonts(_long_document(pdf.UNCLASSIFIED))
    assert fonts and all(font["embedded"] == "yes" for font in fonts)


def test_title_author_and_language_are_set():
    info = pdf_info(_names_document())
    assert info["Title"] == f"Screening of {FOREIGN_NAMES[0]}"
    assert info["Author"].startswith("U.S. Department of Commerce, Bureau of Industry and Security")
    assert info["Language"] == "en-US"


def test_a_letter_has_no_report_title_and_no_print_time():
    letter = pdf.build_pdf(
        title="Letter to the Chair",
        story=[pdf.paragraph("Dear Chair Guthrie:", "letter")],
        marking=pdf.UNCLASSIFIED,
        generated_at=GENERATED,
        letter=True,
    )
    text = searchable(pdf_text(letter))
    assert "Dear Chair Guthrie:" in text
    assert "Letter to the Chair" not in text  # only in the document's properties
    assert pdf_info(letter)["Title"] == "Letter to the Chair"
    assert "Printed" not in text and "UTC" not in text and "Generated" not in text


def test_the_signature_block_stays_on_the_page_of_the_last_paragraph_and_its_heading():
    signer = pdf.Signer("Margaret A. Ellison", "Under Secretary of Commerce")
    body = pdf.paragraph("A paragraph of the letter. " * 30, "letter")
    pages_of_signature = set()
    # However much text comes before it, the last paragraph and the signature share a page.
    for gap in range(250, 500, 10):
        letter = pdf.build_pdf(
            title="Letter",
            story=[
                body,
                Spacer(1, gap),
                pdf.signature("The last paragraph.", signer, heading="Your right to petition"),
            ],
            marking=pdf.UNCLASSIFIED,
            generated_at=GENERATED,
            letter=True,
        )
        pages = [searchable(page) for page in pdf_pages(letter)]
        (signed,) = [n for n, page in enumerate(pages, start=1) if "Margaret A. Ellison" in page]
        assert (
            "Your right to petition The last paragraph. Sincerely, Margaret A. Ellison Under "
            "Secretary of Commerce" in pages[signed - 1]
        )
        pages_of_signature.add(signed)
    assert len(pages_of_signature) > 1  # the block did move to the next page


def test_user_text_prints_as_typed():
    document = pdf.build_pdf(
        title="Notes",
        story=[pdf.paragraph("<script>alert(1)</script> & R&D <b>not bold</b>")],
        marking=pdf.UNCLASSIFIED,
        generated_at=GENERATED,
    )
    assert "<script>alert(1)</script> & R&D <b>not bold</b>" in pdf_text(document)


def test_a_long_table_repeats_its_header_on_every_page():
    rows = [(f"OICTS-2026-{n:06d}", "CIP certification", "on time") for n in range(1, 201)]
    document = pdf.build_pdf(
        title="Filings",
        story=[pdf.table(rows, header=("Receipt", "Kind", "Timeliness"))],
        marking=pdf.UNCLASSIFIED,
        generated_at=GENERATED,
    )
    pages = pdf_pages(document)
    assert len(pages) > 2
    assert all("Receipt" in page and "Timeliness" in page for page in pages)
    assert "OICTS-2026-000200" in pages[-1]


def test_dates_are_written_as_a_letter_writes_them():
    assert pdf.formal_date(date(2026, 12, 1)) == "December 1, 2026"
    assert pdf.formal_time(datetime(2026, 7, 4, 3, 5, tzinfo=UTC)) == "July 3, 2026, 11:05 p.m. EDT"


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        pdf.build_pdf(
            title="x", story=[], marking=pdf.UNCLASSIFIED, generated_at=datetime(2026, 1, 1)
        )


def test_table_rows_stay_whole_on_a_page_but_one_taller_than_a_page_goes_on_over_it():
    rows = [(f"start{n}", "Verified by documents. " * 12 + f"tail{n}") for n in range(60)]
    rows.insert(30, ("startlong", " ".join(f"w{i}" for i in range(2_500)) + " taillong"))
    story = [pdf.table(rows, header=("Row", "Text"), col_widths=[72, 420])]

    pages = pdf_pages(
        pdf.build_pdf(
            title="Findings", story=story, marking=pdf.UNCLASSIFIED, generated_at=GENERATED
        )
    )

    def pages_of(marker: str) -> list[int]:
        return [number for number, page in enumerate(pages) if marker in page.split()]

    for n in range(60):
        assert pages_of(f"start{n}") == pages_of(f"tail{n}"), f"row {n} was split"
    (first,) = pages_of("startlong")
    (last,) = pages_of("taillong")
    assert last - first >= 2  # longer than two pages, and all of it printed
    assert all(pages_of(f"w{i}") for i in range(0, 2_500, 250))
