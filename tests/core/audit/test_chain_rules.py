"""The hash chain on its own (no database): what verification finds, and where."""

from core.audit.rules import canonical_json, event_hash, find_first_break

GENESIS = "0" * 64


def _chain(count: int) -> list[dict]:
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
            "prev_hash": previous,
        }
        event["hash"] = event_hash(previous, event)
        events.append(event)
        previous = event["hash"]
    return events


def _verify(events, head_seq=5, head_hash=None):
    head_hash = head_hash or _chain(5)[-1]["hash"]
    return find_first_break(events, genesis_hash=GENESIS, head_seq=head_seq, head_hash=head_hash)


def test_a_whole_chain_verifies():
    assert _verify(_chain(5)) is None


def test_an_altered_field_is_found_at_its_event():
    for field in ("actor_label", "after_json", "remote_addr", "outcome", "occurred_at"):
        events = _chain(5)
        events[2][field] = "tampered"
        broken = _verify(events)
        assert (broken.seq, broken.event_id) == (3, 30)
        assert "altered" in str(broken)


def test_a_removed_event_in_the_middle_is_named():
    events = _chain(5)
    del events[1]
    broken = _verify(events)
    assert broken.seq == 2
    assert "missing" in broken.reason


def test_removing_the_newest_events_is_caught_by_the_head():
    broken = _verify(_chain(5)[:3])
    assert broken.seq == 4
    assert "removed" in broken.reason


def test_canonical_json_does_not_depend_on_key_order():
    assert canonical_json({"b": 1, "a": [2, {"d": 3, "c": 4}]}) == canonical_json(
        {"a": [2, {"c": 4, "d": 3}], "b": 1}
    )
