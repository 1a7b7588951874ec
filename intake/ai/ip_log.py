"""The IP addresses a foreign person used for access or administration, with the date and time
of each (§7.308(d)(1)(i)(F)): the key that indexes an address, the search an analyst types, and
the row-by-row check of the CSV a provider attaches to a large AI training report.

Pure: takes the facts as arguments, reads neither the clock nor the database. A file is taken
or refused whole; a refused file comes back with every problem found, row by row, the rows
numbered as a spreadsheet numbers them (the header is row 1, the first data row 2).

Addresses are read with the C library's ``inet_pton`` rather than ``ipaddress``, which takes a
few microseconds an address and would by itself spend most of the time budget on a
million-row file.
"""

from __future__ import annotations

import csv
import enum
import re
import socket
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TypeAlias

from core.jobs.rules import JobState
from core.schema import column_letter
from core.workflow import rules as workflow

CITATION = "§7.308(d)(1)(i)(F)"
# §7.308(d): reports are filed "in the form and manner that the Department shall prescribe";
# the layout of the file (its header, its size) is that form.
FILE_CITATION = "§7.308(d)"

MAX_ROWS = 1_000_000
# Past this many, problems are counted but not listed: a list of every cell of a file in the
# wrong layout would help nobody.
MAX_LISTED_PROBLEMS = 1_000
PROGRESS_EVERY = 10_000
# A cell is echoed back in the problem list; a runaway cell is cut short there.
MAX_SHOWN_VALUE = 200
# Addresses remembered while a file is read. Logs repeat a few addresses, which this holds many
# times over; a file of all-different addresses empties it now and then instead of growing it.
REMEMBERED_ADDRESSES = 65_536

TEMPLATE_HEADER: tuple[str, ...] = ("ip_address", "accessed_at", "action")
NAMED = "ip_address, accessed_at and action"
REQUIRED_COLUMNS: tuple[str, ...] = ("ip_address", "accessed_at")
# What the downloadable template shows under its header row (documentation-range addresses,
# RFC 5737 and RFC 3849).
EXAMPLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("192.0.2.44", "2027-01-05T14:03:22+08:00", "access"),
    ("2001:db8:4f::17", "2027-01-05T14:07:45.250+08:00", "administration"),
    ("198.51.100.7", "2027-01-06T06:15:00Z", "access"),
)

# §7.308(d)(1)(i)(F) asks for addresses "used for access or administration" and the time of
# "each such access or administrative action": the two are told apart.
ACCESS_KINDS: tuple[str, ...] = ("access", "administration")
# What a provider's own logs call them; a blank cell (or no action column) means access.
ACTION_BY_TEXT: dict[str, str] = {
    "": "access",
    "access": "access",
    "administration": "administration",
    "admin": "administration",
    "administrative": "administration",
    "administrative action": "administration",
}

# (ip_key, canonical_ip, accessed_at in UTC, the filer's UTC offset in minutes, action)
IpLogEntry: TypeAlias = tuple[str, str, datetime, int | None, str]


# --- Addresses -----------------------------------------------------------------------------
#
# An IPv4 address is keyed as the IPv4-mapped IPv6 address ::ffff:a.b.c.d (RFC 4291 §2.5.5.2),
# so that one 128-bit order holds both families and a dual-stack server's ::ffff:192.0.2.1 is
# the same key as 192.0.2.1.

MAPPED_PREFIX = bytes(10) + b"\xff\xff"
MAPPED_KEY_PREFIX = MAPPED_PREFIX.hex()
# ZERO_RUNS[n] is a run of n zero groups (":0:0:" for two) in ":%x:%x:...:" text.
ZERO_RUNS = tuple(":0" * count + ":" for count in range(9))
DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
WITH_PORT = re.compile(r"(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}")

SPACING = re.compile(r"[\s\-]+")
UNSPECIFIED_KEYS = frozenset({"0" * 32, MAPPED_KEY_PREFIX + "0" * 8})

NOT_AN_ADDRESS = "is not an IPv4 or IPv6 address (write it like 192.0.2.10 or 2001:db8::10)"


