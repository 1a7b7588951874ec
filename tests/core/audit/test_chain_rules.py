"""The sealed chain on its own (no database): what verification finds, and where."""

import json

import pytest

from core.audit.rules import (
    ChainKeys,
    CheckpointError,
    canonical_json,
    event_hash,
    find_first_break,
    key_id_of,
    parse_checkpoint,
    sign_checkpoint,
)

GENESIS = "0" * 64
KEYS = ChainKeys.from_secrets("the office's chain key")


def _chain(count: int, keys: ChainKeys = KEYS) -> list[dict]:
    events, previous = [], GENESIS
    for seq in range(1, count + 1):
        event = {
            "id": seq * 10,
            "seq": seq,
            "occurred_at": f"2026-11-22T15:00:0{seq}+00:00",
            "actor_id": 7,
            "actor_label": "dana.whitfield@oicts.example",
            "action": "filing.receive",
            "subject_type": "filing",
            "subject_id": f"OICTS-2026-{seq:06d}",
            "before_json": None,
            "after_json": canonical_json({"kind": "cip_certification"}),
            "remote_addr": "10.1.2.3",
            "outcome": "success",
            "key_id": keys.signing_id,
            "prev_hash": previous,
        }
        event["hash"] = event_hash(keys.signing_key, previous, event)
        events.append(event)
        previous = event["hash"]
    return events


def _verify(events, head_seq=5, head_hash=None, keys=KEYS, checkpoints=()):
    head_hash = head_hash or events[-1]["hash"]
    return find_first_break(
        events,
        keys=keys,
        genesis_hash=GENESIS,
        head_seq=head_seq,
        head_hash=head_hash,
        checkpoints=checkpoints,
    )


def test_a_whole_chain_verifies():
    assert _verify(_chain(5)) is None


def test_an_altered_field_is_found_at_its_event():
    for field in ("actor_label", "after_json", "remote_addr", "outcome", "occurred_at"):
        events = _chain(5)
        events[2][field] = "tampered"
        broken = _verify(events)
        assert (broken.seq, broken.event_id) == (3, 30)
        assert "altered" in str(broken)


def test_an_event_resealed_without_the_key_is_found_though_every_link_holds():
    forged = _chain(5, ChainKeys.from_secrets("a key the forger made up"))
    for event in forged:
        event["key_id"] = KEYS.signing_id  # claims the office's key
    broken = _verify(forged)
    assert broken.seq == 1
    assert "altered" in broken.reason


def test_a_removed_event_in_the_middle_is_named():
    events = _chain(5)
    del events[1]
    broken = _verify(events, head_hash=_chain(5)[-1]["hash"])
    assert broken.seq == 2
    assert "missing" in broken.reason


def test_removing_the_newest_events_is_caught_by_the_head():
    broken = _verify(_chain(5)[:3], head_hash=_chain(5)[-1]["hash"])
    assert broken.seq == 4
    assert "removed" in broken.reason


def test_removing_the_newest_events_and_moving_the_head_is_caught_by_a_checkpoint():
    events = _chain(5)
    checkpoint = sign_checkpoint(5, events[-1]["hash"], "2026-11-23T05:00:00+00:00", KEYS)
    assert _verify(events, checkpoints=[checkpoint]) is None
    cut = events[:3]
    broken = _verify(cut, head_seq=3, head_hash=cut[-1]["hash"], checkpoints=[checkpoint])
    assert broken.seq == 4
    assert "the checkpoint of 2026-11-23T05:00:00+00:00 recorded #5" in broken.reason
    emptied = _verify([], head_seq=0, head_hash=GENESIS, checkpoints=[checkpoint])
    assert "events after #0 were removed" in emptied.reason


def test_a_chain_that_differs_from_a_checkpoint_is_caught_there():
    events = _chain(5)
    elsewhere = sign_checkpoint(2, "f" * 64, "2026-11-23T05:00:00+00:00", KEYS)
    broken = _verify(events, checkpoints=[elsewhere])
    assert broken.seq == 2
    assert "differs from the checkpoint" in broken.reason


def test_events_sealed_with_a_retired_key_verify_while_it_is_kept_and_not_after():
    old = ChainKeys.from_secrets("last year's key")
    rotated = ChainKeys.from_secrets("this year's key", retired=["last year's key"])
    events = _chain(3, old)
    assert _verify(events, head_seq=3, keys=rotated) is None
    broken = _verify(events, head_seq=3, keys=ChainKeys.from_secrets("this year's key"))
    assert broken.seq == 1
    old_id = key_id_of("last year's key")
    assert f"sealed with key {old_id}, which is not configured" in str(broken)


def test_a_checkpoint_line_is_read_back_and_an_altered_one_refused():
    checkpoint = sign_checkpoint(5, "a" * 64, "2026-11-23T05:00:00+00:00", KEYS)
    line = json.dumps(checkpoint.__dict__)
    assert parse_checkpoint(line, KEYS) == checkpoint
    moved_back = json.dumps({**checkpoint.__dict__, "seq": 3})
    with pytest.raises(CheckpointError, match="altered"):
        parse_checkpoint(moved_back, KEYS)
    with pytest.raises(CheckpointError, match="not configured"):
        parse_checkpoint(line, ChainKeys.from_secrets("another office's key"))
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        parse_checkpoint("{}", KEYS)


def test_a_key_id_names_the_key_without_revealing_it():
    assert key_id_of("k1") == key_id_of("k1") != key_id_of("k2")
    assert len(key_id_of("k1")) == 16
    assert "k1" not in key_id_of("k1")


def test_canonical_json_does_not_depend_on_key_order():
    assert canonical_json({"b": 1, "a": [2, {"d": 3, "c": 4}]}) == canonical_json(
        {"a": [2, {"c": 4, "d": 3}], "b": 1}
    )
