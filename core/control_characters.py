"""Control characters in what people and systems send: found, described, or taken out.

PostgreSQL's text and JSON columns cannot hold U+0000, and no field of a filing or a case means
a control character, so every way in (forms, address segments, JSON strings) is checked with
these. A lone UTF-16 surrogate (from a JSON ``\\ud800`` escape) cannot be written as UTF-8 at
all, so it is treated the same. Pure: no Flask, no database.
"""

from __future__ import annotations

import re

# Unicode category Cc (C0, DEL, C1) and the surrogates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Free text (a text area, a long description) keeps its tabs and line breaks.
_CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def find(text: str, *, free_text: bool = False) -> tuple[int, str] | None:
    """The first control character in ``text``: its position (1 for the first character) and
    its code point written U+0000; None when there is none."""
    match = (_CONTROL_IN_FREE_TEXT if free_text else _CONTROL).search(text)
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


def strip(text: str, *, free_text: bool = True) -> str:
    """``text`` without its control characters; free text keeps its tabs and line breaks."""
    return (_CONTROL_IN_FREE_TEXT if free_text else _CONTROL).sub("", text)


def problem(text: str, *, free_text: bool = False) -> str | None:
    """Why ``text`` cannot be taken, in the words of a schema problem ("must ..."), or None."""
    found = find(text, free_text=free_text)
    if found is None:
        return None
    position, code = found
    return f"must not contain control characters (it has {code} at character {position:,})"
