"""iCalendar (RFC 5545) feeds of all-day events, for due dates and other dated facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    on: date
    summary: str
    description: str = ""
    url: str | None = None


def _escape(text: str) -> str:
    # RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    # RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and one space.
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current = [], b""
    for char in line:
        char_bytes = char.encode("utf-8")
        limit = 75 if not pieces else 74
        if len(current) + len(char_bytes) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
        current += char_bytes
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def calendar(name: str, events: Iterable[CalendarEvent], *, generated_at: datetime) -> str:
    stamp = generated_at.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//U.S. Department of Commerce//OICTS Case System//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