def _compressed_ipv6(packed: bytes) -> str:
    """RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups
    (the first, on a tie) written as ::."""
    # Colons at both ends let every zero group, even the first and last, be matched as ":0:".
    groups = ":%x:%x:%x:%x:%x:%x:%x:%x:" % struct.unpack("!8H", packed)  # noqa: UP031 (2x str.format)
    if ":0:0:" not in groups:
        return groups[1:-1]
    # No group has a leading zero, so ":0" starts only a zero group: the longest run can be
    # no longer than their number.
    for count in range(groups.count(":0"), 1, -1):
        run = ZERO_RUNS[count]
        start = groups.find(run)
        if start >= 0:
            return f"{groups[1:start]}::{groups[start + len(run) : -1]}"
    raise AssertionError("unreachable: a run of two zero groups was found above")


def _text_of(packed: bytes) -> str:
    # A mapped address is an IPv4 client seen by a dual-stack server: shown as IPv4, it reads
    # the same as the key it shares with the dotted form.
    if packed.startswith(MAPPED_PREFIX):
        return socket.inet_ntop(socket.AF_INET, packed[12:])
    return _compressed_ipv6(packed)


def _why_not_an_address(text: str) -> str:
    if "%" in text:
        return "has a zone (from %), which means nothing off its own host; give the address alone"
    if WITH_PORT.fullmatch(text):
        return "has a port; give the address alone (192.0.2.10, not 192.0.2.10:443)"
    if text.startswith("[") and text.endswith("]"):
        return "is in brackets; give the address alone (2001:db8::10, not [2001:db8::10])"
    if DOTTED_QUAD.fullmatch(text) and any(
        len(part) > 1 and part.startswith("0") for part in text.split(".")
    ):
        # Some systems read 010 as octal 8, so a leading zero makes the address ambiguous.
        return "has a number with a leading zero, which some systems read as octal; remove it"
    return NOT_AN_ADDRESS


def _read_address(text: str) -> tuple[str, str]:
    """(ip_key, canonical text) of an address as written; ValueError says what is wrong."""
    try:
        if ":" not in text:
            packed = socket.inet_pton(socket.AF_INET, text)
            # The round trip refuses what a lenient C library might take (leading zeros,
            # short forms), so the same text is accepted on every platform.
            if socket.inet_ntop(socket.AF_INET, packed) == text:
                return MAPPED_KEY_PREFIX + packed.hex(), text
        elif "%" not in text:
            packed = socket.inet_pton(socket.AF_INET6, text)
            return packed.hex(), _text_of(packed)
    except (OSError, ValueError):  # ValueError: a NUL or a character that is not ASCII
        pass
    raise ValueError(_why_not_an_address(text))


def ip_key(address: str) -> str:
    """The address as 32 lowercase hex digits of its 128-bit value, IPv4 mapped into IPv6 as
    ::ffff:a.b.c.d (192.0.2.1 → 00000000000000000000ffffc0000201).

    The keys are of one width and use only 0-9 and a-f, so their text order is their numeric
    order: a plain B-tree index on a text column answers ``key = :key`` and, for a CIDR range,
    ``key BETWEEN :low AND :high`` (see ``parse_search``), on SQLite and PostgreSQL alike.
    ValueError says what is wrong with the address."""
    return _read_address(address.strip())[0]


def canonical_ip(text: str) -> str:
    """The address written the one way: IPv4 dotted decimal; IPv6 compressed as RFC 5952 has
    it (2001:DB8:0:0::1 → 2001:db8::1). An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is
    written as the IPv4 address, which has the same key. ValueError says what is wrong."""
    return _read_address(text.strip())[1]


# --- Searching -----------------------------------------------------------------------------

RANGE_EXAMPLES = "203.0.113.0/24 or 2001:db8::/32"


@dataclass(frozen=True)
class IpSearch:
    """What an analyst searched for: the keys from ``low`` to ``high`` (both included), the
    search as it will be shown back, and the address or range alone ("203.0.113.0/24")."""

    low: str
    high: str
    label: str
    network: str


def _range_label(network: int, prefix: int) -> str:
    text = _text_of(network.to_bytes(16, "big"))
    # Shown as IPv4 when the range lies wholly among the mapped addresses, as its members are.
    if prefix >= 96 and "." in text:
        return f"{text}/{prefix - 96}"
    return f"{text}/{prefix}"


