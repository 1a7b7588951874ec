"""Writing, listing and verifying audit events."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from core.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from core.audit.rules import (
    ChainBreak,
    ChainKeys,
    Checkpoint,
    CheckpointError,
    canonical_json,
    event_hash,
    find_first_break,
    parse_checkpoint,
    sign_checkpoint,
)
from core.clocks import OFFICE_TIME_ZONE
from core.db import db, utcnow
from core.errors import DomainError
from core.wording import counted

if TYPE_CHECKING:
    from core.auth.models import User

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"


def _acting() -> tuple[str, str] | None:
    return g.get("audit_acting_as") if has_app_context() else None


def _origin() -> str:
    if acting := _acting():
        return acting[1]
    if has_request_context():
        return request.remote_addr or "unknown"
    return "command line"


def _anonymous_label() -> str:
    if acting := _acting():
        return acting[0]
    return "anonymous" if has_request_context() else "system (command line)"


@contextlib.contextmanager
def acting_as(label: str, *, origin: str) -> Iterator[None]:
    """Events written in the block with no person as actor name ``label`` and come from
    ``origin``: a lapse the scheduler recorded reads "scheduler", not "command line"."""
    previous = g.get("audit_acting_as")
    g.audit_acting_as = (label, origin)
    try:
        yield
    finally:
        g.audit_acting_as = previous


def record_event(
    action: str,
    *,
    actor: User | None,
    actor_label: str | None = None,
    subject: tuple[str, Any] | None = None,
    before: Any = None,
    after: Any = None,
    outcome: str = SUCCESS,
) -> AuditEvent:
    """Record one event in the caller's transaction (the request or command commits it,
    core.transactions). It is stamped now and linked to the chain when the transaction commits
    (``_link_pending_events``); a transaction rolled back leaves no event."""
    recorded = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else (actor_label or _anonymous_label()),
        action=action,
        subject_type=subject[0] if subject else None,
        subject_id=str(subject[1]) if subject else None,
        before_json=canonical_json(before),
        after_json=canonical_json(after),
        remote_addr=_origin(),
        outcome=outcome,
    )
    db.session.info.setdefault(PENDING_EVENTS, []).append(recorded)
    # Services may rely on what they added before recording having its id afterwards.
    db.session.flush()
    return recorded


# The events a transaction has recorded and not yet linked, in the order recorded.
PENDING_EVENTS = "audit_events_pending"


@event.listens_for(Session, "before_commit")
def _link_pending_events(session: Session) -> None:
    """Link the transaction's events to the chain as it commits.

    The chain has one head, so transactions that record events take turns at it. Taking the
    head when the transaction commits, rather than when its first event is recorded, holds it
    for the commit alone, not for the rest of the request that recorded them (docs/architecture.md
    §3, "The audit chain")."""
    pending = session.info.pop(PENDING_EVENTS, None)
    if not pending:
        return
    keys = chain_keys()
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    for linked in pending:
        fields = {
            "seq": head.seq + 1,
            "occurred_at": linked.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": linked.actor_id,
            "actor_label": linked.actor_label,
            "action": linked.action,
            "subject_type": linked.subject_type,
            "subject_id": linked.subject_id,
            "before_json": linked.before_json,
            "after_json": linked.after_json,
            "remote_addr": linked.remote_addr,
            "outcome": linked.outcome,
            "key_id": keys.signing_id,
        }
        linked.seq, linked.key_id, linked.prev_hash = fields["seq"], keys.signing_id, head.hash
        linked.hash = event_hash(keys.signing_key, head.hash, fields)
        session.add(linked)
        head.seq, head.hash = linked.seq, linked.hash
        # The database moves the head one event at a time (its trigger), so one flush a link.
        session.flush()


@event.listens_for(Session, "after_transaction_end")
def _drop_pending_events(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without committing (rolled back, or its session closed) leaves
    its events unwritten, as it leaves every other change."""
    if transaction.parent is None:
        session.info.pop(PENDING_EVENTS, None)


