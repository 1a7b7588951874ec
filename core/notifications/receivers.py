"""The kernel's own notices: what core itself announces (a job that failed, the deadlines falling
due or assigned, the audit trail's check failing) reaches the people it concerns. Each module
tells of its own events where they happen (docs/architecture.md §12)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import select

from core import clocks, signals
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.jobs import registry as job_kinds
from core.jobs.models import Job
from core.notifications import rules
from core.notifications.rules import Delivery, NoticeKind
from core.notifications.services import MAIL_DELIVERY, notify, path_for

if TYPE_CHECKING:  # the payloads' type: core.deadlines imports nothing of notifications
    from core.deadlines.models import Deadline


def _kind(name: str, label: str, audience: str, default: Delivery = Delivery.AT_ONCE) -> NoticeKind:
    return rules.register_kind(NoticeKind(name, label=label, audience=audience, default=default))


ASSIGNEE = "the deadline's assignee"
JOB_FAILED = _kind("job_failed", "A job I started failed", "the person who started the job")
DEADLINE_ASSIGNED = _kind("deadline_assigned", "A deadline was assigned to me", ASSIGNEE)
DEADLINE_DUE_SOON = _kind(
    "deadline_due_soon", "A deadline of mine falls due within 7 days", ASSIGNEE, Delivery.DIGEST
)
DEADLINE_OVERDUE = _kind("deadline_overdue", "A deadline of mine is overdue", ASSIGNEE)
AUDIT_CHECK_FAILED = _kind(
    "audit_check_failed",
    "The daily check of the audit trail failed",
    "every active administrator",
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


# --- Deadlines ----------------------------------------------------------------------------------


def deadline_mail_context(deadline: Deadline) -> dict[str, Any]:
    """What an email may say of a deadline: its number, its clock's name from the catalogue, its
    due date and the rule's paragraph. Never its subject's label, which names a provider or a
    party (32 CFR 2002.20)."""
    return {
        "deadline_id": deadline.id,
        "clock_title": clocks.get(deadline.clock_key).title,
        "due_on": deadline.due_on,
        "citation": deadline.citation,
    }


def _tell_assignee(
    deadline: Deadline, kind: NoticeKind, what: str, *, once_key: str | None = None
) -> None:
    assignee = db.session.get(User, deadline.assignee_id) if deadline.assignee_id else None
    if assignee is None:
        return
    clock = clocks.get(deadline.clock_key).title
    notify(
        [assignee],
        kind.name,
        title=f"Deadline {deadline.id} ({clock}, {deadline.subject_label}) {what}",
        link=path_for("deadlines.detail", deadline_id=deadline.id),
        subject=("deadline", deadline.id),
        once_key=once_key,
        mail_context=deadline_mail_context(deadline),
    )


def _deadline_assigned(deadline: Deadline, actor: User | None) -> None:
    if actor is not None and actor.id == deadline.assignee_id:
        return  # nobody is told of what they did themselves
    _tell_assignee(
        deadline, DEADLINE_ASSIGNED, f"is yours; it falls due on {deadline.due_on.isoformat()}."
    )


def _deadlines_due(today: date, due_soon: list[Deadline], overdue: list[Deadline]) -> None:
    # The sweep finds the same clocks every day until they are met: each assignee is told once
    # that a clock entered its last week, and once that it passed (the once_key, §12).
    for deadline in due_soon:
        _tell_assignee(
            deadline,
            DEADLINE_DUE_SOON,
            f"falls due within 7 days, on {deadline.due_on.isoformat()}.",
            once_key=f"deadline-due-soon:{deadline.id}",
        )
    for deadline in overdue:
        _tell_assignee(
            deadline,
            DEADLINE_OVERDUE,
            f"is overdue: it fell due on {deadline.due_on.isoformat()}.",
            once_key=f"deadline-overdue:{deadline.id}",
        )


# --- The audit trail ------------------------------------------------------------------------


def _audit_check_failed(job: Job, reason: str) -> None:
    admins = db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    )
    notify(
        admins,
        AUDIT_CHECK_FAILED.name,
        title=f"The daily check of the audit trail failed (job {job.id}): {reason}",
        link=path_for("jobs.job", job_id=job.id),
        subject=("job", job.id),
        mail_context={"job_id": job.id},
    )


# --- Samples for the administrators' page of message templates ----------------------------------

# A clock of the catalogue, as a deadline's email names it.
_SAMPLE_CLOCK = "cip.copy_on_request"


def _sample_deadline() -> dict[str, Any]:
    clock = clocks.get(_SAMPLE_CLOCK)
    return {
        "deadline_id": 1042,
        "clock_title": clock.title,
        "due_on": clocks.due(clock.key, clocks.office_today()),
        "citation": clock.citation,
    }


rules.register_sample(
    JOB_FAILED.name,
    lambda: {"job_label": "Compiled reseller certification import", "job_id": 311, "attempts": 3},
)
for _kind in (DEADLINE_ASSIGNED, DEADLINE_DUE_SOON, DEADLINE_OVERDUE):
    rules.register_sample(_kind.name, _sample_deadline)
rules.register_sample(AUDIT_CHECK_FAILED.name, lambda: {"job_id": 57})


def init_app(app: Flask) -> None:
    signals.connect(app, signals.job_failed, _job_failed)
    signals.connect(app, signals.deadline_assigned, _deadline_assigned)
    signals.connect(app, signals.deadlines_due_soon, _deadlines_due)
    signals.connect(app, signals.audit_check_failed, _audit_check_failed)
