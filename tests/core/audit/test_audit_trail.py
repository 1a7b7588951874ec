"""The audit trail in the database: append-only, hash-chained, verified, listed for admins."""

import csv
import io

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from core.audit.models import AuditEvent
from core.audit.services import record_event
from core.auth.rules import Role
from core.db import db
from tests.factories import log_in, log_in_admin, make_admin, make_user


def _drop_append_only_triggers():
    """What an attacker with database rights would have to do before altering the trail."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TRIGGER audit_events_no_change ON audit_events"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    db.session.commit()


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _three_events():
    for number in range(3):
        record_event("test.step", actor=None, actor_label="tester", after={"n": number})
    db.session.commit()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def test_events_link_to_the_one_before_and_the_whole_chain_verifies(app):
    events = _three_events()
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    result = _verify(app)
    assert result.exit_code == 0
    assert "Audit chain verified" in result.output


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_or_remove_an_event(app, statement):
    _three_events()
    change = (
        update(AuditEvent).values(outcome="failure")
        if statement == "update"
        else delete(AuditEvent)
    )
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(change.where(AuditEvent.seq == 2))
        db.session.flush()
    db.session.rollback()


def test_verify_names_an_altered_event(app):
    _three_events()
    _drop_append_only_triggers()
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(after_json='{"n":99}'))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "event #2" in result.output
    assert "altered" in result.output


@pytest.mark.parametrize(("removed", "named"), [(2, "event #2"), (3, "event #3")])
def test_verify_names_a_removed_event(app, removed, named):
    _three_events()
    _drop_append_only_triggers()
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq == removed))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert named in result.output


def test_sign_in_failure_and_sign_out_are_each_recorded(client):
    analyst = make_user()
    client.post("/login", data={"acknowledge": "y", "email": analyst.email, "password": "x" * 16})
    log_in(client, analyst)
    client.post("/logout")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("auth.login", "auth.logout")))
    ).all()
    assert [(e.action, e.outcome) for e in events] == [
        ("auth.login", "failure"),
        ("auth.login", "success"),
        ("auth.logout", "success"),
    ]
    assert all(e.actor_id == analyst.id and e.remote_addr == "127.0.0.1" for e in events)


def test_administrators_list_and_filter_events(app, client):
    admin = make_admin()
    analyst = make_user(Role.ANALYST, email="filter.me@oicts.example")
    log_in(app.test_client(), analyst)
    log_in_admin(client, admin)
    events_table = client.get("/admin/audit/?actor=filter.me").text.split("<tbody>")[1]
    assert "filter.me@oicts.example" in events_table
    assert "auth.login" in events_table
    assert admin.email not in events_table
    by_action = client.get("/admin/audit/?action=user.create").text.split("<tbody>")[1]
    assert "auth.login" not in by_action
    failures = client.get("/admin/audit/?outcome=failure").text
    assert "No events match these filters." in failures


def test_a_bad_date_in_the_filter_is_a_field_message_not_an_error(client):
    log_in_admin(client, make_admin())
    response = client.get("/admin/audit/?from_on=2026-13-45")
    assert response.status_code == 200
    assert 'id="from_on-error"' in response.text


def test_the_csv_export_neutralises_formulas_and_is_audited(client):
    admin = make_admin()
    record_event("test.step", actor=None, actor_label='=HYPERLINK("http://evil.example")')
    db.session.commit()
    log_in_admin(client, admin)
    response = client.get("/admin/audit/events.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    labels = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in labels
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.audit_events")
    ).one()
    assert exported.actor_id == admin.id


def test_only_administrators_see_the_trail(client):
    log_in(client, make_user(Role.REVIEWER))
    assert client.get("/admin/audit/").status_code == 403
