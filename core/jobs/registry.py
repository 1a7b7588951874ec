"""The kinds of job, each registered by the module that does the work, so that the kernel runs
them without importing any module (docs/architecture.md §6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.jobs.rules import DEFAULT_ATTEMPTS

if TYPE_CHECKING:
    from core.jobs.models import Job


class Progress(Protocol):
    def __call__(
        self, *, checked: int | None = None, stored: int | None = None, total: int | None = None
    ) -> None: ...


@dataclass(frozen=True)
class JobWork:
    """What a running job is handed beside its record: its input's bytes, and a way to say how
    far it has got that the job's page shows at once (it is kept outside the job's transaction,
    which commits only at the end)."""

    content: Callable[[], bytes]
    progress: Progress


@dataclass(frozen=True)
class JobKind:
    """``run`` does the work in the job's one transaction and answers the outcome in a sentence;
    it raises ``JobRefused`` for a failure that trying again cannot mend. ``on_failure`` marks
    the record the job worked on as failed, with the reason, in the transaction that fails the
    job. ``on_error`` keeps what one failed attempt leaves behind (a mail server's refusal, for
    the delivery log) in the transaction that queues the job again or fails it.
    ``subject_page`` names the endpoint and arguments of that record's page."""

    name: str
    label: str
    run: Callable[[Job, JobWork], str]
    on_failure: Callable[[Job, str], None] | None = None
    on_error: Callable[[Job, str], None] | None = None
    subject_page: Callable[[Job], tuple[str, dict[str, object]] | None] | None = None
    max_attempts: int = DEFAULT_ATTEMPTS


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    known = _kinds.setdefault(kind.name, kind)
    if known is not kind and known.run is not kind.run:
        raise ValueError(f"two kinds of job are named {kind.name!r}")
    return kind


def kind_named(name: str) -> JobKind:
    return _kinds[name]


def label_of(name: str) -> str:
    kind = _kinds.get(name)
    return kind.label if kind else name.replace("_", " ").capitalize()


def kinds() -> list[JobKind]:
    """Every kind of job, by label, for the jobs list's filter."""
    return sorted(_kinds.values(), key=lambda kind: kind.label)
