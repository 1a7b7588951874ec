"""The audit trail against someone who owns its database: a PostgreSQL superuser with triggers
switched off (session_replication_role = replica), or whoever can write the SQLite file. They
can change any row; they do not hold AUDIT_CHAIN_KEY and cannot rewrite the checkpoint file."""

import json

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from core.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from core.audit.rules import ChainKeys, event_hash
from core.audit.services import checkpoint_file, record_event
from core.auth.rules import Role
from core.db import db
from tests.conftest import make_app
from tests.factories import make_user

SQLITE_TRIGGERS = (
    "audit_events_no_update",
    "audit_events_no_delete",
    "audit_head_forward_only",
    "audit_head_no_delete",
)


def _as_database_owner_without_triggers():
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET session_replication_role = replica"))
    else:
        for trigger in SQLITE_TRIGGERS:
            db.session.execute(text(f"DROP TRIGGER {trigger}"))


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def _events():
    table = AuditEvent.__table__
    return [
        {**row, "occurred_at": row["occurred_at"].isoformat(timespec="microseconds")}
        for row in db.session.execute(select(table).order_by(table.c.seq)).mappings()
    ]


def _reseal(events, start):
    """What a forger does: rebuild the links and seals from ``events[start]`` on, under a key
    of their own making, claiming the office's key id, which the database shows them."""
    forged_key = ChainKeys.from_secrets("a key the forger made up").signing_key
    table = AuditEvent.__table__
    previous = events[start - 1]["hash"] if start else GENESIS_HASH
    events, kept = events[start:], start
    # Seals are unique: clear them first, then write the forged ones.
    for event in events:
        db.session.execute(
            update(table)
            .where(table.c.id == event["id"])
            .values(prev_hash=f"old-{event['id']}", hash=f"old-{event['id']}")
        )
    for event in events:
        event["prev_hash"] = previous
        event["hash"] = event_hash(forged_key, previous, event)
        db.session.execute(
            update(table)
            .where(table.c.id == event["id"])
            .values(
                seq=event["seq"],
                after_json=event["after_json"],
                prev_hash=event["prev_hash"],
                hash=event["hash"],
            )
        )
        previous = event["hash"]
    _move_head(kept + len(events), previous)


def _move_head(seq, head_hash):
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=head_hash))


def _rewrite_an_event_and_reseal_the_rest():
    events = _events()
    events[1]["after_json"] = json.dumps({"role": "admin"})
    _reseal(events, start=1)


def _delete_an_event_and_renumber():
    events = _events()
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    remaining = [event for event in events if event["seq"] != 2]
    for seq, event in enumerate(remaining, start=1):
        event["seq"] = seq
    _reseal(remaining, start=1)


def _cut_the_tail_and_move_the_head():
    kept = _events()[:3]
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq > 3))
    _move_head(3, kept[-1]["hash"])


def _empty_the_trail_and_reset_the_head():
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE audit_events"))
    else:
        db.session.execute(delete(AuditEvent))
    _move_head(0, GENESIS_HASH)


ATTACKS = {
    "rewrite and reseal": (_rewrite_an_event_and_reseal_the_rest, "event #2", "altered"),
    "delete and renumber": (_delete_an_event_and_renumber, "event #2", "altered"),
    "cut the tail": (_cut_the_tail_and_move_the_head, "event #4", "recorded #5"),
    "empty the trail": (_empty_the_trail_and_reset_the_head, "event #1", "recorded #5"),
}


def _five_events():
    """Five real events: three accounts created, one sign-in failure, one export."""
    for role in (Role.ANALYST, Role.REVIEWER, Role.VIEWER):
        make_user(role)
    record_event("auth.login", actor=None, actor_label="someone@example.com", outcome="failure")
    record_event("export.audit_events", actor=None, after={"rows": 4})
    db.session.commit()


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_rewrite_by_the_database_owner_is_caught(app, attack):
    tamper, where, why = ATTACKS[attack]
    _five_events()
    assert _cli(app, "checkpoint").exit_code == 0  # the operator's daily run
    _as_database_owner_without_triggers()
    tamper()
    db.session.commit()
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"audit chain broken at {where}" in result.output
    assert why in result.output