def parse_search(text: str) -> IpSearch:
    """One address (203.0.113.5) or a CIDR range (203.0.113.0/24, 2001:db8::/32) as the keys
    it spans. A range written with host bits set (203.0.113.7/24) is read as its network,
    which ``label`` says, since that is what an analyst pasting an address and a prefix
    means. ValueError carries a sentence to show next to the search field."""
    wanted = text.strip()
    if not wanted:
        raise ValueError(
            f"Enter an IP address, e.g. 203.0.113.5 or 2001:db8::5, or a range, e.g. "
            f"{RANGE_EXAMPLES}."
        )
    address_text, slash, prefix_text = (part.strip() for part in wanted.partition("/"))
    try:
        key, shown = _read_address(address_text)
    except ValueError as error:
        message = f"“{address_text}” {error}; a range is written like {RANGE_EXAMPLES}."
        raise ValueError(message) from None
    if not slash:
        return IpSearch(key, key, shown, shown)
    family, width = ("IPv6", 128) if ":" in address_text else ("IPv4", 32)
    if not (prefix_text.isascii() and prefix_text.isdigit()):
        raise ValueError(
            f"“/{prefix_text}” is not a prefix length; write a range like {RANGE_EXAMPLES}."
        )
    if int(prefix_text) > width:
        raise ValueError(f"An {family} prefix length is 0 to {width}; /{prefix_text} is too long.")
    prefix = int(prefix_text) + (128 - width)
    host_bits = (1 << (128 - prefix)) - 1
    value = int(key, 16)
    network = value & ~host_bits
    network_label = label = _range_label(network, prefix)
    if network != value:
        label += f" (the network containing {shown})"
    return IpSearch(f"{network:032x}", f"{network | host_bits:032x}", label, network_label)


# --- Dates and times -----------------------------------------------------------------------

ONE_MINUTE = timedelta(minutes=1)
# RFC 3339 §4.3 (as RFC 9557 now also reads Z): the time is in UTC and the local offset was
# not stated. Kept apart from +00:00, which states an offset of zero.
OFFSET_UNSTATED = ("Z", "-00:00", "-0000", "-00")
TIME_FORMAT = (
    "is not a date and time written YYYY-MM-DDTHH:MM:SS with a UTC offset "
    "(e.g. 2027-01-05T14:03:22+08:00, or 2027-01-05T06:03:22Z for UTC)"
)
NO_OFFSET = (
    "has no UTC offset; add the offset it was recorded in (e.g. 2027-01-05T14:03:22+08:00, or "
    "Z for UTC): the offset is kept as evidence"
)
# Offsets found so far, in minutes: there are only so many (whole minutes under ±24 hours).
_minutes_by_zone: dict[tzinfo, int] = {}


def _has_date_and_time_shape(text: str) -> bool:
    # Cheaper than a regular expression; fromisoformat checks the digits. It also takes week
    # dates, the basic format and times without seconds, which this keeps out.
    return (
        len(text) >= 19
        and text[4] == "-"
        and text[7] == "-"
        and text[10] in "Tt "
        and text[13] == ":"
        and text[16] == ":"
    )


def _offset_minutes(zone: tzinfo, written: datetime) -> int:
    minutes = _minutes_by_zone.get(zone)
    if minutes is None:
        offset = written.utcoffset()
        assert offset is not None  # the zone came from fromisoformat, which gives fixed offsets
        if offset % ONE_MINUTE:
            raise ValueError("has a UTC offset with seconds; give the offset in whole minutes")
        minutes = _minutes_by_zone[zone] = offset // ONE_MINUTE
    return minutes


def _why_unreadable(text: str) -> str:
    try:
        datetime.fromisoformat(text[:19])
    except ValueError:
        return "is not a real date and time (check the month, day and hour)"
    return TIME_FORMAT


def parse_access_time(text: str) -> tuple[datetime, int | None]:
    """An ISO 8601 date and time with its UTC offset (2027-01-05T14:03:22+08:00; Z; a
    fraction of a second; a space for the T) as (the instant in UTC, the filer's offset in
    minutes). The offset is None for Z or -00:00, which say the time is UTC and the local
    offset is not known (RFC 3339 §4.3); +00:00 gives 0.

    A time without an offset is refused: the offset the provider recorded is evidence
    (§7.308(d)(1)(i)(F)), and guessing one would move the time. ValueError says what is
    wrong, to be shown next to the value."""
    text = text.strip()
    if not _has_date_and_time_shape(text):
        raise ValueError(TIME_FORMAT)
    if text[-1] == "z":  # RFC 3339 allows a lowercase z; fromisoformat in 3.11 does not
        text = text[:-1] + "Z"
    try:
        written = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_why_unreadable(text)) from None
    zone = written.tzinfo
    if zone is None:
        raise ValueError(NO_OFFSET)
    minutes: int | None = _offset_minutes(zone, written)
    if minutes == 0 and text.endswith(OFFSET_UNSTATED):
        minutes = None
    try:
        return written.astimezone(UTC), minutes
    except OverflowError:
        raise ValueError("is out of range once moved to UTC") from None


