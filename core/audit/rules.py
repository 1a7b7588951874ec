"""Pure rules of the audit chain: how an event is sealed and how a chain is checked.

Each event is sealed with an HMAC under a key the database never holds, so that someone who
can rewrite the database (its superuser, say) cannot rewrite an event and seal it again. The
head of the chain is also anchored outside the database by signed checkpoints, so that cutting
events off the end, or emptying the table, is caught as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_id",
    "before_json",
    "after_json",
    "remote_addr",
    "outcome",
    "key_id",
)


def canonical_json(value: Any) -> str | None:
    """One spelling for the same value, so that its hash never depends on key order."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _mac(key: str, payload: str) -> str:
    return hmac.new(key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def key_id_of(key: str) -> str:
    """The public name of a chain key, kept with each event; it tells nothing of the key."""
    return _mac(key, "audit chain key id")[:16]


@dataclass(frozen=True)
class ChainKeys:
    """The key that seals new events and every key that ever did, by key id."""

    signing_id: str
    by_id: Mapping[str, str]

    @classmethod
    def from_secrets(cls, current: str, retired: Iterable[str] = ()) -> ChainKeys:
        keys = [current, *(key for key in retired if key)]
        return cls(key_id_of(current), {key_id_of(key): key for key in keys})

    @property
    def signing_key(self) -> str:
        return self.by_id[self.signing_id]


def event_hash(key: str, prev_hash: str, fields: Mapping[str, Any]) -> str:
    material = {name: fields[name] for name in HASHED_FIELDS}
    return _mac(key, prev_hash + canonical_json(material))  # type: ignore[operator]


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment, signed and kept outside the database."""

    seq: int
    hash: str
    at: str
    key_id: str
    signature: str


def _checkpoint_mac(key: str, seq: int, head_hash: str, at: str, key_id: str) -> str:
    return _mac(key, canonical_json([seq, head_hash, at, key_id]))  # type: ignore[arg-type]


def sign_checkpoint(seq: int, head_hash: str, at: str, keys: ChainKeys) -> Checkpoint:
    signature = _checkpoint_mac(keys.signing_key, seq, head_hash, at, keys.signing_id)
    return Checkpoint(seq, head_hash, at, keys.signing_id, signature)


class CheckpointError(ValueError):
    pass


def parse_checkpoint(line: str, keys: ChainKeys) -> Checkpoint:
    """A checkpoint from its line of JSON, its signature checked."""
    try:
        fields = json.loads(line)
        checkpoint = Checkpoint(
            seq=int(fields["seq"]),
            hash=str(fields["hash"]),
            at=str(fields["at"]),
            key_id=str(fields["key_id"]),
            signature=str(fields["signature"]),
        )
    except (ValueError, KeyError, TypeError):
        raise CheckpointError("is not a checkpoint this system wrote") from None
    key = keys.by_id.get(checkpoint.key_id)
    if key is None:
        raise CheckpointError(f"is signed with key {checkpoint.key_id}, which is not configured")
    expected = _checkpoint_mac(
        key, checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.key_id
    )
    if not hmac.compare_digest(expected, checkpoint.signature):
        raise CheckpointError("does not match its signature: it was altered")
    return checkpoint


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"audit chain broken at {where}: {self.reason}"


def _event_break(
    event: Mapping[str, Any], expected_seq: int, expected_prev: str, keys: ChainKeys
) -> ChainBreak | None:
    if event["seq"] != expected_seq:
        return ChainBreak(expected_seq, None, f"event missing (next present is #{event['seq']})")
    if event["prev_hash"] != expected_prev:
        return ChainBreak(event["seq"], event["id"], "does not link to the event before it")
    key = keys.by_id.get(event["key_id"])
    if key is None:
        return ChainBreak(
            event["seq"],
            event["id"],
            f"sealed with key {event['key_id']}, which is not configured (a retired key must "
            "stay in AUDIT_CHAIN_RETIRED_KEYS)",
        )
    if not hmac.compare_digest(event_hash(key, event["prev_hash"], event), event["hash"]):
        return ChainBreak(event["seq"], event["id"], "its contents were altered")
    return None


def find_first_break(
    events: Iterable[Mapping[str, Any]],
    *,
    keys: ChainKeys,
    genesis_hash: str,
    head_seq: int,
    head_hash: str,
    checkpoints: Sequence[Checkpoint] = (),
) -> ChainBreak | None:
    """Walk the events in ``seq`` order; name the first that does not follow from the one before,
    then hold the chain against the head and against each checkpoint.

    ``events`` are mappings with the hashed fields plus ``id``, ``prev_hash`` and ``hash``.
    """
    anchored = {checkpoint.seq for checkpoint in checkpoints}
    hashes_at: dict[int, str] = {}
    expected_seq, expected_prev = 1, genesis_hash
    for event in events:
        if broken := _event_break(event, expected_seq, expected_prev, keys):
            return broken
        if event["seq"] in anchored:
            hashes_at[event["seq"]] = event["hash"]
        expected_seq, expected_prev = expected_seq + 1, event["hash"]
    last_seq = expected_seq - 1
    if last_seq != head_seq or expected_prev != head_hash:
        return ChainBreak(
            expected_seq, None, f"events after #{last_seq} were removed (head is #{head_seq})"
        )
    for checkpoint in sorted(checkpoints, key=lambda checkpoint: checkpoint.seq):
        if checkpoint.seq > last_seq:
            return ChainBreak(
                last_seq + 1,
                None,
                f"events after #{last_seq} were removed (the checkpoint of {checkpoint.at} "
                f"recorded #{checkpoint.seq})",
            )
        if checkpoint.seq and hashes_at[checkpoint.seq] != checkpoint.hash:
            return ChainBreak(
                checkpoint.seq, None, f"differs from the checkpoint of {checkpoint.at}"
            )
    return None
