"""Documents people upload (a CIP copy, an agency's comments): checked by what their bytes are,
not what their names say, and kept with their SHA-256. Every module's uploads pass here."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, LargeBinary, String, Table, func, insert
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, db, utcnow

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_type(filename: str, head: bytes, zip_names: frozenset[str]) -> str | None:
    """The document's type from what its bytes are, not what its name says; None if neither
    a PDF nor a Word document. ``zip_names`` lists the members when the file is a ZIP."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "pdf" and head.startswith(b"%PDF-"):
        return "pdf"
    if extension == "docx" and head.startswith(b"PK\x03\x04") and "word/document.xml" in zip_names:
        return "docx"
    return None


def zip_names(content: bytes) -> frozenset[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return frozenset(archive.namelist())
    except zipfile.BadZipFile:
        return frozenset()


def document_problems(filename: str, content: bytes, *, what: str) -> list[str]:
    """Why an uploaded document cannot be kept: empty, too large, or not a PDF or .docx."""
    if not content:
        return ["The file is empty."]
    problems = []
    if len(content) > MAX_DOCUMENT_BYTES:
        problems.append(f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
    if document_type(filename, content[:8], zip_names(content)) is None:
        problems.append(f"Upload {what} as a PDF or a Word (.docx) document.")
    return problems


@dataclass(frozen=True)
class CheckedDocument:
    filename: str
    content_type: str
    size_bytes: int
    sha256: str


def describe(filename: str, content: bytes) -> CheckedDocument:
    """What is kept about a document that passed ``document_problems``."""
    kind = document_type(filename, content[:8], zip_names(content))
    if kind is None:
        raise ValueError("check the document with document_problems first")
    return CheckedDocument(
        filename[:255], DOCUMENT_TYPES[kind], len(content), hashlib.sha256(content).hexdigest()
    )


class StoredDocument:
    """The columns of every kept document: the file byte for byte, what it is, and its hash."""

    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Loaded only when read: lists of documents never carry their bytes, and a download streams
    # them (core.exports.document_download).
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def keep(self, checked: CheckedDocument, content: bytes) -> None:
        self.filename, self.content_type = checked.filename, checked.content_type
        self.size_bytes, self.sha256, self.content = checked.size_bytes, checked.sha256, content


# --- A large document written as it is read -----------------------------------------------------

# COPY's text format (PostgreSQL): a backslash starts an escape, a tab ends a field, a line
# break ends the row.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value).translate(COPY_ESCAPES)


class DocumentInPieces:
    """One row of a table of documents whose ``content`` (``size`` bytes) is written in pieces,
    never held whole, in the caller's transaction: a 50 MB log and the copies a driver makes of
    a parameter would by themselves take a job worker past its memory budget
    (benchmarks/ip_search.py). PostgreSQL takes the bytes through COPY, as hexadecimal text.
    SQLite gets the row now, with a blob of zeros of the size that ``write`` fills in place:
    SQLite builds that blob in memory, twice over, as ``content`` is not the table's last
    column, so the row is best made before the caller holds anything large."""

    def __init__(self, table: Table, values: dict[str, Any], size: int) -> None:
        self.table, self.values = table, values
        connection = db.session.connection()
        self.postgresql = connection.dialect.name == "postgresql"
        self.driver = connection.connection.driver_connection
        if not self.postgresql:
            zeros = insert(table).values(**values, content=func.zeroblob(size))
            self.row_id = connection.execute(zeros).inserted_primary_key[0]

    def write(self, pieces: Iterable[bytes]) -> int:
        """The row's id, once ``pieces`` are its content."""
        if not self.postgresql:
            with self.driver.blobopen(self.table.name, "content", self.row_id) as blob:
                for piece in pieces:
                    blob.write(piece)
            return self.row_id
        columns = ", ".join([*self.values, "content"])
        cursor = self.driver.cursor()
        with cursor.copy(f"COPY {self.table.name} ({columns}) FROM STDIN") as copy:
            # bytea's hex input is \x then the digits; COPY reads a doubled backslash as one.
            copy.write("\t".join([*map(_copy_text, self.values.values()), "\\\\x"]))
            for piece in pieces:
                copy.write(piece.hex())
            copy.write("\n")
        cursor.execute("SELECT currval(pg_get_serial_sequence(%s, 'id'))", (self.table.name,))
        (row_id,) = cursor.fetchone()
        return row_id
