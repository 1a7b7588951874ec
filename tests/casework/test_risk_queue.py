"""The ranked queue over the registry: who ranks first and why, filters, export, the weights an
administrator changes, screening hits from special measures, and what changed since last week."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from casework import services
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.parameters import services as parameters
from exemptions import services as exemptions
from intake.models import ForeignReseller
from special_measures import screening
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    log_in,
    make_admin,
    make_filing,
    make_measure,
    make_provider,
    make_user,
    receive_filing_on,
)


def _staff(client):
    log_in(client, make_user(Role.ANALYST))


def test_the_queue_ranks_never_certified_first_and_explains_each_score(client):
    certified = make_provider("Alder Compute, Inc.")
    make_filing(certified)
    never = make_provider("Birch Cloud LLC")
    _staff(client)

    page = client.get("/casework/risk")
    assert page.status_code == 200
    assert page.text.index("Birch Cloud LLC") < page.text.index("Alder Compute, Inc.")

    explained = client.get(f"/casework/risk/providers/{never.id}")
    assert "No CIP certification has been received." in explained.text
    assert "§7.305(d)(2)(i)" in explained.text and "1 × 40" in explained.text
    assert 'data-testid="score-total">40<' in explained.text
    # The certification in the example payload reports one unverified foreign account.
    alder = client.get(f"/casework/risk/providers/{certified.id}")
    assert "1 unverified foreign customer account(s)" in alder.text and "1 × 2" in alder.text


def test_an_administrator_changes_a_weight_and_the_scores_follow(app):
    provider = make_provider()
    before = services.score_provider(provider.id, office_today())
    parameters.add_value(
        "risk.weight.never_certified",
        value_text="60",
        effective_from=office_today(),
        citation="§7.305(d)(2)(i)",
        note="Raised after the 2026 review.",
        actor=make_admin(),
    )
    db.session.commit()
    after = services.score_provider(provider.id, office_today())
    assert (before.score, after.score) == (40, 60)


def test_screening_hits_from_special_measures_add_to_the_score(app):
    make_measure()
    provider = make_provider()
    make_filing(provider)
    db.session.add(ForeignReseller(provider_id=provider.id, name="Neva Cloud", jurisdiction="RU"))
    db.session.commit()
    screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    db.session.commit()

    scored = services.score_provider(provider.id, office_today())
    hit = next(line for line in scored.lines if line.kind == "special_measure_hit")
    assert (hit.criterion, hit.points) == ("§7.305(d)(1)(i)", 30)


def test_the_queue_filters_and_exports_what_it_shows(client):
    make_provider("=HYPERLINK Cloud LLC")
    make_filing(make_provider("Cedar Networks, Inc."))
    _staff(client)

    filtered = client.get("/casework/risk?certification=never+certified")
    assert "HYPERLINK Cloud LLC" in filtered.text and "Cedar Networks" not in filtered.text
    assert "1–1 of 1 provider<" in filtered.text
    refused = client.get("/casework/risk?minimum_score=lots")
    assert refused.status_code == 200 and "Not a valid integer value." in refused.text

    exported = client.get("/casework/risk.csv?certification=never+certified")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == services.QUEUE_COLUMNS
    assert [row[1:4] for row in rows[1:]] == [["'=HYPERLINK Cloud LLC", "never certified", "40"]]


def test_what_changed_since_last_week_compares_with_the_kept_scores(client):
    steady = make_provider("Dogwood Data, Inc.")
    make_filing(steady)
    week_ago = office_today() - timedelta(days=8)
    services.take_snapshot(week_ago, actor=None)
    assert services.take_snapshot(week_ago, actor=None) == 0  # once a day
    newcomer = make_provider("Fir Fabric Corp.")
    db.session.commit()
    _staff(client)

    page = client.get("/casework/risk/changes")
    assert f"against the scores kept on {week_ago}" in page.text
    assert f'data-testid="delta-{newcomer.id}">+40<' in page.text
    assert "Dogwood Data" not in page.text


def test_the_provider_page_shows_its_score(client):
    provider = make_provider()
    _staff(client)
    page = client.get(f"/intake/providers/{provider.id}")
    assert 'data-testid="risk-score">40<' in page.text


def test_the_demo_office_queue_is_explained_and_a_weight_change_reorders_it(client):
    client.application.test_cli_runner().invoke(args=["seed-demo"])
    _staff(client)
    today = office_today()
    top = services.ranked_queue(services.score_registry(today), services.QueueFilter()).iloc[0]

    assert top.certification == "never certified"
    explained = client.get(f"/casework/risk/providers/{top.provider_id}")
    assert "No CIP certification has been received." in explained.text
    assert "Failure to submit a CIP certification" in explained.text
    assert f'data-testid="score-total">{top.score}<' in explained.text

    overdue = next(
        s for s in services.score_registry(today) if s.facts.certification_status == "overdue"
    )
    parameters.add_value(
        "risk.weight.overdue_certification", value_text="500", effective_from=today,
        citation="§7.305(d)(2)(i)", note="Overdue certifications first this quarter.",
        actor=make_admin(),
    )  # fmt: skip
    db.session.commit()
    reranked = services.ranked_queue(services.score_registry(today), services.QueueFilter())
    assert reranked.iloc[0].certification == "overdue"
    assert overdue.facts.provider_id in set(reranked.head(5).provider_id)
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "parameter.add_value" in actions


def _certification_lines(provider_id):
    scored = services.score_provider(provider_id, office_today())
    return [line for line in scored.lines if line.criterion == "§7.305(d)(2)(i)"]


def test_an_exempt_provider_is_not_scored_for_a_certification_it_does_not_owe(client):
    today = office_today()
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    never = make_provider("Tern Harbor Compute LLC")
    lapsed = make_provider("Wren Point Cloud, Inc.")
    receive_filing_on(lapsed, "cip_certification", days_ago=400)
    assert [line.kind for line in _certification_lines(never.id)] == ["never_certified"]
    assert [line.kind for line in _certification_lines(lapsed.id)] == ["overdue_certification"]

    cases = [
        grant_exemption(file_exemption_request(p), analyst=analyst, reviewer=reviewer, today=today)
        for p in (never, lapsed)
    ]
    assert _certification_lines(never.id) == _certification_lines(lapsed.id) == []
    _staff(client)
    explained = client.get(f"/casework/risk/providers/{never.id}")
    assert "No CIP certification has been received." not in explained.text
    exempt = client.get("/casework/risk?certification=exempt").text
    assert "Tern Harbor Compute LLC" in exempt and "Wren Point Cloud" in exempt

    exemptions.propose_revocation(
        cases[0], reasons="The ADP is no longer maintained.", special_measure_reference="",
        actor=analyst,
    )  # fmt: skip
    exemptions.decide_revocation(cases[0], approve=True, comments="", actor=reviewer, today=today)
    db.session.commit()
    (line,) = _certification_lines(never.id)
    assert (line.kind, line.points) == ("never_certified", 40)
    assert "No CIP certification has been received." in (
        client.get(f"/casework/risk/providers/{never.id}").text
    )
    assert _certification_lines(lapsed.id) == []
