"""What people can type into an address or a form: record ids, page numbers, the text of a
segment.

Both databases refuse a number larger than an id column holds (PostgreSQL with an error, SQLite
with an overflow), and PostgreSQL refuses text with U+0000, so what no record can have is turned
away here, before it reaches a query.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from core import control_characters

# The largest value of an INTEGER column on PostgreSQL, which every id column is.
MAX_ID = 2**31 - 1
# Past this, a page number cannot matter: no list is that long, and the offset still fits a query.
MAX_PAGE = MAX_ID


class BoundedIntegerConverter(IntegerConverter):
    """Flask's ``int`` converter, bounded to what an id column holds.

    A larger number does not match the route, so the answer is "Page not found", not a database
    error. Registered in place of ``int``, so every ``<int:...>`` route gets the bound.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.max = MAX_ID if self.max is None else min(self.max, MAX_ID)
        self.min = -MAX_ID - 1 if self.min is None else max(self.min, -MAX_ID - 1)


class PlainTextConverter(UnicodeConverter):
    """Flask's default converter for a text segment (a receipt number), without control
    characters: ``/intake/filings/a%00b`` does not match the route, so it answers "Page not
    found". Registered in place of ``default`` and ``string``."""

    def to_python(self, value: str) -> str:
        if control_characters.find(value) is not None:
            raise ValidationError
        return value


def parse_record_id(text: str) -> int:
    """A record id from a form or query string.

    Raises ValueError for anything no record can have, so that ``request.form.get("provider",
    type=parse_record_id)`` gives None for it, as it does for text that is not a number.
    """
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a record id: {text[:20]!r}")
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"no record has id {text[:20]}")
    return value


def _page_number(text: str) -> int:
    text = text.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a page number: {text[:20]!r}")
    if text.startswith("-"):
        return 1
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits), 1), MAX_PAGE)


def requested_page() -> int:
    """The ``?page=`` of a paginated list: 1 when missing or not a number, kept between 1 and
    MAX_PAGE, so that a huge number shows an empty page past the end, never an error."""
    return request.args.get("page", default=1, type=_page_number)


def requested_page_size(choices: tuple[int, ...], default: int) -> int:
    """The ``?per_page=`` of a paginated list: one of the sizes its page offers, else
    ``default`` (a size typed into the address cannot make the page a query of everything)."""
    asked = request.args.get("per_page", default=default, type=_page_number)
    return asked if asked in choices else default