# --- The file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogProblem:
    """One thing wrong with the file: ``row`` as a spreadsheet numbers it (the header is row 1,
    the first data row 2), ``column`` as the template names it ("" for the whole row). The
    fields are intake.resellers.rules.RowProblem's, so the same report template shows either."""

    row: int
    column: str
    value: str
    message: str
    citation: str


@dataclass(frozen=True)
class IpLogCheck:
    """The outcome of checking a file. ``entries`` is empty unless the file is ``ok`` (the file
    is taken whole or not at all) and its rows were not handed to a ``keep`` of the caller's.
    ``problems`` is in row order, at most the number asked for, of ``problem_count`` in all.
    ``rows_total`` counts the data rows read (not blank lines); reading stops one row past the
    limit."""

    entries: list[IpLogEntry]
    problems: list[LogProblem]
    problem_count: int
    rows_total: int

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Problems:
    """The problems listed, in row order, up to a limit; every problem counted."""

    def __init__(self, limit: int) -> None:
        self.listed: list[LogProblem] = []
        self.count = 0
        self.limit = limit

    def add(self, row: int, column: str, value: str, message: str, citation: str) -> None:
        self.count += 1
        if len(self.listed) < self.limit:
            if len(value) > MAX_SHOWN_VALUE:
                value = value[:MAX_SHOWN_VALUE] + "…"
            self.listed.append(LogProblem(row, column, value, message, citation))

    def add_about_file(self, message: str) -> None:
        """A problem with the whole file: on row 1, listed first even when the list is full."""
        self.count += 1
        self.listed.insert(0, LogProblem(1, "", "", message, FILE_CITATION))
        del self.listed[max(self.limit, 0) :]


@dataclass(frozen=True)
class _Layout:
    """Where the header put each column; ``unnamed`` are header cells with no name, under
    which a value is a problem."""

    width: int
    address_at: int
    time_at: int
    action_at: int | None
    unnamed: tuple[int, ...]


def _header_name(cell: str) -> str:
    """A header cell as a column name: "IP address" and "ip-address" → ip_address. A byte
    order mark is dropped, and the quotes it keeps csv from removing when the file was read as
    plain UTF-8."""
    name = cell.lstrip("\ufeff").strip().strip('"').strip().lower()
    return SPACING.sub("_", name)


def _header_problem(message: str, name: str = "", cell: str = "") -> LogProblem:
    return LogProblem(1, name, cell.strip(), message, FILE_CITATION)


def _read_header(header: Sequence[str] | None) -> tuple[_Layout | None, list[LogProblem]]:
    """The layout row 1 gives, or the problems saying why it gives none."""
    if header is None:
        return None, [_header_problem(f"the file is empty; row 1 must name the columns {NAMED}")]
    names = [_header_name(cell) for cell in header]
    if not any(names):
        return None, [_header_problem(f"row 1 is empty; it must name the columns {NAMED}")]
    problems = []
    position: dict[str, int] = {}
    for index, (name, cell) in enumerate(zip(names, header, strict=True)):
        letter = column_letter(index)
        if not name:
            continue
        if name in position:
            first = column_letter(position[name])
            message = f"column {name} appears twice (columns {first} and {letter})"
            problems.append(_header_problem(message, name, cell))
        elif name not in TEMPLATE_HEADER:
            # Only what the rule asks for is taken in: a provider's log may carry more about
            # a person (user agents, account names) than the report calls for.
            message = f"unknown column {name} (column {letter}); use only {NAMED}"
            problems.append(_header_problem(message, name, cell))
        else:
            position[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in position]
    if missing:
        message = (
            f"the file is missing the column(s) {', '.join(missing)}; row 1 must name the "
            f"columns {NAMED}"
        )
        problems.insert(0, _header_problem(message))
    if problems:
        return None, problems
    unnamed = tuple(index for index, name in enumerate(names) if not name)
    address_at, time_at = position["ip_address"], position["accessed_at"]
    return _Layout(len(names), address_at, time_at, position.get("action"), unnamed), []


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _stray_column(cells: Sequence[str], layout: _Layout) -> int | None:
    """The first column without a name in row 1 that has a value in this row, if any."""
    for index in layout.unnamed:
        if index < len(cells) and cells[index].strip():
            return index
    for index in range(layout.width, len(cells)):
        if cells[index].strip():
            return index
    return None


