"""Use cases of the compiled foreign-reseller certification (§7.304(e)-(f)): the upload, its
import row by row (inline for small files, in the background for large ones), the reports of
an import, and the list of resellers it keeps."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas
from flask import Flask, current_app
from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core import clocks, documents, exports, signals
from core.audit.services import FAILURE, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError
from core.schema import email_key
from intake import kinds
from intake import rules as intake_rules
from intake.models import (
    ApiToken,
    Document,
    Filing,
    ForeignReseller,
    Provider,
    ResellerImport,
    audit_label_of,
)
from intake.resellers import registry, rules
from intake.services import next_receipt_number, restart_annual_clock

# --- Compiled foreign-reseller certifications (§7.304(e)-(f)) ----------------------------------

REPORT_HEADER = ("row", "column", "value", "message", "citation")
RESULTS_HEADER = ("row", "reseller_name", "jurisdiction", "result")
# A long cell (a 20,000-character summary) is cut in the report: the row and column find it.
REPORT_VALUE_CHARS = 200
CSV_PARSER_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
logger = logging.getLogger(__name__)


class UploadRefused(DomainError):
    """Not a file that can be checked (none, empty, too large, neither CSV nor Excel), or an
    import for the provider is still running; nothing was stored."""


class ImportStillRunning(UploadRefused):
    """An earlier file of the provider is still being imported: the upload waits for it."""


class UnreadableFile(DomainError):
    def __init__(self, problem: rules.RowProblem):
        self.problem = problem
        super().__init__(problem.message)


@dataclass(frozen=True)
class ResellerChanges:
    added: int
    updated: int
    unchanged: int
    left_out: list[str]  # active resellers on record that the file does not mention
    results: list[tuple[int, str, str, str]]  # row, name, jurisdiction, added/updated/unchanged


def get_reseller_import(import_id: int) -> ResellerImport | None:
    """The import; one that stopped with its process reads as failed (docs/architecture.md §3:
    nothing received is left looking as if it were still being worked on). Reading stores
    nothing: the failure is recorded when the provider's next file comes in
    (``_running_import``)."""
    record = db.session.get(ResellerImport, import_id)
    if record is not None and _is_stale(record):
        reference = secrets.token_hex(4).upper()
        logger.warning("reseller import %s stopped without finishing, reference %s",
                       import_id, reference)  # fmt: skip
        # Loaded values, not changes: this answer shows the failure, and no commit stores it.
        set_committed_value(record, "status", rules.ImportStatus.FAILED.value)
        set_committed_value(record, "failure_reference", reference)
    return record


def _is_stale(record: ResellerImport) -> bool:
    return rules.import_is_stale(record.status, record.started_at or record.uploaded_at, utcnow())


def reseller_imports_of(provider: Provider) -> list[ResellerImport]:
    return list(
        db.session.execute(
            select(ResellerImport)
            .where(ResellerImport.provider_id == provider.id)
            .order_by(ResellerImport.uploaded_at.desc(), ResellerImport.id.desc())
        ).scalars()
    )


def _running_import(provider: Provider) -> ResellerImport | None:
    running = [status.value for status in rules.RUNNING]
    for record_id in db.session.execute(
        select(ResellerImport.id).where(
            ResellerImport.provider_id == provider.id, ResellerImport.status.in_(running)
        )
    ).scalars():
        record = db.session.get(ResellerImport, record_id)
        if record is None:
            continue
        if not _is_stale(record):
            return record
        _fail_import(record, secrets.token_hex(4).upper(), "stopped without finishing")
    return None


def start_reseller_import(
    provider: Provider,
    *,
    filename: str,
    content: bytes,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> ResellerImport:
    """Take an uploaded compiled certification in, queued for ``run_reseller_import``."""
    if not content.strip():
        raise UploadRefused("The file is empty.")
    if len(content) > rules.MAX_RESELLER_FILE_BYTES:
        limit = rules.MAX_RESELLER_FILE_BYTES // (1024 * 1024)
        raise UploadRefused(f"The file is larger than {limit} MB; split it into several files.")
    zip_names = documents.zip_names(content) if content.startswith(b"PK") else frozenset()
    file_format = rules.reseller_file_format(filename, content, zip_names)
    if file_format is None:
        raise UploadRefused(
            "Upload the compiled file as CSV (saved as UTF-8) or as an Excel workbook (.xlsx)."
        )
    if (running := _running_import(provider)) is not None:
        raise ImportStillRunning(
            f"The file {running.filename} is still being imported for this provider; wait until "
            "it has finished, then upload again."
        )
    record = ResellerImport(
        provider_id=provider.id,
        uploaded_by_id=actor.id if actor else None,
        api_token_id=token.id if token else None,
        filename=filename[:255],
        file_format=file_format,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        status=rules.ImportStatus.QUEUED.value,
        uploaded_at=utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    record_event(
        "reseller_import.upload",
        actor=actor,
        actor_label=audit_label_of(token),
        subject=("reseller_import", record.id),
        after={
            "provider": provider.id,
            "filename": record.filename,
            "format": file_format,
            "bytes": record.size_bytes,
            "sha256": record.sha256,
        },
    )
    return record


def read_reseller_table(content: bytes, file_format: str) -> list[tuple[str, ...]]:
    """Every row of the file (an Excel workbook's first sheet) as text cells: the spreadsheet's
    row n is item n - 1, empty rows included, so that row numbers match what a person sees."""
    options: dict[str, Any] = {"header": None, "dtype": str, "keep_default_na": False}
    if file_format == "xlsx":
        try:
            frame = pandas.read_excel(io.BytesIO(content), sheet_name=0, **options)
        # A workbook that passed the format check can still be broken in many ways (XML, styles,
        # shared strings); each is the file's fault, not the system's.
        except Exception:
            message = "could not be read as an Excel workbook; save it from the template as .xlsx"
            raise UnreadableFile(
                rules.RowProblem(1, "", "", message, rules.FILE_CITATION)
            ) from None
        return list(frame.itertuples(index=False, name=None))
    try:
        text = content.decode("utf-8-sig")
        frame = pandas.read_csv(io.StringIO(text), skip_blank_lines=False, **options)
    except pandas.errors.EmptyDataError:
        return []
    except pandas.errors.ParserError as error:
        row, message = 1, "could not be read as CSV; save it from the template as CSV UTF-8"
        if match := CSV_PARSER_COUNT.search(str(error)):
            expected, line, saw = match.groups()
            row, message = int(line), f"has {saw} cells where the header row has {expected}"
        raise UnreadableFile(rules.RowProblem(row, "", "", message, rules.FILE_CITATION)) from None
    return list(frame.itertuples(index=False, name=None))


def error_report_csv(check: rules.ResellerFileCheck) -> str:
    rows: list[tuple[object, ...]] = [
        (
            problem.row,
            problem.column,
            problem.value[:REPORT_VALUE_CHARS]
            + ("…" if len(problem.value) > REPORT_VALUE_CHARS else ""),
            problem.message,
            problem.citation,
        )
        for problem in check.problems
    ]
    if check.problem_count > len(check.problems):
        more = check.problem_count - len(check.problems)
        rows.append(("", "", "", f"and {more:,} more problems, not listed", ""))
    return exports.plain_csv_text(REPORT_HEADER, rows)


def error_preview(record: ResellerImport, limit: int = 100) -> list[list[str]]:
    """The first problems of a rejected file's report, for its page."""
    if not record.error_report:
        return []
    reader = csv.reader(io.StringIO(record.error_report))
    next(reader, None)
    return list(itertools.islice(reader, limit))


# A small file is imported within the request; a large one (50,000 rows and more) in a
# background thread, whose progress the import's status page and API answer show.
INLINE_IMPORT_MAX_BYTES = 256 * 1024


def import_reseller_file(import_id: int, content: bytes) -> None:
    """Run an import now if the file is small, else in a background thread.

    Commits the request's work first: the import runs in transactions of its own (in another
    thread for a large file), which must find the queued import stored."""
    db.session.commit()
    if len(content) <= INLINE_IMPORT_MAX_BYTES:
        run_reseller_import(import_id, content)
        return
    threading.Thread(
        target=_import_in_background,
        args=(current_app._get_current_object(), import_id, content),
        name=f"reseller-import-{import_id}",
        daemon=True,
    ).start()


def _import_in_background(app: Flask, import_id: int, content: bytes) -> None:
    with app.app_context():
        run_reseller_import(import_id, content)


def run_reseller_import(import_id: int, content: bytes) -> ResellerImport:
    """Check a compiled file and store all of it, or nothing but its error report
    (docs/architecture.md §3).

    Runs in the request for a small file and in a background thread for a large one; like a
    command it owns its transactions: progress is committed as the rows are checked, the outcome
    in one transaction at the end. Anything unexpected marks the import failed with a reference
    number for the log.
    """
    record = db.session.get(ResellerImport, import_id)
    if record is None:
        raise DomainError(f"no reseller import {import_id}")
    try:
        record.status = rules.next_import_status(record.status, rules.ImportStatus.CHECKING)
        record.started_at = utcnow()
        db.session.commit()
        try:
            table = read_reseller_table(content, record.file_format)
        except UnreadableFile as unreadable:
            check = rules.ResellerFileCheck(problems=[unreadable.problem], problem_count=1)
        else:
            record.rows_total = max(len(table) - 1, 0)
            db.session.commit()
            check = rules.check_reseller_file(table, progress=_progress_saver(record))
        if check.ok:
            _store_reseller_certification(record, check, content)
        else:
            _reject_import(record, check)
        db.session.commit()
    except Exception:
        reference = secrets.token_hex(4).upper()
        logger.exception("reseller import %s failed, reference %s", import_id, reference)
        db.session.rollback()
        try:
            _fail_import(db.session.get(ResellerImport, import_id), reference, "failed")
            db.session.commit()
        # Even the failure could not be recorded (the database is gone): the log has the
        # reference, and the status page marks the import failed once it is stale.
        except Exception:
            logger.exception(
                "reseller import %s: could not record failure %s", import_id, reference
            )
            db.session.rollback()
    return record


def _progress_saver(record: ResellerImport):
    def save(rows_done: int) -> None:
        record.rows_done = rows_done
        db.session.commit()

    return save


def _uploader(record: ResellerImport) -> User | None:
    """The analyst who uploaded the file; None when a provider's system filed it by API."""
    return record.uploaded_by


def _system_label(record: ResellerImport) -> str | None:
    return audit_label_of(record.api_token)


def _reject_import(record: ResellerImport, check: rules.ResellerFileCheck) -> None:
    record.status = rules.next_import_status(record.status, rules.ImportStatus.REJECTED)
    record.rows_total = record.rows_done = check.rows_total
    record.error_count = check.problem_count
    record.error_report = error_report_csv(check)
    record.finished_at = utcnow()
    first = check.problems[0]
    where = f"row {first.row}" + (f", {first.column}" if first.column else "")
    record_event(
        "reseller_import.reject",
        actor=_uploader(record),
        actor_label=_system_label(record),
        subject=("reseller_import", record.id),
        after={
            "provider": record.provider_id,
            "rows": check.rows_total,
            "problems": check.problem_count,
            "first": f"{where}: {first.message}",
        },
        outcome=FAILURE,
    )


def _fail_import(record: ResellerImport, reference: str, what: str) -> None:
    record.status = rules.next_import_status(record.status, rules.ImportStatus.FAILED)
    record.failure_reference = reference
    record.finished_at = utcnow()
    record_event(
        "reseller_import.fail",
        actor=None,
        actor_label="reseller import",
        subject=("reseller_import", record.id),
        after={"provider": record.provider_id, "reference": reference, "what": what},
        outcome=FAILURE,
    )


def _last_reseller_certification(provider: Provider) -> Filing | None:
    """The latest compiled certification that counts for the §7.304(f) clock (one received
    before its window opened does not)."""
    return db.session.execute(
        select(Filing)
        .where(
            Filing.provider_id == provider.id,
            Filing.kind == kinds.FilingKind.RESELLER_CERTIFICATION.value,
            or_(
                Filing.timeliness.is_(None), Filing.timeliness != clocks.Timeliness.TOO_EARLY.value
            ),
        )
        .order_by(Filing.received_on.desc(), Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _store_reseller_certification(
    record: ResellerImport, check: rules.ResellerFileCheck, content: bytes
) -> Filing:
    """The filing, the file as received, the clock and the reseller list, all in the caller's
    transaction."""
    actor = _uploader(record)
    # Taken first, so that two imports for one provider write its list one after the other.
    provider = db.session.execute(
        select(Provider).where(Provider.id == record.provider_id).with_for_update()
    ).scalar_one()
    received_on = clocks.office_today(record.uploaded_at)
    previous = _last_reseller_certification(provider)
    previous_on = previous.received_on if previous else None
    verdict = rules.reseller_certification_timeliness(previous_on, received_on)
    # The file is kept byte for byte in a Document rather than in the filing's raw_payload: an
    # Excel workbook is binary, a 50,000-row file runs to tens of megabytes, and every list of
    # filings loads raw_payload. The filing keeps the file's SHA-256 (what was received) and a
    # compact JSON pointing to the Document.
    document = Document(
        filename=record.filename,
        content_type=rules.RESELLER_FILE_FORMATS[record.file_format],
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        content=content,
        uploaded_at=record.uploaded_at,
        uploaded_by_id=record.uploaded_by_id,
    )
    db.session.add(document)
    db.session.flush()
    raw = {
        "kind": kinds.FilingKind.RESELLER_CERTIFICATION.value,
        "document_id": document.id,
        "filename": record.filename,
        "format": record.file_format,
        "size_bytes": record.size_bytes,
        "sha256": record.sha256,
        "rows": len(check.rows),
    }
    filing = Filing(
        receipt_number=next_receipt_number(received_on.year),
        kind=kinds.FilingKind.RESELLER_CERTIFICATION.value,
        provider_id=provider.id,
        channel="api" if record.api_token_id else "bulk",
        raw_payload=json.dumps(raw, ensure_ascii=False),
        payload_sha256=record.sha256,
        # What the file changed on the list, once the list is written below.
        data_json={},
        received_at=record.uploaded_at,
        received_on=received_on,
        keyed_by_id=record.uploaded_by_id,
        api_token_id=record.api_token_id,
        timeliness=verdict.value if verdict else None,
        rules_version=intake_rules.RULES_VERSION,
    )
    db.session.add(filing)
    db.session.flush()
    # The list records the certification each reseller's CIP was certified in (§7.304(f)).
    changes = _upsert_resellers(provider.id, check.rows, received_on, filing.id)
    warnings = rules.reseller_certification_warnings(
        previous_on, received_on, left_out=changes.left_out
    )
    summary = {
        "filename": record.filename,
        "file_format": record.file_format,
        "reseller_count": len(check.rows),
        "added": changes.added,
        "updated": changes.updated,
        "unchanged": changes.unchanged,
        "jurisdictions": sorted({row["jurisdiction"] for row in check.rows}),
        "customer_count": sum(row["customer_count"] for row in check.rows),
        "unverified_account_count": sum(row["unverified_account_count"] for row in check.rows),
    }
    filing.data_json = summary
    filing.warnings_json = [warning.as_dict() for warning in warnings]
    if verdict is not clocks.Timeliness.TOO_EARLY:
        restart_annual_clock(provider, filing, actor, clock_key=rules.RESELLER_CLOCK)
    record.status = rules.next_import_status(record.status, rules.ImportStatus.IMPORTED)
    record.rows_total = record.rows_done = len(check.rows)
    record.filing_id, record.document_id = filing.id, document.id
    record.row_results = exports.plain_csv_text(RESULTS_HEADER, changes.results)
    record.finished_at = utcnow()
    record_event(
        "filing.receive",
        actor=actor,
        actor_label=_system_label(record),
        subject=("filing", filing.receipt_number),
        after={
            "kind": filing.kind,
            "provider": provider.id,
            "channel": filing.channel,
            "sha256": filing.payload_sha256,
            "supersedes": None,
            "warnings": len(warnings),
        },
    )
    record_event(
        "reseller_import.import",
        actor=actor,
        actor_label=_system_label(record),
        subject=("reseller_import", record.id),
        after={
            "filing": filing.receipt_number,
            "rows": len(check.rows),
            "added": changes.added,
            "updated": changes.updated,
            "unchanged": changes.unchanged,
        },
    )
    # Other modules react in this transaction (special measures screen the resellers).
    signals.send(signals.reseller_certification_received, filing=filing, actor=actor)
    return filing


RESELLER_VALUE_COLUMNS = (
    "began_on",
    "ended_on",
    "status",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
)


def _reseller_values(row: dict[str, Any], received_on: date) -> dict[str, Any]:
    return {
        "began_on": row["relationship_began_on"],
        "ended_on": row["relationship_ended_on"],
        "status": rules.reseller_status(row["relationship_ended_on"], received_on),
        "contact_name": row["contact_name"],
        "contact_title": row["contact_title"],
        "contact_email": row["contact_email"],
        "contact_phone": row["contact_phone"],
    }


def _comparable(column: str, value: Any) -> Any:
    return email_key(value) if column == "contact_email" and value else value


def _reseller_changed(on_record: Any, values: dict[str, Any]) -> bool:
    """Whether a row changes what is on record; an email that differs only in case is the same
    address, and stays as first given."""
    return any(
        _comparable(name, getattr(on_record, name)) != _comparable(name, values[name])
        for name in RESELLER_VALUE_COLUMNS
    )


def _upsert_resellers(
    provider_id: int, rows: list[dict[str, Any]], received_on: date, filing_id: int
) -> ResellerChanges:
    """Add the file's new resellers and update those on record (matched by name and
    jurisdiction, §7.304(a)(2)(viii)) with executemany statements, so that 50,000 rows are a few
    round trips; every one in the file is marked as certified by the filing (§7.304(f))."""
    table = ForeignReseller.__table__
    by_key = registry.on_record(
        provider_id, *(name for name in RESELLER_VALUE_COLUMNS if name != "status")
    )
    inserts, updates, unchanged, in_file, results = [], [], [], set(), []
    for row in rows:
        key = rules.reseller_key(row["reseller_name"], row["jurisdiction"])
        in_file.add(key)
        values = _reseller_values(row, received_on)
        match = by_key.get(key)
        result = "unchanged"
        if match is None:
            result = "added"
            inserts.append(
                {
                    "provider_id": provider_id,
                    "name": row["reseller_name"],
                    "jurisdiction": row["jurisdiction"],
                    "certified_in_id": filing_id,
                    **values,
                }
            )
        elif _reseller_changed(match, values):
            result = "updated"
            updates.append({"target_id": match.id, **{f"new_{k}": v for k, v in values.items()}})
        else:
            unchanged.append({"target_id": match.id})
        results.append((row["row"], row["reseller_name"], row["jurisdiction"], result))
    if inserts:
        db.session.execute(insert(table), inserts)
    by_id = update(table).where(table.c.id == bindparam("target_id"))
    if updates:
        db.session.execute(
            by_id.values(
                {name: bindparam(f"new_{name}") for name in RESELLER_VALUE_COLUMNS}
                | {"certified_in_id": filing_id}
            ),
            updates,
        )
    if unchanged:
        db.session.execute(by_id.values(certified_in_id=filing_id), unchanged)
    exempt = registry.exempt_resellers(provider_id)
    # An exempt reseller is not expected in the certification (§7.306(e)).
    left_out = [
        f"{reseller.name} ({reseller.jurisdiction})"
        for key, reseller in by_key.items()
        if key not in in_file and reseller.status == "active" and reseller.id not in exempt
    ]
    return ResellerChanges(len(inserts), len(updates), len(unchanged), left_out, results)


def download_import_report(record: ResellerImport, report: str, *, actor: User) -> str | None:
    """One of an import's CSV reports: ``errors`` for a rejected file, ``results`` for an
    imported one; None if the import has no such report."""
    text = record.error_report if report == "errors" else record.row_results
    if not text:
        return None
    record_event(
        f"export.reseller_import_{report}",
        actor=actor,
        subject=("reseller_import", record.id),
        after={"problems": record.error_count, "rows": record.rows_total},
    )
    return text


def download_reseller_template(file_format: str, *, actor: User) -> None:
    record_event("export.reseller_template", actor=actor, after={"format": file_format})
