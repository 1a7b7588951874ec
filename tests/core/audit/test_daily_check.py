"""The daily check of the audit trail (core.audit.checks): the job says the chain verified, or
fails at once with the first broken event, which the administrators' dashboard shows until a
later daily check verifies the trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text, update

from core import signals
from core.audit.checks import DAILY_CHECK
from core.audit.models import AuditEvent
from core.audit.services import checkpoint_file
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.jobs.rules import JobState
from tests.core.audit.test_tamper_resistance import SQLITE_TRIGGERS, _five_events
from tests.factories import log_in, log_in_admin, make_admin, make_user, run_daily

ALERT = "The audit trail failed its daily check on"


def _rewrite_event(seq: int, after_json: str) -> None:
    """What the database's owner can do with the triggers off (a superuser, or whoever can
    write the SQLite file)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET session_replication_role = replica"))
    else:
        for trigger in SQLITE_TRIGGERS:
            db.session.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    events = AuditEvent.__table__
    db.session.execute(update(events).where(events.c.seq == seq).values(after_json=after_json))
    db.session.commit()


def test_a_whole_trail_passes_its_daily_check_and_no_alert_is_shown(app, client):
    _five_events()
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0

    job = run_daily(DAILY_CHECK)

    assert job.state is JobState.SUCCEEDED
    assert job.outcome.startswith(
        "Audit chain verified: 6 events, each sealed with a configured key and linked to the "
        "one before it. It agrees with 1 checkpoint(s)"
    )
    log_in_admin(client, make_admin())
    assert ALERT not in client.get("/").text


def test_a_tampered_trail_fails_its_check_at_once_and_the_alert_stays_until_a_later_check_passes(
    app, client
):
    _five_events()
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    events = AuditEvent.__table__
    written = db.session.scalar(select(events.c.after_json).where(events.c.seq == 2))
    _rewrite_event(2, '{"role": "admin"}')
    told = []

    def administrators_told(_app, *, job, reason):
        told.append((job.id, reason))

    with signals.audit_check_failed.connected_to(administrators_told, sender=app):
        failed = run_daily(DAILY_CHECK)

    # Checking again would find the same break: the job fails on its first attempt.
    assert (failed.state, failed.attempts) == (JobState.FAILED, 1)
    assert failed.failure_reason.startswith("audit chain broken at event #2")
    assert "altered" in failed.failure_reason
    assert told == [(failed.id, failed.failure_reason)]

    log_in_admin(client, make_admin())
    dashboard = client.get("/").text
    assert f"{ALERT} {office_today().isoformat()}: audit chain broken at event #2" in dashboard
    assert f'href="/jobs/{failed.id}"' in dashboard
    analysts = app.test_client()
    log_in(analysts, make_user(Role.ANALYST))
    assert ALERT not in analysts.get("/").text

    # The trail is put right; the next day's check verifies it.
    _rewrite_event(2, written)
    failed.run_key = f"{DAILY_CHECK.kind}@{(office_today() - timedelta(days=1)).isoformat()}"
    failed.finished_at -= timedelta(days=1)
    db.session.commit()
    assert ALERT in client.get("/").text

    passed = run_daily(DAILY_CHECK)

    assert passed.state is JobState.SUCCEEDED
    assert passed.outcome.startswith("Audit chain verified: ")
    assert ALERT not in client.get("/").text


def test_an_altered_checkpoint_file_fails_the_check_with_its_line(app, client):
    _five_events()
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    checkpoint_file().write_text(checkpoint_file().read_text().replace('"seq":5', '"seq":3'))

    failed = run_daily(DAILY_CHECK)

    assert failed.state is JobState.FAILED
    assert failed.failure_reason.startswith("Audit checkpoint file broken: ")
    assert "line 1, does not match its signature: it was altered" in failed.failure_reason
