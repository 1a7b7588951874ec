"""Use cases of the IP access logs attached to AI training reports (§7.308(d)(1)(i)(F)): the
request receives a log whole and stores it, sealed, with a job; the job worker checks every row
and stores them all or none in the job's one transaction (docs/architecture.md §3, §11); an
attachment's status, as its page and the API show it."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import lz4.frame
from sqlalchemy import select

from core import clocks
from core.audit.services import FAILURE, SUCCESS, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.documents import DocumentInPieces
from core.errors import DomainError
from core.jobs import registry as job_registry
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork
from core.jobs.rules import progress_text
from core.jobs.services import JobRefused
from intake import kinds
from intake.ai import ip_log
from intake.ai.ip_log import IpLogStatus
from intake.models import ApiToken, Document, Filing, IpLogAttachment, audit_label_of

IP_COLUMNS = (
    "filing_id", "attachment_id", "ip_key", "ip_address", "accessed_at",
    "utc_offset_minutes", "action",
)  # fmt: skip
MAX_IP_LOG_BYTES = 150 * 1024 * 1024
IP_LOG_JOB = "ip_log_attachment"
SUBJECT_TYPE = "ip_log_attachment"
# Rows written between two reports of how many are stored.
STORE_PROGRESS_EVERY = 100_000
IP_CLOCK = "ai.ip_addresses"


# Rows held between two writes to the database: enough that a write costs little a row, few
# enough that the rows waiting take a megabyte or two.
WRITE_EVERY = 10_000
# COPY's text format for a missing value; the other values (hex keys, addresses, times and
# the actions' names) hold no tab, line break or backslash, so are written as they are.
COPY_NULL = "\\N"
STAGED_TABLE = "temp.ip_accesses_staged"


class _AccessRows:
    """Rows of ip_accesses written as they are handed in, in the caller's transaction, a few
    thousand at a time: COPY on PostgreSQL, the driver's executemany on SQLite
    (docs/architecture.md §10: ten times SQLAlchemy's own bulk insert). A log is never held
    whole, as text or as entries.

    ``staged`` rows wait on SQLite in a temporary table until ``move_staged``: a transaction
    that outgrows SQLite's page cache locks every reader out of the database until it commits,
    and rows written into it while a log is checked would keep every page waiting for the
    whole job (PostgreSQL's readers never wait for a writer)."""

    def __init__(
        self,
        filing_id: int,
        attachment_id: int | None,
        progress: Callable[[int], None] | None,
        *,
        staged: bool = False,
    ) -> None:
        self.connection = db.session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"
        self.fixed = (filing_id, attachment_id)
        self.progress = progress
        self.pending: list[Any] = []
        self.written = 0
        self.reported = 0
        self.copy: Any = None
        self.table = STAGED_TABLE if staged and not self.postgresql else "ip_accesses"

    def __enter__(self) -> Callable[[ip_log.IpLogEntry], None]:
        if not self.postgresql:
            if self.table == STAGED_TABLE:
                self.connection.exec_driver_sql(
                    f"CREATE TEMP TABLE {STAGED_TABLE} AS SELECT {', '.join(IP_COLUMNS)} "  # noqa: S608
                    "FROM ip_accesses WHERE 0"
                )
            return self._keep_parameters
        cursor = self.connection.connection.driver_connection.cursor()
        self.copying = cursor.copy(f"COPY ip_accesses ({', '.join(IP_COLUMNS)}) FROM STDIN")
        self.copy = self.copying.__enter__()
        filing_id, attachment_id = self.fixed
        self.line_start = f"{filing_id}\t{COPY_NULL if attachment_id is None else attachment_id}\t"
        return self._keep_line

    def _keep_line(self, entry: ip_log.IpLogEntry) -> None:
        key, address, at, offset, action = entry
        # str() of an instant in UTC is ISO 8601 with a space, which timestamptz reads.
        minutes = COPY_NULL if offset is None else offset
        self.pending.append(f"{self.line_start}{key}\t{address}\t{at}\t{minutes}\t{action}\n")
        if len(self.pending) >= WRITE_EVERY:
            self._write()

    def _keep_parameters(self, entry: ip_log.IpLogEntry) -> None:
        key, address, at, offset, action = entry
        # SQLAlchemy's SQLite DateTime stores naive UTC text; rows written here read back alike.
        at_text = f"{at:%Y-%m-%d %H:%M:%S.%f}"
        self.pending.append((*self.fixed, key, address, at_text, offset, action))
        if len(self.pending) >= WRITE_EVERY:
            self._write()

    def _write(self) -> None:
        if self.postgresql:
            self.copy.write("".join(self.pending))
        else:
            placeholders = ", ".join("?" for _ in IP_COLUMNS)
            insert = f"INSERT INTO {self.table} ({', '.join(IP_COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
            self.connection.exec_driver_sql(insert, self.pending)
        self.written += len(self.pending)
        self.pending.clear()
        if self.progress is not None and self.written - self.reported >= STORE_PROGRESS_EVERY:
            self.reported = self.written
            self.progress(self.written)

    def __exit__(self, *raised: object) -> None:
        if raised[0] is None and self.pending:
            self._write()
        if self.copy is not None:
            self.copying.__exit__(*raised)
        if raised[0] is None and self.progress is not None:
            self.progress(self.written)

    def move_staged(self) -> None:
        """The staged rows into ip_accesses, in one statement that SQLite runs by itself."""
        if self.table != STAGED_TABLE:
            return
        columns = ", ".join(IP_COLUMNS)
        self.connection.exec_driver_sql(
            f"INSERT INTO ip_accesses ({columns}) SELECT {columns} FROM {STAGED_TABLE}"  # noqa: S608
        )
        self.connection.exec_driver_sql(f"DROP TABLE {STAGED_TABLE}")


def store_ip_accesses(
    filing: Filing,
    entries: Sequence[ip_log.IpLogEntry],
    *,
    attachment_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write many rows at once, in the caller's transaction (``_AccessRows``). ``progress`` is
    told how many rows are written, now and then."""
    if not entries:
        return 0
    rows = _AccessRows(filing.id, attachment_id, progress)
    with rows as keep:
        for entry in entries:
            keep(entry)
    return rows.written


# --- Receiving a log ------------------------------------------------------------------------


# --- A report that gives no IP addresses is chased (§7.308(d)(1)(i)(F)) ---------------------------


def open_ip_clock(filing: Filing, *, actor: User | None) -> Deadline:
    """The report arrived without the IP addresses it must include: the office's clock for them
    starts on its arrival (core.clocks, "ai.ip_addresses")."""
    return deadlines.open_deadline(
        IP_CLOCK,
        subject=("filing", filing.receipt_number),
        subject_label=f"{filing.provider.legal_name}: IP addresses of {filing.receipt_number}",
        start_on=filing.received_on,
        actor=actor,
    )


def ip_clock_of(filing: Filing) -> Deadline | None:
    found = deadlines.deadlines_for_subject("filing", filing.receipt_number)
    return next((deadline for deadline in found if deadline.clock_key == IP_CLOCK), None)


def meet_ip_clock(filing: Filing, *, met_on: date, actor: User | None, note: str) -> None:
    """IP addresses arrived for the report (a log attached, or a corrected report giving them)."""
    clock = ip_clock_of(filing)
    if clock is not None and clock.is_open:
        deadlines.meet_deadline(clock, met_on=max(met_on, clock.started_on), actor=actor, note=note)


def attach_ip_log(
    filing: Filing,
    *,
    filename: str,
    content: bytes,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> IpLogAttachment:
    """Take a CSV log of IP addresses in for a training report: its record, and the job that
    checks it and stores all its rows or none, from the log's bytes kept sealed until then. What
    can be told without reading the rows is refused here, at once."""
    if filing.kind not in kinds.AI_RUN_REPORT_KINDS:
        raise DomainError("An IP log is attached to a training report (§7.308(d)(1)(i)(F)).")
    # isspace stops at the first other byte, where strip would copy the whole log.
    if not content or content.isspace():
        raise DomainError("The file is empty.")
    if len(content) > MAX_IP_LOG_BYTES:
        raise DomainError(f"The file is larger than {MAX_IP_LOG_BYTES // 2**20} MB.")
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("Save the log as CSV in UTF-8.") from None
    attachment = IpLogAttachment(
        filing_id=filing.id, status=IpLogStatus.QUEUED, filename=filename[:255],
        size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
        attached_at=utcnow(), attached_by_id=actor.id if actor else None,
        api_token_id=token.id if token else None,
    )  # fmt: skip
    db.session.add(attachment)
    db.session.flush()
    record_event(
        "filing.ip_log_upload",
        actor=actor,
        actor_label=audit_label_of(token),
        subject=("filing", filing.receipt_number),
        after={"ip_log": attachment.id, "filename": attachment.filename,
               "bytes": attachment.size_bytes, "sha256": attachment.sha256},
    )  # fmt: skip
    jobs.enqueue(
        IP_LOG_JOB,
        subject=(SUBJECT_TYPE, attachment.id),
        # Compressed before it is sealed: a log shrinks to under half, and sealing and writing
        # 60 MB would by themselves take most of the second the request has (benchmarks/).
        content=lz4.frame.compress(content),
        actor=actor,
        requested_by_label=audit_label_of(token),
    )
    return attachment


# --- The job: every row checked, then all stored or none ------------------------------------


# Decompressed at a time: a few of these are all of the log the job holds beside its
# compressed bytes.
PIECE_BYTES = 1024 * 1024


def _pieces(compressed: bytes) -> Iterator[bytes]:
    """The log's bytes, a piece at a time, from the lz4 frame it was sealed in."""
    with lz4.frame.open(io.BytesIO(compressed), "rb") as stream:
        while piece := stream.read(PIECE_BYTES):
            yield piece


def _rows_expected(compressed: bytes, sha256: str) -> int:
    """The rows the log seems to have, once its bytes are found to be those received."""
    digest, line_breaks, last = hashlib.sha256(), 0, b""
    for piece in _pieces(compressed):
        digest.update(piece)
        line_breaks += piece.count(b"\n")
        last = piece[-1:]
    if digest.hexdigest() != sha256:
        raise JobRefused("the log kept for the job is not the log that was received")
    return ip_log.lines_below_header(line_breaks, ends_with_line_break=last == b"\n")


def _csv_rows(compressed: bytes) -> Iterator[list[str]]:
    binary = lz4.frame.open(io.BytesIO(compressed), "rb")
    return csv.reader(io.TextIOWrapper(binary, encoding="utf-8-sig", newline=""))


def run_ip_log_attachment(job: Job, work: JobWork) -> str:
    """Check a log and store every row with the log itself, or nothing but its problems, in the
    job's one transaction: a worker that dies mid-log leaves nothing, and the job runs again from
    the first row. Rows are written as they are checked, under a savepoint that a refused log
    rolls back, so that neither the log nor its rows are ever held whole."""
    attachment = db.session.get(IpLogAttachment, job.subject_id)
    if attachment is None:
        raise JobRefused(f"IP log {job.subject_id} no longer exists")
    if attachment.status is not IpLogStatus.CHECKING:
        attachment.status = ip_log.next_ip_log_status(attachment.status, IpLogStatus.CHECKING)
    attachment.failure_reference = None
    rows_written = db.session.begin_nested()
    compressed = work.content()
    work.progress(checked=0, total=_rows_expected(compressed, attachment.sha256))
    rows = _AccessRows(
        attachment.filing_id,
        attachment.id,
        progress=lambda rows: work.progress(stored=rows),
        staged=True,
    )
    try:
        with rows as keep:
            check = ip_log.check_ip_log(
                _csv_rows(compressed), keep=keep, progress=lambda rows: work.progress(checked=rows)
            )
    except UnicodeDecodeError:
        raise JobRefused("the log is not UTF-8 text") from None
    work.progress(checked=check.rows_total, total=check.rows_total)
    receipt = attachment.filing.receipt_number
    if not check.ok:
        # All or nothing (§7.308(d)(1)(i)(F)): the rows written before the first problem go.
        rows_written.rollback()
        work.progress(stored=0)
        attachment.rows_total = check.rows_total
        _reject(attachment, check)
        return (
            f"Rejected: {check.problem_count:,} problem(s) in {check.rows_total:,} rows; nothing "
            f"was attached to {receipt}."
        )
    rows.move_staged()
    rows_written.commit()
    attachment.rows_total = check.rows_total
    document = _log_document(attachment)
    _store(attachment, document.write(_pieces(compressed)), row_count=rows.written)
    accesses = "access" if attachment.row_count == 1 else "accesses"
    return f"{attachment.row_count:,} IP {accesses} attached to {receipt}."


def _log_document(attachment: IpLogAttachment) -> DocumentInPieces:
    """The log itself, to be kept as a document beside its rows."""
    return DocumentInPieces(
        Document.__table__,
        {"filename": attachment.filename, "content_type": "text/csv",
         "size_bytes": attachment.size_bytes, "sha256": attachment.sha256,
         "uploaded_at": attachment.attached_at, "uploaded_by_id": attachment.attached_by_id},
        attachment.size_bytes,
    )  # fmt: skip


def _store(attachment: IpLogAttachment, document_id: int, *, row_count: int) -> None:
    """The attachment marked attached, with its rows and the document of the log."""
    attachment.status = ip_log.next_ip_log_status(attachment.status, IpLogStatus.ATTACHED)
    attachment.document_id = document_id
    attachment.row_count = row_count
    attachment.finished_at = utcnow()
    meet_ip_clock(
        attachment.filing, met_on=clocks.office_today(attachment.attached_at),
        actor=attachment.attached_by, note=f"IP log {attachment.filename}",
    )  # fmt: skip
    # Last, so that the audit trail's head is held only for the end of the job's transaction.
    _record(attachment, "filing.ip_log_attach", {"filename": attachment.filename,
            "rows": attachment.row_count, "sha256": attachment.sha256})  # fmt: skip


def _reject(attachment: IpLogAttachment, check: ip_log.IpLogCheck) -> None:
    attachment.status = ip_log.next_ip_log_status(attachment.status, IpLogStatus.REJECTED)
    attachment.problem_count = check.problem_count
    attachment.problems = [dataclasses.asdict(problem) for problem in check.problems]
    attachment.finished_at = utcnow()
    first = check.problems[0]
    where = f"row {first.row}" + (f", {first.column}" if first.column else "")
    _record(attachment, "filing.ip_log_reject", {"rows": check.rows_total,
            "problems": check.problem_count, "first": f"{where}: {first.message}"},
            outcome=FAILURE)  # fmt: skip


def _record(
    attachment: IpLogAttachment, action: str, after: dict[str, Any], *, outcome: str = SUCCESS
) -> None:
    """An event of the log's check, in the name of whoever sent the log."""
    record_event(
        action,
        actor=attachment.attached_by,
        actor_label=audit_label_of(attachment.api_token),
        subject=("filing", attachment.filing.receipt_number),
        after={"ip_log": attachment.id, **after},
        outcome=outcome,
    )


def _ip_log_failed(job: Job, reason: str) -> None:
    attachment = db.session.get(IpLogAttachment, job.subject_id)
    if attachment is None:
        return
    if attachment.status in ip_log.IP_LOG_RUNNING:
        attachment.status = ip_log.next_ip_log_status(attachment.status, IpLogStatus.FAILED)
    if attachment.status is not IpLogStatus.FAILED:
        return
    attachment.failure_reference = job.failure_reference
    attachment.finished_at = utcnow()
    record_event(
        "filing.ip_log_fail",
        actor=None,
        actor_label="job worker",
        subject=("filing", attachment.filing.receipt_number),
        after={"ip_log": attachment.id, "reason": reason, "reference": job.failure_reference},
        outcome=FAILURE,
    )


def _ip_log_page(job: Job) -> tuple[str, dict[str, object]]:
    return "intake_ai.ip_log_attachment", {"ip_log_id": job.subject_id}


job_registry.register(
    JobKind(
        IP_LOG_JOB,
        label="IP access log attachment (§7.308(d)(1)(i)(F))",
        run=run_ip_log_attachment,
        on_failure=_ip_log_failed,
        subject_page=_ip_log_page,
    )
)


# --- Where an attachment stands -----------------------------------------------------------


@dataclass(frozen=True)
class IpLogProgress:
    """An attachment as its page and the API show it: while its job runs, the status and the
    rows the job says it has got to (its work commits only at its end)."""

    attachment: IpLogAttachment
    status: IpLogStatus
    job: Job | None
    rows_total: int | None
    rows_checked: int | None
    rows_stored: int | None

    @property
    def running(self) -> bool:
        return self.status in ip_log.IP_LOG_RUNNING

    @property
    def progress_text(self) -> str | None:
        return progress_text(self.rows_checked, self.rows_stored, self.rows_total)


def get_ip_log(ip_log_id: int) -> IpLogAttachment | None:
    return db.session.get(IpLogAttachment, ip_log_id)


def ip_log_progress(attachment: IpLogAttachment) -> IpLogProgress:
    """Where the attachment stands. Reading stores nothing."""
    job = jobs.latest_job_for(SUBJECT_TYPE, attachment.id)
    status = ip_log.shown_ip_log_status(attachment.status, job.state if job else None)
    if status in ip_log.IP_LOG_RUNNING:
        live = jobs.live_progress(job) if job is not None else {}
        return IpLogProgress(
            attachment, status, job, live.get("total"), live.get("checked"), live.get("stored")
        )
    finished = status in (IpLogStatus.ATTACHED, IpLogStatus.REJECTED)
    return IpLogProgress(
        attachment,
        status,
        job,
        attachment.rows_total if finished else None,
        attachment.rows_total if finished else None,
        attachment.row_count,
    )


def attachments_of(filing: Filing) -> list[IpLogProgress]:
    """Every log sent for the report, the first first, each with where it stands."""
    found = db.session.execute(
        select(IpLogAttachment)
        .where(IpLogAttachment.filing_id == filing.id)
        .order_by(IpLogAttachment.id)
    ).scalars()
    return [ip_log_progress(attachment) for attachment in found]
