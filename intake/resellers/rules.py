"""The compiled foreign-reseller certification (§7.304(e)-(f)): its columns, the check of a file
row by row, its timeliness and the steps of its import. Pure: takes the facts as arguments,
reads neither the clock nor the database."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core import clocks, control_characters
from core.schema import (
    Field,
    Kind,
    Problem,
    column_letter,
    read_cell,
)
from core.workflow import rules as workflow
from intake.rules import US_JURISDICTIONS, not_foreign, some_of

# --- Compiled foreign-reseller certifications (§7.304(e)-(f)) -----------------------------------
#
# One file, one row per foreign reseller, carrying a compact form of the §7.304(a) information
# the provider collected from it (§7.304(e)). Each column cites §7.304(f), which asks for the
# compiled certification, and the paragraph of the element it carries.

RESELLER_CLOCK = "cip.reseller_certification"
MAX_RESELLER_FILE_BYTES = 40 * 1024 * 1024
MAX_RESELLER_ROWS = 100_000
# Past this many, problems are counted but not listed: a report of every cell of a file in the
# wrong layout would help nobody.
MAX_LISTED_PROBLEMS = 50_000
RESELLER_FILE_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _column(name: str, label: str, kind: Kind, element: str, **options: Any) -> Field:
    return Field(name, label, kind, f"§7.304(f), {element}", **options)


RESELLER_COLUMNS: tuple[Field, ...] = (
    _column("reseller_name", "Foreign reseller's name", Kind.TEXT, "§7.304(a)(2)(viii)",
            max_length=200, hint="As the reseller is known to its customers"),
    _column("jurisdiction", "Foreign reseller's jurisdiction", Kind.COUNTRY,
            "§7.304(a)(2)(viii)", hint="ISO 3166-1 two-letter code, e.g. DE, JP, BR"),
    _column("relationship_began_on", "Reseller relationship began", Kind.DATE, "§7.304(d)",
            hint="YYYY-MM-DD"),
    _column("relationship_ended_on", "Reseller relationship ended", Kind.DATE, "§7.303(e)",
            required=False, hint="YYYY-MM-DD; leave empty while the relationship lasts"),
    _column("contact_name", "Reseller's Primary Contact: name", Kind.TEXT, "§7.304(a)(1)(vi)",
            max_length=120),
    _column("contact_title", "Reseller's Primary Contact: title", Kind.TEXT, "§7.304(a)(1)(vi)",
            max_length=120),
    _column("contact_email", "Reseller's Primary Contact: email", Kind.EMAIL, "§7.304(a)(1)(vi)",
            max_length=254),
    _column("contact_phone", "Reseller's Primary Contact: telephone", Kind.PHONE,
            "§7.304(a)(1)(vi)", hint="International format, with any extension, e.g. "
            "+49 30 5550 1234 ext. 12"),
    _column("verification_summary", "How the reseller verifies the identity of foreign persons",
            Kind.LONG_TEXT, "§7.304(a)(1)(i)"),
    _column("detection_summary", "How the reseller detects malicious cyber activity",
            Kind.LONG_TEXT, "§7.304(a)(1)(iii)"),
    _column("customer_count", "Number of the reseller's IaaS customers", Kind.INTEGER,
            "§7.304(a)(2)(vi)", hint="A whole number"),
    _column("unverified_account_count", "Foreign customer accounts whose identity is not verified",
            Kind.INTEGER, "§7.304(a)(2)(ix)", hint="A whole number"),
    _column("attest_cip_meets_7302", "The reseller's written CIP meets the standards of §7.302",
            Kind.ATTESTATION, "§7.304(a)(3)", hint="yes (also true or 1)"),
)  # fmt: skip

RESELLER_HEADER: tuple[str, ...] = tuple(column.name for column in RESELLER_COLUMNS)
FILE_CITATION = "§7.304(f)"

# What the downloadable template shows under its header row.
RESELLER_EXAMPLE: dict[str, str] = {
    "reseller_name": "Rheinland Cloud GmbH",
    "jurisdiction": "DE",
    "relationship_began_on": "2024-02-01",
    "relationship_ended_on": "",
    "contact_name": "Katrin Vogel",
    "contact_title": "Head of Compliance",
    "contact_email": "k.vogel@rheinland-cloud.example",
    "contact_phone": "+49 30 5550 1234",
    "verification_summary": "Government ID checked by a commercial identity service with a "
    "liveness video before an account is opened; sanctions screening at sign-up.",
    "detection_summary": "Flow-log analytics scored hourly and abuse reports reviewed daily by "
    "the security team.",
    "customer_count": "1250",
    "unverified_account_count": "3",
    "attest_cip_meets_7302": "yes",
}

# core.exports puts an apostrophe before these so that spreadsheets do not run a cell as a
# formula; a file that went out through an export (the template) comes back with it.
NEUTRALISED_TRIGGERS = ("'=", "'+", "'-", "'@")


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a compiled file: ``row`` as a spreadsheet numbers it (the header is
    row 1, the first reseller row 2), ``column`` as the header names it ("" for the whole row)."""

    row: int
    column: str
    value: str
    message: str
    citation: str


