"""CSV and Excel files. Those meant for people to open in a spreadsheet are guarded against
formula injection (CWE-1236); text stored for a page, a JSON answer or a machine's feed carries
the values exactly as they are."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response
from sqlalchemy import func, select

from core.db import db

# Cells starting with these are run as formulas by spreadsheet programs (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object) -> str:
    """A value as the text of a cell, exactly: dates in ISO 8601, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def neutralise(value: object) -> str:
    """Text for a spreadsheet cell, with a leading apostrophe where a spreadsheet would see a
    formula."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number, negative or not, is never run as a formula
    text = cell_text(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], cell: Callable[[object], str]
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV file for people to open in a spreadsheet: cells neutralised."""
    return _csv(header, rows, neutralise)


def plain_csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with every value as it is: for a machine's feed, and for a report kept to be shown
    on a page or in JSON (``spreadsheet_csv`` guards it when it goes out as a download)."""
    return _csv(header, rows, cell_text)


def spreadsheet_csv(plain: str) -> str:
    """CSV kept as ``plain_csv_text``, neutralised for a person to open in a spreadsheet."""
    rows = list(csv.reader(io.StringIO(plain)))
    return csv_text(rows[0], rows[1:]) if rows else ""


def download(body: str | bytes, *, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# A kept document goes out in pieces of this size, each read from the database as it is sent, so
# that a 50 MB file never sits whole in the server's memory.
DOCUMENT_CHUNK_BYTES = 1024 * 1024


def document_download(document: Any, *, filename: str | None = None) -> Response:
    """A stored document (``core.documents.StoredDocument``) as a download, streamed."""
    model, key, size = type(document), document.id, document.size_bytes
    # The pieces are read after the view has returned and its transaction ended, on a
    # connection of their own.
    engine = db.engine

    def pieces() -> Iterator[bytes]:
        with engine.connect() as connection:
            for start in range(0, size, DOCUMENT_CHUNK_BYTES):
                # SQL's substr counts from 1, on SQLite blobs and PostgreSQL bytea alike.
                piece = func.substr(model.content, start + 1, DOCUMENT_CHUNK_BYTES)
                yield bytes(connection.execute(select(piece).where(model.id == key)).scalar_one())

    response = download(
        pieces(),  # type: ignore[arg-type]
        filename=filename or document.filename,
        mimetype=document.content_type,
    )
    response.headers["Content-Length"] = str(size)
    return response


def csv_download(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, filename: str
) -> Response:
    return csv_text_download(csv_text(header, rows), filename=filename)


def csv_text_download(text: str, *, filename: str) -> Response:
    """CSV already written (by ``csv_text``) as a download."""
    # A byte-order mark lets spreadsheet programs read the file as UTF-8; the response adds the
    # charset to a text type itself.
    return download("\ufeff" + text, filename=filename, mimetype="text/csv")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, sheet: str) -> bytes:
    """An Excel workbook of one sheet; text cells are neutralised like CSV cells."""
    # Imported where a workbook is written: openpyxl brings numpy, some 30 MB a process.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(
            [cell if isinstance(cell, int | float | date) else neutralise(cell) for cell in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, filename: str, sheet: str
) -> Response:
    return download(
        xlsx_bytes(header, rows, sheet=sheet), filename=filename, mimetype=XLSX_MIMETYPE
    )
