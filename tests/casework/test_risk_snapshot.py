"""The daily risk snapshot (§7.305(d)): the scheduler's run and `flask risk-snapshot` keep the
day's scores through one function, once a day for each provider."""

from __future__ import annotations

from sqlalchemy import func, select

from casework.models import RiskSnapshot
from casework.services import RISK_SNAPSHOT
from core.audit.models import AuditEvent
from core.clocks import office_today
from core.db import db
from core.jobs.rules import JobState
from tests.factories import make_provider, run_daily

TODAY = office_today().isoformat()


def _kept_today() -> int:
    return db.session.scalar(
        select(func.count(RiskSnapshot.id)).where(RiskSnapshot.taken_on == office_today())
    )


def test_the_daily_run_and_the_command_keep_each_provider_s_score_once_a_day(app):
    make_provider("Aspen Compute LLC")
    make_provider("Birch Cloud Inc.")

    job = run_daily(RISK_SNAPSHOT)

    assert job.state is JobState.SUCCEEDED
    assert job.outcome == f"Risk scores kept for 2 providers on {TODAY} (§7.305(d))."
    assert _kept_today() == 2
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "risk.snapshot")).one()
    assert event.actor_label == "scheduler"

    make_provider("Cedar Hosting Ltd")
    command = app.test_cli_runner().invoke(args=["risk-snapshot"])

    assert command.exit_code == 0
    assert command.output == f"Risk scores kept for 1 provider on {TODAY} (§7.305(d)).\n"
    assert _kept_today() == 3


def test_each_snapshot_keeps_the_version_of_the_score_it_copies(app):
    from casework.risk import kept
    from casework.risk.scoring import weights_on
    from casework.rules import SCORING_RULES_VERSION

    make_provider("Dogwood Compute LLC")
    run_daily(RISK_SNAPSHOT)

    snapshot = db.session.scalars(select(RiskSnapshot)).one()
    assert snapshot.rules_version == SCORING_RULES_VERSION
    assert snapshot.weights_version == kept.weights_version(weights_on(office_today()))
    assert "never_certified=40" in snapshot.weights_version
