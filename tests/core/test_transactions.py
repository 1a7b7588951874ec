"""One transaction per request (core.transactions): a handler's work is stored once it has
answered, nothing of it when it fails, and a page that only reads stores nothing but the audit
of what was read."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from core.access import public
from core.audit.models import AuditEvent
from core.audit.services import record_event
from core.auth.rules import Role
from core.db import db
from intake.models import Provider
from tests.core.test_route_access import _routes, _sample_values, _signed_in_client, _url
from tests.factories import make_provider, make_running_import, make_user

# The audit trail is checked apart; signing in and keeping a session alive are written before
# any view runs (core.access).
# What a GET may write besides the audit of what was read: sessions, and the rate limits'
# counters (a feed read counts against its address, core/rate_limits/storage.py), and the kept
# risk scores, which a read computes and keeps where one is missing or stale (casework.risk).
BOOKKEEPING = {
    "audit_events",
    "audit_head",
    "user_sessions",
    "rate_limit_counters",
    "risk_scores",
}


def _audit_head() -> int:
    return db.session.execute(select(func.coalesce(func.max(AuditEvent.seq), 0))).scalar_one()


def _count(model: type) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_handler_s_flushed_work_is_stored_only_when_it_answers_without_error(app):
    def rename(provider_id: int, outcome: str):
        provider = db.session.get(Provider, provider_id)
        provider.legal_name = "Renamed Cloud LLC"
        record_event("provider.rename", actor=None, subject=("provider", provider_id))
        db.session.flush()
        if outcome == "raise":
            raise RuntimeError("the handler failed after its service flushed")
        return ("shown again with its errors", 422) if outcome == "refuse" else "renamed"

    app.add_url_rule(
        "/test/rename/<int:provider_id>/<outcome>",
        "test_rename",
        public(lambda provider_id, outcome: rename(provider_id, outcome)),
        methods=["POST"],
    )
    kept, failed, refused = (make_provider(name) for name in ("Kept", "Failed", "Refused"))
    db.session.commit()
    head = _audit_head()
    client = app.test_client()

    assert client.post(f"/test/rename/{failed.id}/raise").status_code == 500
    assert client.post(f"/test/rename/{refused.id}/refuse").status_code == 422
    assert _audit_head() == head
    assert client.post(f"/test/rename/{kept.id}/answer").status_code == 200

    db.session.expire_all()
    assert (failed.legal_name, refused.legal_name) == ("Failed", "Refused")
    assert kept.legal_name == "Renamed Cloud LLC"
    assert _audit_head() == head + 1


def _rows_outside_bookkeeping() -> dict[str, list[str]]:
    db.session.expire_all()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
        if table.name not in BOOKKEEPING
    }


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST], ids=lambda role: role.value)
def test_no_get_stores_anything_but_the_audit_of_what_was_read(app: Flask, role: Role):
    values = _sample_values(app)
    provider = db.session.get(Provider, values["provider_id"])
    values["import_id"] = make_running_import(provider, make_user(Role.ANALYST)).id
    client, _ = _signed_in_client(app, role)
    before, head = _rows_outside_bookkeeping(), _audit_head()

    answered = [
        client.get(_url(rule, values)).status_code
        for rule in _routes(app)
        if "GET" in rule.methods and rule.endpoint != "auth.logout"
    ]

    assert 200 in answered
    assert _rows_outside_bookkeeping() == before
    read_audit = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.seq > head).order_by(AuditEvent.seq)
    ).scalars()
    # What a GET may store: the audit of a download (export.*) or of a document read (*_read).
    assert [
        action
        for action in read_audit
        if not action.startswith("export.") and not action.endswith("_read")
    ] == []