@dataclass
class ResellerFileCheck:
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Sorted by row; the first MAX_LISTED_PROBLEMS found, of problem_count in all.
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    rows_total: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    if text.startswith(NEUTRALISED_TRIGGERS):
        return text[1:]
    return text


def header_name(cell: Any) -> str:
    """A header cell as a column name: "Contact email" and "contact-email" → contact_email."""
    return re.sub(r"[\s\-]+", "_", _cell_text(cell).lstrip("\ufeff").strip().lower())


def _read_cell(spec: Field, text: str) -> tuple[Any, str | None]:
    """A cell checked as the same field sent by API is (core.schema.read_cell); a reseller is
    a foreign person, so its jurisdiction may not be a U.S. one (§7.301)."""
    value, message = read_cell(spec, text)
    if message is None and spec.kind is Kind.COUNTRY and value in US_JURISDICTIONS:
        return None, not_foreign(value)
    return value, message


COLUMN_BY_NAME = {column.name: column for column in RESELLER_COLUMNS}


def reseller_key(name: str, jurisdiction: str) -> tuple[str, str]:
    """Two rows name the same reseller when the names match ignoring case and spacing, in the
    same jurisdiction."""
    return " ".join(name.split()).casefold(), jurisdiction.upper()


def _header_problems(header: Sequence[Any], body: Sequence[Sequence[Any]]) -> list[RowProblem]:
    problems = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        name, letter = header_name(cell), column_letter(index)
        if not name:
            # Spreadsheets often carry empty columns at the right; only one with values matters.
            if any(index < len(row) and _cell_text(row[index]) for row in body):
                message = f"column {letter} has values but no name in row 1"
                problems.append(RowProblem(1, "", "", message, FILE_CITATION))
        elif name in seen:
            message = (
                f"column {name} appears twice (columns {column_letter(seen[name])} and {letter})"
            )
            problems.append(RowProblem(1, name, _cell_text(cell), message, FILE_CITATION))
        elif name not in COLUMN_BY_NAME:
            seen[name] = index
            message = f"unknown column {name} (column {letter}); use only the template's columns"
            problems.append(RowProblem(1, name, _cell_text(cell), message, FILE_CITATION))
        else:
            seen[name] = index
    missing = [spec.name for spec in RESELLER_COLUMNS if spec.required and spec.name not in seen]
    if missing:
        message = (
            f"the file is missing the column(s) {', '.join(missing)}; row 1 must name the "
            "template's columns"
        )
        problems.insert(0, RowProblem(1, "", "", message, FILE_CITATION))
    return problems


# What a cell's text reads as: its value, why it cannot be taken (None if it can) and the text
# shown beside that reason.
CellOutcome = tuple[Any, str | None, str]


def _read_text(spec: Field, text: str) -> CellOutcome:
    if message := control_characters.problem(text, free_text=spec.kind is Kind.LONG_TEXT):
        # The cell is shown without them: the report is kept in the database.
        return None, message, control_characters.strip(text, free_text=False)
    value, message = _read_cell(spec, text)
    return value, message, text


@dataclass(frozen=True)
class _ColumnReader:
    """One column of the file with what each distinct text in it read as: a cell's outcome
    depends on its column and text alone, and a file repeats most of them (a jurisdiction, a
    summary, a contact for several resellers), while an email or telephone check costs tens of
    microseconds."""

    spec: Field
    index: int
    seen: dict[str, CellOutcome] = field(default_factory=dict)

    def read(self, text: str) -> CellOutcome:
        outcome = self.seen.get(text)
        if outcome is None:
            outcome = self.seen[text] = _read_text(self.spec, text)
        return outcome


