"""The size limit on request bodies, kept for bodies sent without a ``Content-Length`` too.

A body sent with ``Transfer-Encoding: chunked`` announces no length, so the limit can only be
applied while it is read. Werkzeug's own guard stops reading at the limit but hands the view the
bytes read so far, as though they were the whole body: an over-large JSON filing or CSV log would
be checked (and could be stored) cut short. Here the first byte past the limit answers 413, and
nothing more of the body is read.
"""

from __future__ import annotations

import typing as t

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream


class _AtMost(LimitedStream):
    """A stream of at most ``maximum`` bytes: it reads one byte further, to tell a body of
    exactly the maximum from a longer one, and refuses the longer one."""

    def __init__(self, stream: t.IO[bytes], maximum: int) -> None:
        super().__init__(stream, maximum + 1, is_max=True)

    def readinto(self, buffer: bytearray) -> int | None:  # type: ignore[override]
        count = super().readinto(buffer)
        if self.is_exhausted:
            raise RequestEntityTooLarge()
        return count


class SizeLimitedRequest(Request):
    """Flask's request, with ``max_content_length`` (``MAX_CONTENT_LENGTH``, or a larger limit a
    view sets before it reads the body) enforced on chunked bodies as on announced ones."""

    @cached_property
    def stream(self) -> t.IO[bytes]:
        limit = self.max_content_length
        if (
            limit is not None
            and self.content_length is None
            and "wsgi.input_terminated" in self.environ
        ):
            return t.cast(t.IO[bytes], _AtMost(self.environ["wsgi.input"], limit))
        return super().stream
