"""The deadline board as a PDF, made by the job worker: a whole office's open clocks take seconds
to lay out (about 2.5 ms a deadline), so the request that asks for it only queues the job, and
the PDF is kept for download from its page."""

from __future__ import annotations

import hashlib

from core import clocks
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import reports, services
from core.deadlines.models import BoardPdf
from core.jobs import registry as job_registry
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork
from core.jobs.services import JobRefused
from core.office import services as office
from core.wording import counted

BOARD_PDF_JOB = "deadline_board_pdf"
SUBJECT = "deadline_board_pdf"


def request_board_pdf(criteria: services.BoardFilter, *, actor: User) -> tuple[BoardPdf, Job]:
    """Queue the board, filtered by ``criteria``, to be printed by the job worker."""
    shown = {"module": criteria.module, "clock": criteria.clock_key}
    if criteria.assignee_id is not None:
        shown["assignee"] = str(criteria.assignee_id)
    record = BoardPdf(
        requested_by_id=actor.id, filters={name: value for name, value in shown.items() if value}
    )
    db.session.add(record)
    db.session.flush()
    job = jobs.enqueue(BOARD_PDF_JOB, subject=(SUBJECT, record.id), actor=actor)
    return record, job


def _criteria(filters: dict[str, str]) -> services.BoardFilter:
    assignee = filters.get("assignee")
    return services.BoardFilter(
        module=filters.get("module", ""),
        assignee_id=int(assignee) if assignee else None,
        clock_key=filters.get("clock", ""),
    )


def make_board_pdf(job: Job, work: JobWork) -> str:
    """Print the board as it stands now, in the job's one transaction: the PDF is kept with the
    job's outcome, or not at all. Made again (a worker that died), it is made afresh."""
    record = db.session.get(BoardPdf, job.subject_id)
    if record is None:
        raise JobRefused(f"deadline board PDF {job.subject_id} no longer exists")
    rows = services.board(_criteria(record.filters), clocks.office_today(), links=False)
    work.progress(checked=0, total=len(rows))
    body = reports.board_pdf(
        rows, filters=record.filters, office=office.documents(), generated_at=utcnow()
    )
    work.progress(checked=len(rows), total=len(rows))
    record.content, record.size_bytes = body, len(body)
    record.sha256 = hashlib.sha256(body).hexdigest()
    record.deadline_count, record.made_at = len(rows), utcnow()
    return (
        f"Printed {counted(len(rows), 'open deadline')} ({size_text(len(body))}): the PDF is "
        "ready to download from its page."
    )


def size_text(size_bytes: int) -> str:
    """ "49 kB", "1.1 MB": a file's size as its page shows it."""
    if size_bytes < 1_000_000:
        return f"{size_bytes / 1000:,.0f} kB"
    return f"{size_bytes / 1_000_000:,.1f} MB"


def _board_pdf_page(job: Job) -> tuple[str, dict[str, object]]:
    return "deadlines.printed_board", {"pdf_id": job.subject_id}


job_registry.register(
    JobKind(
        BOARD_PDF_JOB,
        label="Deadline board printed as a PDF",
        run=make_board_pdf,
        subject_page=_board_pdf_page,
    )
)


def get_board_pdf(pdf_id: int) -> BoardPdf | None:
    return db.session.get(BoardPdf, pdf_id)


def job_of(record: BoardPdf) -> Job | None:
    return jobs.latest_job_for(SUBJECT, record.id)


def download_board_pdf(record: BoardPdf, *, actor: User) -> BoardPdf:
    """The printed board, for a download recorded as a read in the audit trail."""
    record_event(
        "export.deadlines",
        actor=actor,
        subject=(SUBJECT, record.id),
        after={"format": "pdf", "rows": record.deadline_count, "filters": record.filters},
    )
    return record