def _check_row(
    readers: Sequence[_ColumnReader], cells: Sequence[Any], row_number: int
) -> tuple[dict[str, Any], list[RowProblem]] | None:
    """The cleaned values of one reseller row and its problems; None for a wholly empty row."""
    width = len(cells)
    texts = [_cell_text(cells[reader.index]) if reader.index < width else "" for reader in readers]
    if not any(texts):
        return None
    cleaned: dict[str, Any] = dict.fromkeys(RESELLER_HEADER)
    problems = []
    for reader, text in zip(readers, texts, strict=True):
        spec = reader.spec
        if not text:
            if spec.required:
                problems.append(
                    RowProblem(
                        row_number, spec.name, "", f"is required: {spec.label}", spec.citation
                    )
                )
            continue
        value, message, shown = reader.read(text)
        if message:
            problems.append(RowProblem(row_number, spec.name, shown, message, spec.citation))
        cleaned[spec.name] = value
    began, ended = cleaned["relationship_began_on"], cleaned["relationship_ended_on"]
    if began and ended and ended < began:
        spec = COLUMN_BY_NAME["relationship_ended_on"]
        message = f"must not be before relationship_began_on ({began.isoformat()})"
        problems.append(
            RowProblem(row_number, spec.name, ended.isoformat(), message, spec.citation)
        )
    cleaned["row"] = row_number
    return cleaned, problems


def _duplicate_problems(rows: Sequence[Mapping[str, Any]]) -> list[RowProblem]:
    rows_by_key: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        if row["reseller_name"] and row["jurisdiction"]:
            key = reseller_key(row["reseller_name"], row["jurisdiction"])
            rows_by_key.setdefault(key, []).append(row)
    spec = COLUMN_BY_NAME["reseller_name"]
    problems = []
    for same in rows_by_key.values():
        if len(same) > 1:
            listed = ", ".join(str(row["row"]) for row in same)
            message = (
                f"the same reseller and jurisdiction are in rows {listed}; give each foreign "
                "reseller one row"
            )
            problems += [
                RowProblem(row["row"], spec.name, row["reseller_name"], message, spec.citation)
                for row in same
            ]
    return problems


def check_reseller_file(
    table: Sequence[Sequence[Any]],
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5_000,
) -> ResellerFileCheck:
    """Check a compiled file row by row: ``table[0]`` is the header row and ``table[n]`` the
    spreadsheet's row n + 1. Wholly empty rows are skipped but keep their numbers.

    ``progress`` is told how many rows have been checked, every ``progress_every`` rows.
    """
    result = ResellerFileCheck()
    if not table or not any(_cell_text(cell) for cell in table[0]):
        message = "row 1 must name the template's columns; it is empty"
        result.problems, result.problem_count = [RowProblem(1, "", "", message, FILE_CITATION)], 1
        return result
    header, body = table[0], table[1:]
    if header_problems := _header_problems(header, body):
        result.problems, result.problem_count = header_problems, len(header_problems)
        return result

    readers = [
        _ColumnReader(COLUMN_BY_NAME[header_name(cell)], index)
        for index, cell in enumerate(header)
        if header_name(cell) in COLUMN_BY_NAME
    ]
    problems: list[RowProblem] = []

    def note(found: list[RowProblem]) -> None:
        result.problem_count += len(found)
        problems.extend(found[: max(0, MAX_LISTED_PROBLEMS - len(problems))])

    for offset, cells in enumerate(body):
        checked = _check_row(readers, cells, offset + 2)
        if checked is None:
            continue
        result.rows_total += 1
        if result.rows_total <= MAX_RESELLER_ROWS:
            result.rows.append(checked[0])
            note(checked[1])
        if progress is not None and result.rows_total % progress_every == 0:
            progress(result.rows_total)
    if result.rows_total > MAX_RESELLER_ROWS:
        message = (
            f"the file has {result.rows_total:,} reseller rows; at most {MAX_RESELLER_ROWS:,} go "
            "in one file"
        )
        note([RowProblem(1, "", "", message, FILE_CITATION)])
    elif result.rows_total == 0:
        note(
            [RowProblem(1, "", "", "the file has no reseller rows below the header", FILE_CITATION)]
        )
    note(_duplicate_problems(result.rows))
    order = {name: index for index, name in enumerate(RESELLER_HEADER)}
    problems.sort(key=lambda problem: (problem.row, order.get(problem.column, -1)))
    result.problems = problems
    if progress is not None:
        progress(result.rows_total)
    return result


def reseller_file_format(filename: str, content: bytes, zip_names: frozenset[str]) -> str | None:
    """The file's format, csv or xlsx, from what its bytes are as well as what its name says;
    None for anything else. ``zip_names`` lists the members when the file is a ZIP (as every
    .xlsx is)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        is_workbook = content.startswith(b"PK\x03\x04") and "xl/workbook.xml" in zip_names
        return "xlsx" if is_workbook else None
    if extension == "csv":
        if b"\x00" in content or content.startswith((b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0")):
            return None
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        return "csv"
    return None


def reseller_certification_timeliness(
    previous_on: date | None, received_on: date
) -> clocks.Timeliness | None:
    """Early, on time or late against the previous compiled certification (§7.304(f)); None for
    a provider's first."""
    if previous_on is None:
        return None
    return clocks.annual_timeliness(RESELLER_CLOCK, previous_on, received_on)