def _events_in_order(through_seq: int, batch_size: int = 2000) -> Iterator[dict[str, Any]]:
    table = AuditEvent.__table__
    last_seq = 0
    while True:
        rows = (
            db.session.execute(
                select(table)
                .where(table.c.seq > last_seq, table.c.seq <= through_seq)
                .order_by(table.c.seq)
                .limit(batch_size)
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield {**row, "occurred_at": row["occurred_at"].isoformat(timespec="microseconds")}
        last_seq = rows[-1]["seq"]


def chain_keys() -> ChainKeys:
    config = current_app.config
    return ChainKeys.from_secrets(config["AUDIT_CHAIN_KEY"], config["AUDIT_CHAIN_RETIRED_KEYS"])


CHECKPOINT_FILE_NAME = "audit-checkpoints.jsonl"


def checkpoint_file() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_PATH"]) / CHECKPOINT_FILE_NAME


def read_checkpoints(keys: ChainKeys) -> list[Checkpoint]:
    """Every checkpoint written so far; a line that is not one, signed, raises CheckpointError."""
    path = checkpoint_file()
    if not path.exists():
        return []
    checkpoints = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                checkpoints.append(parse_checkpoint(line, keys))
            except CheckpointError as error:
                raise CheckpointError(f"{path}, line {number}, {error}") from None
    return checkpoints


@dataclass(frozen=True)
class Verification:
    broken: ChainBreak | None
    checkpoints: list[Checkpoint]
    head_seq: int
    head_hash: str


def verify_chain() -> Verification:
    """The first broken link of the whole trail (None when it is whole), held against the
    checkpoints written outside the database. Raises CheckpointError for an altered checkpoint.
    """
    keys = chain_keys()
    checkpoints = read_checkpoints(keys)
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    head_seq, head_hash = head.seq, head.hash
    # Up to the head as read now, so that events added while the walk goes on are no break.
    broken = (
        find_first_break(
            _events_in_order(through_seq=head_seq),
            keys=keys,
            genesis_hash=GENESIS_HASH,
            head_seq=head_seq,
            head_hash=head_hash,
            checkpoints=checkpoints,
        )
        or _events_beyond_head()
    )
    return Verification(broken, checkpoints, head_seq, head_hash)


class TrailBroken(DomainError):
    """The audit trail did not verify: the first broken event, or an altered checkpoint file."""


def verified_trail() -> Verification:
    """The whole chain held against its checkpoints, for `flask audit verify` and the daily
    check alike; raises TrailBroken naming what is broken."""
    try:
        verification = verify_chain()
    except CheckpointError as error:
        raise TrailBroken(f"Audit checkpoint file broken: {error}") from None
    if verification.broken is not None:
        raise TrailBroken(str(verification.broken))
    return verification


def verified_sentence(verification: Verification) -> str:
    return (
        f"Audit chain verified: {counted(verification.head_seq, 'event')}, each sealed with a "
        "configured key and linked to the one before it."
    )


def checkpoints_sentence(verification: Verification) -> str | None:
    """What the checkpoints say of the chain, or None when there is none yet."""
    if not verification.checkpoints:
        return None
    latest = max(verification.checkpoints, key=lambda checkpoint: checkpoint.seq)
    return (
        f"It agrees with {len(verification.checkpoints)} checkpoint(s); the latest, of "
        f"{latest.at}, recorded event #{latest.seq}."
    )


def no_checkpoint_sentence() -> str:
    return (
        f"No checkpoint in {checkpoint_file()} yet: run `flask audit checkpoint` so that "
        "removing the newest events can be detected."
    )


def _events_beyond_head() -> ChainBreak | None:
    """Events the head does not count. The head moves forward in the transaction that adds each
    event and never back, so there are none unless someone moved it back by hand."""
    newest = db.session.scalar(select(func.max(AuditEvent.seq)))
    head_seq = db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))
    if newest is None or newest <= head_seq:
        return None
    return ChainBreak(
        head_seq + 1, None, f"the head was moved back to #{head_seq}; events run to #{newest}"
    )


def append_checkpoint(verification: Verification) -> Checkpoint:
    """Append the signed head of a chain just verified whole to the checkpoint file."""
    if verification.broken is not None:
        raise ValueError(f"a broken chain is not anchored: {verification.broken}")
    checkpoint = sign_checkpoint(
        verification.head_seq,
        verification.head_hash,
        utcnow().isoformat(timespec="seconds"),
        chain_keys(),
    )
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = canonical_json(asdict(checkpoint)) + "\n"  # type: ignore[operator]
    # Appended and synced, never rewritten: the file is shipped off this machine as it grows.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return checkpoint


@dataclass(frozen=True)
class EventFilter:
    action: str = ""
    actor: str = ""
    subject_type: str = ""
    subject_id: str = ""
    outcome: str = ""
    from_on: date | None = None
    through_on: date | None = None


def _office_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=OFFICE_TIME_ZONE)


def filtered_events_query(criteria: EventFilter) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if criteria.action:
        query = query.where(AuditEvent.action.startswith(criteria.action, autoescape=True))
    if criteria.actor:
        query = query.where(AuditEvent.actor_label.icontains(criteria.actor, autoescape=True))
    if criteria.subject_type:
        query = query.where(AuditEvent.subject_type == criteria.subject_type)
    if criteria.subject_id:
        query = query.where(AuditEvent.subject_id == criteria.subject_id)
    if criteria.outcome:
        query = query.where(AuditEvent.outcome == criteria.outcome)
    if criteria.from_on:
        query = query.where(AuditEvent.occurred_at >= _office_midnight_utc(criteria.from_on))
    if criteria.through_on:
        next_day = _office_midnight_utc(criteria.through_on + timedelta(days=1))
        query = query.where(AuditEvent.occurred_at < next_day)
    return query


def export_events(
    criteria: EventFilter, *, actor: User, filters: dict[str, str]
) -> list[AuditEvent]:
    """The events ``criteria`` selects, for a download; the download is itself an event."""
    rows = list(db.session.execute(filtered_events_query(criteria)).scalars())
    record_event("export.audit_events", actor=actor, after={"rows": len(rows), "filters": filters})
    return rows


def distinct_actions() -> list[str]:
    return list(
        db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        .scalars()
        .all()
    )
