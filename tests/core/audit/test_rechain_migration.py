"""Carrying a trail chained without a key over to the keyed chain: the upgrade checks the old
chain as the old release did, seals every event again under AUDIT_CHAIN_KEY, and refuses to
seal a trail that was already broken."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from core.audit.models import GENESIS_HASH, AuditEvent
from core.audit.rules import ChainKeys
from core.db import db
from tests.conftest import make_app

BEFORE_KEYED_CHAIN = "b52a7e19c0d6"
UNKEYED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "subject_type", "subject_id",
    "before_json", "after_json", "remote_addr", "outcome",
)  # fmt: skip
OLD_EVENTS = sa.table(
    "audit_events",
    *(sa.column(name) for name in ("seq", *UNKEYED_FIELDS[2:], "prev_hash", "hash")),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
)
OLD_HEAD = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash"))


def _record_unkeyed_events(count: int, *, tamper_with: int | None = None) -> None:
    """Events as the release before the keyed chain wrote them: plain SHA-256 links."""
    previous = GENESIS_HASH
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    for seq in range(1, count + 1):
        at = start + timedelta(minutes=seq)
        fields = {
            "seq": seq,
            "occurred_at": at.isoformat(timespec="microseconds"),
            "actor_id": None,
            "actor_label": "system (command line)",
            "action": "filing.receive",
            "subject_type": "filing",
            "subject_id": f"OICTS-2026-{seq:06d}",
            "before_json": None,
            "after_json": json.dumps({"n": seq}),
            "remote_addr": "command line",
            "outcome": "success",
        }
        material = json.dumps(fields, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256((previous + material).encode()).hexdigest()
        if seq == tamper_with:
            fields["after_json"] = json.dumps({"n": 99})
        db.session.execute(
            OLD_EVENTS.insert().values(
                **{**fields, "occurred_at": at}, prev_hash=previous, hash=digest
            )
        )
        previous = digest
    db.session.execute(OLD_HEAD.update().values(seq=count, hash=previous))
    db.session.commit()


@pytest.fixture
def old_release(empty_database_url):
    """A database at the last revision before the keyed chain."""
    application = make_app(empty_database_url)
    with application.app_context():
        upgrade(revision=BEFORE_KEYED_CHAIN)
        yield application
        db.session.remove()
        db.engine.dispose()


def test_an_intact_unkeyed_trail_is_rechained_under_the_key_and_verifies(old_release):
    _record_unkeyed_events(4)
    upgrade()
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
    key_id = ChainKeys.from_secrets(old_release.config["AUDIT_CHAIN_KEY"]).signing_id
    assert [(event.seq, event.key_id) for event in events] == [(n, key_id) for n in range(1, 5)]
    result = old_release.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "4 events" in result.output


def test_downgrading_restores_a_whole_unkeyed_chain(old_release):
    _record_unkeyed_events(3)
    upgrade()
    downgrade(revision=BEFORE_KEYED_CHAIN)
    upgrade()  # which checks the unkeyed chain again before sealing it
    result = old_release.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_a_broken_unkeyed_trail_is_not_sealed_under_the_key(old_release, caplog):
    _record_unkeyed_events(4, tamper_with=3)
    with pytest.raises(SystemExit):
        upgrade()
    assert "The audit trail is broken at event #3, so it is not carried over" in caplog.text
    db.session.remove()
    with db.engine.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        columns = {column["name"] for column in sa.inspect(connection).get_columns("audit_events")}
    assert revision == BEFORE_KEYED_CHAIN
    assert "key_id" not in columns
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(OLD_EVENTS.delete())
        db.session.flush()