@dataclass(frozen=True)
class FirstReported:
    """A foreign reseller a compiled certification certifies for the first time."""

    name: str
    jurisdiction: str
    began_on: date | None


def served_before_reported(
    first_reported: Sequence[FirstReported], received_on: date, *, previous_on: date | None
) -> list[str]:
    """§7.304(d): the provider notifies the Department "prior to the provision of U.S. IaaS
    products to a new foreign reseller", by the procedures of (e) and (f). A reseller is new
    when no earlier compiled certification certified it; one whose relationship began before
    the file that first reports it was received was served first. A provider's first compiled
    certification is its initial report (§7.304(e)-(f)), so it flags none."""
    if previous_on is None:
        return []
    return [
        f"{each.name} ({each.jurisdiction}, began {each.began_on.isoformat()})"
        for each in first_reported
        if each.began_on is not None and each.began_on < received_on
    ]


def reseller_certification_warnings(
    previous_on: date | None,
    received_on: date,
    *,
    left_out: Sequence[str] = (),
    served_early: Sequence[str] = (),
) -> list[Problem]:
    """Flags that never refuse a compiled certification (docs/architecture.md §3). ``left_out``
    names the foreign resellers on record, still active, that the file does not mention;
    ``served_early`` the new ones provided products before this file reported them."""
    found = []
    verdict = reseller_certification_timeliness(previous_on, received_on)
    if verdict is clocks.Timeliness.TOO_EARLY and previous_on:
        opens = clocks.window_opens(RESELLER_CLOCK, previous_on).isoformat()
        message = (
            f"received before the window opened on {opens} (no earlier than 60 days before the "
            "anniversary of the previous compiled certification)"
        )
        found.append(Problem("", message, FILE_CITATION))
    elif verdict is clocks.Timeliness.LATE and previous_on:
        due_on = clocks.due(RESELLER_CLOCK, previous_on).isoformat()
        message = f"late: the compiled foreign-reseller certification was due by {due_on}"
        found.append(Problem("", message, FILE_CITATION))
    if left_out:
        message = (
            f"{len(left_out):,} active foreign reseller(s) on record are not in the file "
            f"({some_of(left_out)}); the certification covers the CIPs of all foreign resellers"
        )
        found.append(Problem("", message, FILE_CITATION))
    if served_early:
        message = (
            f"{len(served_early):,} foreign reseller(s) no earlier compiled certification "
            f"certified were provided IaaS products before this one reported them "
            f"({some_of(served_early)}); the provider notifies the Department before providing "
            "products to a new foreign reseller"
        )
        found.append(Problem("", message, "§7.304(d)"))
    return found


class ResellerStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


def reseller_status(ended_on: date | None, received_on: date) -> ResellerStatus:
    """A reseller whose relationship has ended by the day the file arrived is listed as ended
    (§7.303(e)); one with a later end date is still active until then."""
    if ended_on is not None and ended_on <= received_on:
        return ResellerStatus.ENDED
    return ResellerStatus.ACTIVE


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    REJECTED = "rejected"  # a row or the header has errors: nothing stored but the report
    IMPORTED = "imported"
    FAILED = "failed"  # the system could not finish; a reference number says where to look


IMPORT_TRANSITIONS: dict[ImportStatus, frozenset[ImportStatus]] = {
    ImportStatus.QUEUED: frozenset({ImportStatus.CHECKING, ImportStatus.FAILED}),
    ImportStatus.CHECKING: frozenset(
        {ImportStatus.REJECTED, ImportStatus.IMPORTED, ImportStatus.FAILED}
    ),
    ImportStatus.REJECTED: frozenset(),
    ImportStatus.IMPORTED: frozenset(),
    # An analyst's retry of its job (core.jobs) checks the file again from the first row.
    ImportStatus.FAILED: frozenset({ImportStatus.CHECKING}),
}
RUNNING = frozenset({ImportStatus.QUEUED, ImportStatus.CHECKING})


def next_import_status(current: str, wanted: ImportStatus) -> ImportStatus:
    workflow.check_transition(IMPORT_TRANSITIONS, ImportStatus(current), wanted, record="import")
    return wanted


IMPORT_STEPS = ("File received", "Checked row by row", "Stored")


def import_step(status: str, rows_total: int, rows_done: int) -> int:
    """The step (1-3 of IMPORT_STEPS) an import is on; 4 once all are done."""
    current = ImportStatus(status)
    if current is ImportStatus.IMPORTED:
        return 4
    if current is ImportStatus.QUEUED:
        return 1
    if current is ImportStatus.CHECKING and rows_total and rows_done >= rows_total:
        return 3
    return 2
