"""Pure rules of the audit chain: how an event is hashed and how a chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
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
)


def canonical_json(value: Any) -> str | None:
    """One spelling for the same value, so that its hash never depends on key order."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    material = {name: fields[name] for name in HASHED_FIELDS}
    payload = prev_hash + canonical_json(material)  # type: ignore[operator]
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"audit chain broken at {where}: {self.reason}"


def find_first_break(
    events: Iterable[Mapping[str, Any]],
    *,
    genesis_hash: str,
    head_seq: int,
    head_hash: str,
) -> ChainBreak | None:
    """Walk the events in ``seq`` order; name the first that does not follow from the one before.

    ``events`` are mappings with the hashed fields plus ``id``, ``prev_hash`` and ``hash``.
    """
    expected_seq, expected_prev = 1, genesis_hash
    for event in events:
        if event["seq"] != expected_seq:
            return ChainBreak(
                expected_seq, None, f"event missing (next present is #{event['seq']})"
            )
        if event["prev_hash"] != expected_prev:
            return ChainBreak(event["seq"], event["id"], "does not link to the event before it")
        if event_hash(event["prev_hash"], event) != event["hash"]:
            return ChainBreak(event["seq"], event["id"], "its contents were altered")
        expected_seq, expected_prev = expected_seq + 1, event["hash"]
    if expected_seq - 1 != head_seq or expected_prev != head_hash:
        return ChainBreak(
            expected_seq,
            None,
            f"events after #{expected_seq - 1} were removed (head is #{head_seq})",
        )
    return None