class _RowRefused(Exception):
    """The cells of one row that are wrong: (column, value, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.problems = problems


def _log_address(text: str) -> tuple[str, str]:
    if not text:
        raise ValueError("is required: the IP address used for the access or administration")
    key, shown = _read_address(text)
    if key in UNSPECIFIED_KEYS:  # what a log writes when it does not know
        raise ValueError(
            "is the unspecified address, which no connection comes from; give the address used"
        )
    return key, shown


def _entry(
    address_text: str, time_text: str, action_text: str, addresses: dict[str, tuple[str, str]]
) -> IpLogEntry:
    """One row as an entry; _RowRefused lists every cell that is wrong with it.

    ``addresses`` remembers the addresses already read: logs repeat the same few addresses,
    so most rows cost a dictionary look-up here."""
    problems = []
    address = addresses.get(address_text)
    if address is None:
        if len(addresses) >= REMEMBERED_ADDRESSES:
            addresses.clear()
        try:
            address = addresses[address_text] = _log_address(address_text)
        except ValueError as error:
            problems.append(("ip_address", address_text, str(error)))
    try:
        if not time_text:
            raise ValueError("is required: the date and time, with its UTC offset")
        accessed_at, offset = parse_access_time(time_text)
    except ValueError as error:
        problems.append(("accessed_at", time_text, str(error)))
    action = ACTION_BY_TEXT.get(action_text) or ACTION_BY_TEXT.get(
        " ".join(action_text.lower().split())
    )
    if action is None:
        problems.append(("action", action_text, "must be access or administration (or admin)"))
    if problems:
        raise _RowRefused(problems)
    return address[0], address[1], accessed_at, offset, action


def _note_row(
    problems: _Problems, row_number: int, stray: int | None, found: list[tuple[str, str, str]]
) -> None:
    if stray is not None:
        message = f"has a value in column {column_letter(stray)}, which has no name in row 1"
        problems.add(row_number, "", "", message, FILE_CITATION)
    for column, value, message in found:
        problems.add(row_number, column, value, message, CITATION)


@dataclass(frozen=True)
class _Unread:
    """A row csv could not read, and why, in the words of a row problem."""

    message: str


def _read_rows(rows: Iterable[Sequence[str]]) -> Iterator[Sequence[str] | _Unread]:
    """The rows, with a row csv refuses (a cell past its field size limit) as an ``_Unread``
    in its place: the file is refused at that row, as any other wrong row, and reading goes on
    so that the rows after it are checked too."""
    lines = iter(rows)
    while True:
        try:
            yield next(lines)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                yield _Unread(
                    f"has a cell longer than {csv.field_size_limit():,} characters, longer "
                    "than any address, date and time or action"
                )
            else:
                yield _Unread(f"could not be read as CSV ({error})")


def check_ip_log(
    rows: Iterable[Sequence[str]],
    *,
    max_rows: int = MAX_ROWS,
    max_listed_problems: int = MAX_LISTED_PROBLEMS,
    progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    keep: Callable[[IpLogEntry], object] | None = None,
) -> IpLogCheck:
    """Check a provider's log of the IP addresses a foreign person used and when
    (§7.308(d)(1)(i)(F)), as csv.reader gives it: the first row is the header naming
    ip_address, accessed_at and, optionally, action (access or administration; access when
    absent or blank). Blank lines are skipped but keep their numbers. The same address at the
    same instant twice is not a problem: logs repeat.

    ``progress`` is told how many data rows have been read, every ``progress_every`` rows and
    once at the end. ``keep``, when given, is handed each entry as its row is read, up to the
    first problem (after which the file is refused, so what it kept is to be thrown away), and
    the check's ``entries`` stay empty: a million-row file need not be held whole."""
    lines = _read_rows(rows)
    header = next(lines, None)
    if isinstance(header, _Unread):
        header_problems = [_header_problem(f"row 1 {header.message}")]
        return IpLogCheck([], header_problems[: max(max_listed_problems, 0)], 1, 0)
    layout, header_problems = _read_header(header)
    if layout is None:
        listed = header_problems[: max(max_listed_problems, 0)]
        return IpLogCheck([], listed, len(header_problems), 0)

    problems = _Problems(max_listed_problems)
    entries: list[IpLogEntry] = []
    if keep is None:
        keep = entries.append
    addresses: dict[str, tuple[str, str]] = {}
    rows_total = 0
    width, address_at, time_at, action_at = (
        layout.width,
        layout.address_at,
        layout.time_at,
        layout.action_at,
    )
    tidy = not layout.unnamed
    for row_number, cells in enumerate(lines, start=2):
        if isinstance(cells, _Unread):
            rows_total += 1
            problems.add(row_number, "", "", cells.message, FILE_CITATION)
            continue
        stray = None
        if tidy and len(cells) == width:
            # The usual row: exactly the named columns, so no value can be out of place.
            address_text = cells[address_at].strip()
            time_text = cells[time_at].strip()
            action_text = cells[action_at].strip() if action_at is not None else ""
        else:
            address_text = _cell(cells, address_at)
            time_text = _cell(cells, time_at)
            action_text = _cell(cells, action_at)
            stray = _stray_column(cells, layout)
        if not (address_text or time_text or action_text or stray is not None):
            continue
        rows_total += 1
        if rows_total > max_rows:
            problems.add_about_file(
                f"the file has more than {max_rows:,} rows; at most {max_rows:,} go in one file"
            )
            break
        try:
            entry = _entry(address_text, time_text, action_text, addresses)
        except _RowRefused as refused:
            _note_row(problems, row_number, stray, refused.problems)
        else:
            if stray is not None:
                _note_row(problems, row_number, stray, [])
            elif not problems.count:  # once the file is refused, its entries are not needed
                keep(entry)
        if progress is not None and rows_total % progress_every == 0:
            progress(rows_total)
    if rows_total == 0:
        problems.add_about_file("the file has no rows below the header")
    if progress is not None:
        progress(rows_total)
    return IpLogCheck(
        entries if not problems.count else [], problems.listed, problems.count, rows_total
    )