def test_moving_the_head_back_over_events_left_in_place_is_caught(app):
    _five_events()
    kept = _events()[2]
    _as_database_owner_without_triggers()
    _move_head(3, kept["hash"])
    db.session.commit()
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "event #4: the head was moved back to #3; events run to #5" in result.output


def test_a_checkpoint_is_a_signed_line_appended_outside_the_database(app):
    _five_events()
    first = _cli(app, "checkpoint")
    make_user()
    second = _cli(app, "checkpoint")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "event #5" in first.output
    assert "event #6" in second.output
    lines = [json.loads(line) for line in checkpoint_file().read_text().splitlines()]
    assert [line["seq"] for line in lines] == [5, 6]
    head = db.session.get(AuditHead, 1)
    assert lines[-1]["hash"] == head.hash
    assert set(lines[-1]) == {"seq", "hash", "at", "key_id", "signature"}
    verified = _cli(app, "verify")
    assert verified.exit_code == 0
    assert "agrees with 2 checkpoint(s)" in verified.output


def test_verify_without_a_checkpoint_says_one_is_needed(app):
    _five_events()
    result = _cli(app, "verify")
    assert result.exit_code == 0
    assert "No checkpoint in" in result.output
    assert "flask audit checkpoint" in result.output


def test_a_broken_chain_is_not_anchored(app):
    _five_events()
    _as_database_owner_without_triggers()
    _rewrite_an_event_and_reseal_the_rest()
    db.session.commit()
    result = _cli(app, "checkpoint")
    assert result.exit_code == 1
    assert "event #2" in result.output
    assert not checkpoint_file().exists()


def test_an_altered_checkpoint_line_is_named(app):
    _five_events()
    _cli(app, "checkpoint")
    line = json.loads(checkpoint_file().read_text())
    checkpoint_file().write_text(json.dumps({**line, "seq": 3}) + "\n")
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "line 1, does not match its signature: it was altered" in result.output


def test_the_database_keeps_the_head_from_moving_back(app):
    _five_events()
    for change in (
        update(AuditHead).values(seq=3),
        update(AuditHead).values(seq=0, hash=GENESIS_HASH),
        delete(AuditHead),
    ):
        with pytest.raises(DBAPIError, match="audit_head moves forward one event at a time"):
            db.session.execute(change)
            db.session.flush()
        db.session.rollback()


def test_each_event_names_its_key_and_a_rotated_key_keeps_older_events_verifiable(
    app, database_url, audit_checkpoint_path
):
    make_user()
    old_key = app.config["AUDIT_CHAIN_KEY"]
    old_id = ChainKeys.from_secrets(old_key).signing_id
    assert {event.key_id for event in db.session.scalars(select(AuditEvent))} == {old_id}
    assert _cli(app, "checkpoint").exit_code == 0
    db.session.remove()

    rotated = make_app(
        database_url, AUDIT_CHAIN_KEY="this year's key", AUDIT_CHAIN_RETIRED_KEYS=[old_key]
    )
    with rotated.app_context():
        make_user()
        new_id = ChainKeys.from_secrets("this year's key").signing_id
        key_ids = db.session.scalars(select(AuditEvent.key_id).order_by(AuditEvent.seq)).all()
        assert key_ids[0] == old_id
        assert key_ids[-1] == new_id
        assert _cli(rotated, "verify").exit_code == 0
        db.session.remove()
        db.engine.dispose()

    forgotten = make_app(database_url, AUDIT_CHAIN_KEY="this year's key")
    with forgotten.app_context():
        result = _cli(forgotten, "verify")
        assert result.exit_code == 1
        assert f"signed with key {old_id}, which is not configured" in result.output
        db.session.remove()
        db.engine.dispose()
