"""The kernel's own notices: what core itself announces (a job that failed) reaches the people
it concerns. Each module tells of its own events where they happen (docs/architecture.md §12)."""

from __future__ import annotations

from flask import Flask

from core import signals
from core.jobs import registry as job_kinds
from core.jobs.models import Job
from core.notifications import rules
from core.notifications.rules import Delivery, NoticeKind
from core.notifications.services import MAIL_DELIVERY, notify, path_for

JOB_FAILED = rules.register_kind(
    NoticeKind(
        "job_failed",
        label="A job I started failed",
        audience="the person who started the job",
        default=Delivery.AT_ONCE,
    )
)


def _job_failed(job: Job) -> None:
    # A message that cannot be delivered is told of on the record it was about, not by more mail.
    if job.kind == MAIL_DELIVERY or job.requested_by is None:
        return
    label = job_kinds.label_of(job.kind)
    notify(
        [job.requested_by],
        JOB_FAILED.name,
        title=f"{label} (job {job.id}) failed: {job.failure_reason}",
        link=path_for("jobs.job", job_id=job.id),
        subject=("job", job.id),
        mail_context={"job_label": label, "job_id": job.id, "attempts": job.attempts},
    )


def init_app(app: Flask) -> None:
    signals.connect(app, signals.job_failed, _job_failed)
