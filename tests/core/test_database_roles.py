"""On PostgreSQL the application connects as a role of its own, not a superuser: it does its
work and adds to the audit trail, but cannot change, remove or empty the trail, move its head
back, or switch the triggers off that guard it."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from core.audit.models import AuditEvent, AuditHead
from core.audit.services import record_event
from core.auth.rules import Role
from core.db import db
from tests.conftest import make_app
from tests.factories import log_in, make_user


@pytest.fixture
def application(production_database) -> Iterator[Flask]:
    """The application as it runs in production, connected as the application role."""
    app = make_app(production_database.application_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_the_application_role_does_its_normal_work_and_adds_to_the_trail(application):
    assert not db.session.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar_one()
    analyst = make_user(Role.ANALYST)
    client = application.test_client()
    assert log_in(client, analyst).status_code == 302
    assert client.get("/deadlines/").status_code == 200
    record_event("test.step", actor=analyst, after={"note": "written by the application role"})
    db.session.commit()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["user.create", "auth.login", "test.step"]
    cli = application.test_cli_runner()
    assert cli.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert cli.invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(outcome="success"),
        delete(AuditEvent),
        text("TRUNCATE audit_events"),
        delete(AuditHead),
        text("ALTER TABLE audit_events DISABLE TRIGGER ALL"),
        text("SET session_replication_role = replica"),
    ],
    ids=["update", "delete", "truncate", "delete head", "disable triggers", "replica"],
)
def test_the_application_role_cannot_alter_the_trail_or_its_guards(application, statement):
    make_user()  # an event to alter
    with pytest.raises(DBAPIError, match=r"permission denied|must be owner"):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


def test_the_application_role_cannot_move_the_head_back(application):
    make_user()
    with pytest.raises(DBAPIError, match="audit_head moves forward one event at a time"):
        db.session.execute(update(AuditHead).values(seq=0))
    db.session.rollback()


def test_the_application_role_is_refused_as_a_superuser_or_the_tables_owner(production_database):
    owner_app = make_app(production_database.owner_url)
    with owner_app.app_context():
        cli = owner_app.test_cli_runner()
        superuser = cli.invoke(args=["db", "grant-app-role", "postgres"])
        owner = cli.invoke(args=["db", "grant-app-role", db.engine.url.username])
        missing = cli.invoke(args=["db", "grant-app-role", "nobody_by_that_name"])
        db.session.remove()
        db.engine.dispose()
    assert superuser.exit_code == 1
    assert "must not connect as one" in superuser.output
    assert owner.exit_code == 1
    assert "owns the tables" in owner.output
    assert missing.exit_code == 1
    assert "There is no role nobody_by_that_name" in missing.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_granting_a_role_on_sqlite_says_why_not(app):
    result = app.test_cli_runner().invoke(args=["db", "grant-app-role", "oicts_app"])
    assert result.exit_code == 1
    assert "Only PostgreSQL has roles" in result.output
