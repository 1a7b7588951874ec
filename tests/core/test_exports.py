"""A kept document goes out streamed in pieces read from the database as they are sent."""

import hashlib
import os

from core import exports
from core.db import db
from intake.models import Document


def test_a_large_document_is_sent_in_pieces_byte_for_byte(app):
    content = os.urandom(2 * exports.DOCUMENT_CHUNK_BYTES + 12_345)
    document = Document(
        filename="cip-program.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    db.session.add(document)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Document, document.id)

    with app.test_request_context():
        response = exports.document_download(kept)
    pieces = list(response.response)

    assert response.is_streamed
    assert response.headers["Content-Length"] == str(len(content))
    assert 'filename="cip-program.pdf"' in response.headers["Content-Disposition"]
    assert [len(piece) for piece in pieces] == [
        exports.DOCUMENT_CHUNK_BYTES,
        exports.DOCUMENT_CHUNK_BYTES,
        12_345,
    ]
    assert b"".join(pieces) == content
    assert "content" not in kept.__dict__  # the row was read without its bytes
