"""The audit chain sealed with a key the database never holds (AUDIT_CHAIN_KEY), each event
naming the key that sealed it, and the chain's head kept from moving back.

Events recorded before this revision were chained with plain SHA-256, which anyone able to
write the database can recompute. They are carried over by rechaining them at migration time:
the old chain is first checked exactly as the previous release checked it, and the migration
stops if it is broken, so that no altered trail is ever sealed under the key; then every event
is sealed again under AUDIT_CHAIN_KEY, oldest first, and the head moved to the new last seal.
The old chain's head is written to the migration log. Run `flask audit checkpoint` right after
upgrading, so that the rechained trail is anchored outside the database from its first day.

The hashing is written out here rather than imported, so that this revision keeps meaning what
it meant when it was written.

Revision ID: a7cd8cab1066
Revises: b52a7e19c0d6
Create Date: 2026-12-01 09:00:00
"""

import hashlib
import hmac
import json
import logging
from datetime import UTC

import sqlalchemy as sa
from alembic import op
from flask import current_app


revision = 'a7cd8cab1066'
down_revision = 'b52a7e19c0d6'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

GENESIS_HASH = "0" * 64
UNKEYED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "subject_type", "subject_id",
    "before_json", "after_json", "remote_addr", "outcome",
)
KEYED_FIELDS = (*UNKEYED_FIELDS, "key_id")

EVENTS = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    *(sa.column(name) for name in UNKEYED_FIELDS[2:]),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
    sa.column("key_id", sa.String),
)
HEAD = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash"))

APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
HEAD_GUARD_SQLITE = [
    "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
    "WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1 "
    "BEGIN SELECT RAISE(ABORT, 'audit_head moves forward one event at a time'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head moves forward one event at a time'); END",
]
HEAD_GUARD_POSTGRESQL = [
    "CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP = 'UPDATE' THEN "
    "IF NEW.id = OLD.id AND NEW.seq = OLD.seq + 1 THEN RETURN NEW; END IF; "
    "END IF; "
    "RAISE EXCEPTION 'audit_head moves forward one event at a time'; "
    "END $$",
    "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()",
]


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _unkeyed_hash(prev_hash, row):
    material = {name: row[name] for name in UNKEYED_FIELDS}
    return hashlib.sha256((prev_hash + _canonical(material)).encode("utf-8")).hexdigest()


def _mac(key, payload):
    return hmac.new(key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _keyed_hash(key, prev_hash, row):
    material = {name: row[name] for name in KEYED_FIELDS}
    return _mac(key, prev_hash + _canonical(material))


def _key_id(key):
    return _mac(key, "audit chain key id")[:16]


def _events_in_order(bind, batch_size=2000):
    present = {column["name"] for column in sa.inspect(bind).get_columns("audit_events")}
    columns = [column for column in EVENTS.c if column.name in present]
    last_seq = 0
    while True:
        rows = bind.execute(
            sa.select(*columns).where(EVENTS.c.seq > last_seq).order_by(EVENTS.c.seq).limit(batch_size)
        ).mappings().all()
        if not rows:
            return
        for row in rows:
            instant = row["occurred_at"]
            instant = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
            yield {**row, "occurred_at": instant.astimezone(UTC).isoformat(timespec="microseconds")}
        last_seq = rows[-1]["seq"]


def _head(bind):
    return bind.execute(sa.select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1)).one()


def _check_chain(bind, seal):
    """The chain as the release that sealed it with ``seal`` checked it; stops if broken."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    for row in _events_in_order(bind):
        if (
            row["seq"] != expected_seq
            or row["prev_hash"] != expected_prev
            or seal(expected_prev, row) != row["hash"]
        ):
            raise RuntimeError(
                f"The audit trail is broken at event #{expected_seq}, so it is not carried over. "
                "Find out what happened (`flask audit verify` on the previous release names the "
                "event) and restore the trail from a backup before upgrading."
            )
        expected_seq, expected_prev = expected_seq + 1, row["hash"]
    head = _head(bind)
    if (head.seq, head.hash) != (expected_seq - 1, expected_prev):
        raise RuntimeError(
            f"The audit trail's head is #{head.seq} but its events end at #{expected_seq - 1}: "
            "events were removed, so it is not carried over. Restore it from a backup first."
        )
    return head


def _reseal(bind, new_seal, key_id):
    """Seal every event again, oldest first."""
    prev_hash = GENESIS_HASH
    for row in _events_in_order(bind):
        row = {**row, "key_id": key_id, "prev_hash": prev_hash}
        row["hash"] = new_seal(prev_hash, row)
        bind.execute(
            EVENTS.update()
            .where(EVENTS.c.id == row["id"])
            .values(prev_hash=row["prev_hash"], hash=row["hash"], key_id=key_id)
        )
        prev_hash = row["hash"]
    bind.execute(HEAD.update().where(HEAD.c.id == 1).values(hash=prev_hash))


def _without_append_only(bind, change):
    """Run ``change`` with the trail's own append-only triggers out of the way."""
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        change()
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    else:
        # SQLite rebuilds the table to change a column, which drops its triggers anyway.
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
        change()
        for statement in APPEND_ONLY_SQLITE:
            op.execute(statement)


def upgrade():
    bind = op.get_bind()
    key = current_app.config["AUDIT_CHAIN_KEY"]
    key_id = _key_id(key)
    # Checked before any change: SQLite does not take back a schema change when a later step fails.
    old_head = _check_chain(bind, _unkeyed_hash)

    def rechain():
        with op.batch_alter_table("audit_events", schema=None) as batch_op:
            batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        _reseal(bind, lambda prev, row: _keyed_hash(key, prev, row), key_id)
        log.info(
            "Audit trail rechained under key %s; the unkeyed chain's head was #%s %s",
            key_id, old_head.seq, old_head.hash,
        )
        with op.batch_alter_table("audit_events", schema=None) as batch_op:
            batch_op.alter_column("key_id", existing_type=sa.String(length=16), nullable=False)

    _without_append_only(bind, rechain)
    guard = HEAD_GUARD_POSTGRESQL if bind.dialect.name == "postgresql" else HEAD_GUARD_SQLITE
    for statement in guard:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    config = current_app.config
    keys = {
        _key_id(key): key for key in (config["AUDIT_CHAIN_KEY"], *config["AUDIT_CHAIN_RETIRED_KEYS"])
    }

    def keyed_seal(prev_hash, row):
        key = keys.get(row["key_id"])
        return _keyed_hash(key, prev_hash, row) if key else ""

    _check_chain(bind, keyed_seal)
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER audit_head_forward_only ON audit_head")
        op.execute("DROP FUNCTION audit_head_forward_only()")
    else:
        op.execute("DROP TRIGGER audit_head_forward_only")
        op.execute("DROP TRIGGER audit_head_no_delete")

    def unchain():
        with op.batch_alter_table("audit_events", schema=None) as batch_op:
            batch_op.alter_column("key_id", existing_type=sa.String(length=16), nullable=True)
        _reseal(bind, _unkeyed_hash, None)
        with op.batch_alter_table("audit_events", schema=None) as batch_op:
            batch_op.drop_column("key_id")

    _without_append_only(bind, unchain)