# --- An attachment's way through the job worker ----------------------------------------------
#
# A log is received whole in the request and checked and stored by a job (docs/architecture.md
# §11): its record says how that ended, and while the job runs, the job says how far it got.


class IpLogStatus(enum.StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    ATTACHED = "attached"  # every row stored
    REJECTED = "rejected"  # problems by row: nothing stored but the list of them
    FAILED = "failed"  # the job could not finish; the log is kept for another try


IP_LOG_TRANSITIONS: dict[IpLogStatus, frozenset[IpLogStatus]] = {
    IpLogStatus.QUEUED: frozenset({IpLogStatus.CHECKING, IpLogStatus.FAILED}),
    IpLogStatus.CHECKING: frozenset(
        {IpLogStatus.ATTACHED, IpLogStatus.REJECTED, IpLogStatus.FAILED}
    ),
    IpLogStatus.ATTACHED: frozenset(),
    IpLogStatus.REJECTED: frozenset(),
    # An analyst's retry of its job checks the log again from the first row.
    IpLogStatus.FAILED: frozenset({IpLogStatus.CHECKING}),
}
IP_LOG_RUNNING = frozenset({IpLogStatus.QUEUED, IpLogStatus.CHECKING})


def next_ip_log_status(current: IpLogStatus, wanted: IpLogStatus) -> IpLogStatus:
    workflow.check_transition(IP_LOG_TRANSITIONS, current, wanted, record="IP log")
    return wanted


def shown_ip_log_status(stored: IpLogStatus, job_state: JobState | None) -> IpLogStatus:
    """What to say of an attachment: its job's work commits only at the end, so while the job
    runs the record still reads as it did before (queued, or failed before a retry)."""
    if stored in (IpLogStatus.ATTACHED, IpLogStatus.REJECTED):
        return stored
    if job_state is JobState.RUNNING:
        return IpLogStatus.CHECKING
    if job_state is JobState.QUEUED:
        return IpLogStatus.QUEUED
    return stored


def lines_below_header(line_breaks: int, *, ends_with_line_break: bool) -> int:
    """The data rows a log seems to have, from the line breaks counted in it, for the progress
    of its check before it is read (blank lines and line breaks inside quotes make it a little
    high)."""
    lines = line_breaks + (0 if ends_with_line_break else 1)
    return max(lines - 1, 0)
