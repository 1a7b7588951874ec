"""Use cases of the compiled foreign-reseller certification (§7.304(e)-(f)): the upload, its
import row by row (a job, run by the job worker), the reports of an import, and the list of
resellers it keeps."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm.attributes import set_committed_value

from core import clocks, documents, exports, signals
from core.audit.services import FAILURE, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.errors import DomainError
from core.jobs import registry as job_registry
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork
from core.jobs.rules import JobState
from core.jobs.services import JobRefused
from intake import kinds
from intake import rules as intake_rules
from intake.models import (
    ApiToken,
    Document,
    Filing,
    Provider,
    ResellerImport,
    audit_label_of,
)
from intake.resellers import rules
from intake.resellers.upsert import upsert_resellers
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


def get_reseller_import(import_id: int) -> ResellerImport | None:
    """The import, with the rows its job has checked so far while it runs (the job's work
    commits only at its end, docs/architecture.md §11). Reading stores nothing."""
    record = db.session.get(ResellerImport, import_id)
    if record is not None and record.status in rules.RUNNING:
        job = jobs.latest_job_for(IMPORT_JOB, record.id)
        if job is not None and job.state is JobState.RUNNING:
            progress = jobs.live_progress(job)
            # Loaded values, not changes: this answer shows the progress, no commit stores it.
            set_committed_value(record, "status", rules.ImportStatus.CHECKING)
            set_committed_value(record, "rows_total", progress["total"] or 0)
            set_committed_value(record, "rows_done", progress["checked"] or 0)
    return record


def import_job_of(record: ResellerImport) -> Job | None:
    return jobs.latest_job_for(IMPORT_JOB, record.id)


def reseller_imports_of(provider: Provider) -> list[ResellerImport]:
    return list(
        db.session.execute(
            select(ResellerImport)
            .where(ResellerImport.provider_id == provider.id)
            .order_by(ResellerImport.uploaded_at.desc(), ResellerImport.id.desc())
        ).scalars()
    )


def _running_import(provider: Provider) -> ResellerImport | None:
    """An import of the provider's that its job has not finished: files of one provider are
    imported one after the other, each against the list the one before left."""
    running = [status.value for status in rules.RUNNING]
    return db.session.execute(
        select(ResellerImport)
        .where(ResellerImport.provider_id == provider.id, ResellerImport.status.in_(running))
        .order_by(ResellerImport.id)
        .limit(1)
    ).scalar_one_or_none()


def start_reseller_import(
    provider: Provider,
    *,
    filename: str,
    content: bytes,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> ResellerImport:
    """Take an uploaded compiled certification in: its record, and the job that imports it
    from the file's bytes, kept sealed until the job has stored them (§7.304(f))."""
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
    jobs.enqueue(
        IMPORT_JOB,
        subject=("reseller_import", record.id),
        content=content,
        actor=actor,
        requested_by_label=audit_label_of(token),
    )
    return record


def read_reseller_table(content: bytes, file_format: str) -> list[tuple[str, ...]]:
    """Every row of the file (an Excel workbook's first sheet) as text cells: the spreadsheet's
    row n is item n - 1, empty rows included, so that row numbers match what a person sees."""
    import pandas  # some 60 MB a process: only reading a file needs it

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


IMPORT_JOB = "reseller_import"


def run_reseller_import(job: Job, work: JobWork) -> str:
    """Check a compiled file and store all of it, or nothing but its error report
    (docs/architecture.md §3), in the job's one transaction: a worker that dies mid-file leaves
    nothing, and the job runs again from the first row."""
    record = db.session.get(ResellerImport, job.subject_id)
    if record is None:
        raise JobRefused(f"reseller import {job.subject_id} no longer exists")
    if record.status is not rules.ImportStatus.CHECKING:
        record.status = rules.next_import_status(record.status, rules.ImportStatus.CHECKING)
    record.started_at = utcnow()
    record.failure_reference = None
    content = work.content()
    try:
        table = read_reseller_table(content, record.file_format)
    except UnreadableFile as unreadable:
        check = rules.ResellerFileCheck(problems=[unreadable.problem], problem_count=1)
    else:
        record.rows_total = max(len(table) - 1, 0)
        work.progress(checked=0, total=record.rows_total)
        check = rules.check_reseller_file(
            table, progress=lambda rows_done: work.progress(checked=rows_done)
        )
    if not check.ok:
        _reject_import(record, check)
        return f"Rejected: {check.problem_count:,} problems in {check.rows_total:,} rows."
    filing = _store_reseller_certification(record, check, content)
    work.progress(checked=check.rows_total, stored=len(check.rows))
    return (
        f"Imported as receipt {filing.receipt_number}: {len(check.rows):,} foreign resellers "
        "certified."
    )


def _import_failed(job: Job, reason: str) -> None:
    record = db.session.get(ResellerImport, job.subject_id)
    if record is not None and record.status in rules.RUNNING:
        _fail_import(record, job.failure_reference or "", reason)


def _import_page(job: Job) -> tuple[str, dict[str, object]]:
    return "intake.reseller_import", {"import_id": job.subject_id}


job_registry.register(
    JobKind(
        IMPORT_JOB,
        label="Compiled reseller certification import (§7.304(f))",
        run=run_reseller_import,
        on_failure=_import_failed,
        subject_page=_import_page,
    )
)


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
    changes = upsert_resellers(provider.id, check.rows, received_on, filing.id)
    warnings = rules.reseller_certification_warnings(
        previous_on,
        received_on,
        left_out=changes.left_out,
        served_early=rules.served_before_reported(
            changes.first_reported, received_on, previous_on=previous_on
        ),
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
