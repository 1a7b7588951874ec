"""The filings inbox as a spreadsheet: one row per filing, cells neutralised by core.exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from intake import kinds
from intake.filings.rules import channel_shown, timeliness_shown


def kind_of(kind: str) -> kinds.KindSpec | None:
    try:
        return kinds.kind_spec(kind)
    except kinds.UnknownKind:
        return None


def _warning_text(warning: dict[str, str]) -> str:
    message, citation = warning.get("message", ""), warning.get("citation", "")
    return f"{message} ({citation})" if citation else message


def export_cells(rows: Iterable[Any]) -> Iterator[tuple[object, ...]]:
    """The cells of ``intake.filings.services.EXPORT_HEADER`` for each exported row."""
    for receipt, at, on, kind, provider, channel, timeliness, warnings, corrects in rows:
        spec = kind_of(kind)
        yield (
            receipt,
            # Text rather than a date cell: a spreadsheet cannot keep a time zone, and this is UTC.
            at.isoformat(timespec="seconds"),
            on,
            spec.title if spec else kind,
            spec.citation if spec else "",
            provider,
            channel_shown(channel),
            timeliness_shown(timeliness),
            len(warnings or []),
            "; ".join(_warning_text(warning) for warning in warnings or []),
            corrects,
        )
