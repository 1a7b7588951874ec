"""Risk scores kept per provider (§7.305(d)): refreshed in the transaction that changes a
provider's facts, every night, and on a read that finds none or yesterday's."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from casework.models import RiskScore
from casework.risk import kept
from core import signals
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.jobs import schedule
from intake import services as intake
from intake.examples import payload
from tests.factories import log_in, make_provider, make_user


def _kept(provider_id: int) -> RiskScore:
    db.session.expire_all()
    return db.session.get(RiskScore, provider_id)


def _sources_asked(app: Flask, asked: list):
    def source(_app: Flask, *, today, provider_ids):
        asked.append(None if provider_ids is None else tuple(provider_ids))
        return {}

    return signals.risk_signals_asked.connected_to(source, sender=app)


def test_a_certification_filed_by_api_changes_the_queue_without_recomputing_it(app, client):
    provider = make_provider("Juniper Compute LLC")
    make_provider("Other Cloud LLC")
    _, token = intake.issue_token(provider, label="Juniper system", actor=make_user(Role.ADMIN))
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    assert 'data-testid="risk-queue"' in client.get("/casework/risk").text
    assert _kept(provider.id).score == 40  # never certified (§7.305(d)(2)(i))

    asked: list = []
    with _sources_asked(app, asked):
        filed = client.post(
            "/api/v1/filings",
            data=json.dumps({"kind": "cip_certification", "payload": payload("cip_certification")}),
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"},
            content_type="application/json",
        )
        assert filed.status_code == 201
        # The filing's transaction rescored that provider alone, before it committed.
        assert asked == [(provider.id,)]
        asked.clear()
        queue = client.get("/casework/risk?name=juniper")
        assert asked == []  # the queue read the kept row

    # The example certification reports one unverified foreign account: 1 × 2 points.
    row = _kept(provider.id)
    assert (row.score, row.certification, row.good_for) == (2, "current", office_today())
    assert [(line["criterion"], line["kind"]) for line in row.lines_json] == [
        ("§7.305(d)(1)(i)", "unverified_account")
    ]
    assert "<td>2</td>" in queue.text and "<td>40</td>" not in queue.text


def test_the_nightly_refresh_rescores_everyone_and_the_command_runs_it(app):
    first, second = make_provider(), make_provider()
    db.session.commit()
    assert "risk_refresh" in schedule.daily_kinds()
    kept.refresh(office_today())
    for row in db.session.execute(select(RiskScore)).scalars():
        row.score, row.good_for = 999, office_today() - timedelta(days=1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["risk-refresh"])
    assert result.exit_code == 0, result.output
    assert "Risk scores recomputed for 2 providers" in result.output
    assert [(_kept(p.id).score, _kept(p.id).good_for) for p in (first, second)] == [
        (40, office_today()),
        (40, office_today()),
    ]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "risk.refresh"))


def test_yesterday_s_kept_score_is_recomputed_on_the_provider_s_page(app, client):
    provider = make_provider("Hazel Networks LLC")
    db.session.commit()
    kept.refresh(office_today(), [provider.id])
    row = _kept(provider.id)
    row.score, row.good_for = 999, office_today() - timedelta(days=1)
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))

    page = client.get(f"/intake/providers/{provider.id}")
    assert 'data-testid="risk-score">40<' in page.text
    assert (_kept(provider.id).score, _kept(provider.id).good_for) == (40, office_today())


def test_a_provider_registered_since_the_night_s_refresh_is_scored_on_read(client):
    log_in(client, make_user(Role.ANALYST))
    client.get("/casework/risk")
    provider = make_provider("Rowan Cloud LLC")
    db.session.commit()
    assert _kept(provider.id) is None
    assert "Rowan Cloud LLC" in client.get("/casework/risk").text
    assert _kept(provider.id).score == 40
