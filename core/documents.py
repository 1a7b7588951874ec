"""Documents people upload (a CIP copy, an agency's comments): checked by what their bytes are,
not what their names say, and kept with their SHA-256. Every module's uploads pass here."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, utcnow

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
