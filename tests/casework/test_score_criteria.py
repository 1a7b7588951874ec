"""A fact scores under one criterion of §7.305(d), with the version of the score kept."""

from __future__ import annotations

from datetime import timedelta

from casework.models import RiskScore
from casework.risk import kept
from casework.rules import SCORING_RULES_VERSION
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from tests.factories import file_report, log_in, make_provider, make_user

TODAY = office_today()


def test_a_late_ai_report_scores_once_under_the_ai_criterion(client):
    provider = make_provider("Magnolia Compute LLC")
    report = file_report(provider, transaction_on=(TODAY - timedelta(days=16)).isoformat())
    assert report.timeliness == "late"

    row = kept.kept_score(provider.id, TODAY)

    by_kind = {line["kind"]: line for line in row.lines_json}
    assert "late_filing" not in by_kind
    late = by_kind["late_ai_report"]
    assert (late["criterion"], late["count"]) == ("§7.305(d)(1)(ii)", 1)
    assert report.receipt_number in late["explanation"]
    assert "not again as a late filing under §7.305(d)(2)(i)" in late["explanation"]
    assert row.rules_version == SCORING_RULES_VERSION

    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/casework/risk/providers/{provider.id}")
    assert f"Computed under the scoring rules of {SCORING_RULES_VERSION}" in page.text


def test_a_score_kept_under_earlier_scoring_rules_is_computed_again_on_read(app):
    provider = make_provider("Sycamore Cloud Inc.")
    kept.kept_score(provider.id, TODAY)
    row = db.session.get(RiskScore, provider.id)
    row.rules_version, row.score = "2026-11-01", 999
    db.session.commit()

    again = kept.kept_score(provider.id, TODAY)

    assert (again.rules_version, again.score) == (SCORING_RULES_VERSION, 40)
