"""Compiled reseller certifications screened against the measures in force on the day they
were received; hits shown on the filing and the provider, decided with reasons, and a hit ruled
out not coming back until the measure changes (docs/architecture.md §5)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from core import risk, signals
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from intake import services as intake
from intake.models import ForeignReseller
from special_measures import actions as measure_actions
from special_measures import rules, screening
from special_measures.models import ScreeningRun
from tests.factories import (
    extend_measure,
    log_in,
    make_filing,
    make_measure,
    make_provider,
    make_user,
    revoke_measure,
)
from tests.intake.resellers.test_import import csv_file, reseller, upload


def _certify(client, provider, rows):
    page = upload(client, provider, "resellers.csv", csv_file(rows), follow_redirects=True)
    assert "foreign resellers certified" in page.text
    return page


def test_a_certification_is_screened_on_receipt_and_hits_show_on_filing_and_provider(client):
    jurisdiction = make_measure()  # RU, (b)(1)
    person = make_measure(kind="person")  # Volga Hosting Group LLC, alias "Volga Host"
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))

    _certify(
        client,
        provider,
        [
            reseller(reseller_name="Neva Cloud OOO", jurisdiction="RU"),
            reseller(reseller_name="VOLGA HOST GMBH", jurisdiction="DE"),
            reseller(reseller_name="Rheinland Cloud GmbH", jurisdiction="DE"),
        ],
    )

    (run,) = db.session.query(ScreeningRun).all()
    assert (run.subject_type, run.relevant_on, run.parties_screened) == (
        "filing",
        office_today(),
        3,
    )
    assert run.ran_by_id is not None and run.threshold == rules.NAME_MATCH_THRESHOLD
    assert [m["reference"] for m in run.measures_json] == [
        jurisdiction.reference, person.reference
    ]  # fmt: skip
    assert sorted((h.party_name, h.matched_on) for h in run.hits) == [
        ("Neva Cloud OOO", "jurisdiction"),
        ("VOLGA HOST GMBH", "alias"),
    ]

    filing_page = client.get(f"/intake/filings/{run.subject_id}")
    assert "Screening against special measures" in filing_page.text
    assert "3 parties, 2 hits" in filing_page.text
    provider_page = client.get(f"/intake/providers/{provider.id}")
    assert 'data-testid="screening-hits"' in provider_page.text
    assert "VOLGA HOST GMBH (DE)" in provider_page.text
    assert f"{person.reference}</a> Volga Hosting Group LLC" in provider_page.text


def test_a_filing_received_before_a_measure_was_issued_is_screened_as_of_its_day(app):
    make_measure()
    provider = make_provider()
    filing_day = office_today() - timedelta(days=3)
    db.session.add(
        ForeignReseller(provider_id=provider.id, name="Neva Cloud OOO", jurisdiction="RU")
    )
    db.session.commit()

    before = screening.screen_provider_resellers(provider, relevant_on=filing_day, actor=None)
    today = screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    assert (len(before.hits), len(today.hits)) == (0, 1)
    assert before.measures_json == []


def test_a_hit_ruled_out_does_not_return_until_the_measure_changes(client):
    measure = make_measure(office_today() - timedelta(days=300), kind="person")
    provider = make_provider()
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    _certify(client, provider, [reseller(reseller_name="Volga Hosting Group", jurisdiction="AM")])
    (hit,) = db.session.query(ScreeningRun).one().hits

    refused = client.post(
        f"/special-measures/screening/hits/{hit.id}",
        data={f"hit{hit.id}-decision": "not a match"},
    )
    assert refused.status_code == 422
    assert f'id="hit{hit.id}-reason-error"' in refused.text
    decided = client.post(
        f"/special-measures/screening/hits/{hit.id}",
        data={
            f"hit{hit.id}-decision": "not a match",
            f"hit{hit.id}-reason": "Armenian firm registered 2019; no link to the person.",
        },
        follow_redirects=True,
    )
    assert "Decision recorded for Volga Hosting Group." in decided.text
    assert "no link to the person" in decided.text

    again = client.post(
        f"/special-measures/screening/providers/{provider.id}", follow_redirects=True
    )
    assert "Screened 1 foreign resellers: 0 hits." in again.text
    assert 'data-testid="screening-clear"' in client.get(f"/intake/providers/{provider.id}").text

    # The measure is extended: a new version, so the name is screened afresh.
    action = measure_actions.draft_action(
        measure, kind="extension", reasons="Still needed.",
        new_last_day_on=measure.last_day_on + timedelta(days=365), effective_on=None,
        actor=measure.drafted_by, today=office_today(),
    )  # fmt: skip
    measure_actions.decide_action(action, approve=True, comments="", actor=make_user(Role.REVIEWER))
    measure_actions.record_extension(
        action, federal_register_citation="92 FR 5000", published_on=office_today(),
        actor=measure.drafted_by, today=office_today(),
    )  # fmt: skip
    db.session.commit()
    after = client.post(
        f"/special-measures/screening/providers/{provider.id}", follow_redirects=True
    )
    assert "Screened 1 foreign resellers: 1 hit." in after.text
    assert len(screening.open_hits_for_provider(provider.id, office_today())) == 1


def test_the_people_in_an_ai_training_report_are_screened_when_it_arrives(client):
    person = make_measure(kind="person")
    provider = make_provider()
    filing = make_filing(provider)

    signals.send(
        signals.ai_report_received,
        filing=filing,
        actor=None,
        parties=[
            {"kind": "foreign customer", "name": "Kestrel Analytics Pte Ltd", "jurisdiction": "SG"},
            {"kind": "beneficial owner", "name": "Volga Hosting Group", "jurisdiction": "RU"},
        ],
    )
    db.session.commit()

    (run,) = screening.runs_for("filing", filing.receipt_number)
    assert [(h.party_kind, h.party_name, h.case_id) for h in run.hits] == [
        ("beneficial owner", "Volga Hosting Group", person.id)
    ]
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/filings/{filing.receipt_number}")
    assert "2 parties, 1 hit." in page.text


def test_open_hits_reach_the_risk_score_as_signals_citing_their_criterion(app):
    make_measure()
    provider, other = make_provider(), make_provider()
    for name in ("Neva Cloud OOO", "Ural Compute AO"):
        db.session.add(ForeignReseller(provider_id=provider.id, name=name, jurisdiction="RU"))
    db.session.commit()
    run = screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    screening.decide_hit(
        run.hits[0], decision=rules.HitDecision.NOT_A_MATCH,
        reason="Registered in Kazakhstan; the RU code was a keying error.",
        actor=make_user(Role.ANALYST),
    )  # fmt: skip
    db.session.commit()

    signals = risk.signals_by_provider(office_today())

    assert other.id not in signals
    (signal,) = signals[provider.id]
    assert (signal.criterion, signal.kind, signal.count) == (
        "§7.305(d)(1)(i)", "special_measure_hit", 1
    )  # fmt: skip


def _resellers(provider, *rows: tuple[str, str], status: str = "active") -> list[ForeignReseller]:
    resellers = [
        ForeignReseller(provider_id=provider.id, name=name, jurisdiction=code, status=status)
        for name, code in rows
    ]
    db.session.add_all(resellers)
    db.session.commit()
    return resellers


def _standing(provider, today=None) -> list[tuple[str, str, str | None]]:
    """What the provider's page lists: party, measure and decision."""
    hits = screening.open_hits_for_provider(provider.id, today or office_today())
    return [(hit.party_name, hit.case.reference, hit.decision) for hit in hits]


def test_hits_against_a_lapsed_or_revoked_measure_stop_counting_but_stay_on_record(client):
    today = office_today()
    lapsed = make_measure(today - timedelta(days=400))  # RU, last day in effect 36 days ago
    person = make_measure(today - timedelta(days=30), kind="person")
    provider = make_provider()
    _resellers(provider, ("Neva Cloud OOO", "RU"), ("Volga Host", "AM"))
    then = screening.screen_provider_resellers(provider, relevant_on=lapsed.last_day_on, actor=None)
    screening.screen_provider_resellers(provider, relevant_on=today, actor=None)
    db.session.commit()

    # The RU measure lapsed (§7.307(a)(5)): its hit is evidence of that run, no longer a signal.
    assert [hit.party_name for hit in then.hits] == ["Neva Cloud OOO"]
    assert _standing(provider) == [("Volga Host", person.reference, None)]
    assert [s.count for s in risk.signals_by_provider(office_today())[provider.id]] == [1]

    revoke_measure(person, effective_on=today)

    assert _standing(provider) == []
    assert provider.id not in risk.signals_by_provider(office_today())
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/providers/{provider.id}").text
    assert 'data-testid="screening-clear"' in page
    assert len(then.hits) == 1


def test_a_hit_on_a_reseller_whose_relationship_has_ended_stops_counting(app):
    make_measure()  # RU
    provider = make_provider()
    neva, _ = _resellers(provider, ("Neva Cloud OOO", "RU"), ("Ural Compute AO", "RU"))
    screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    # A customer named in an AI training report is not a reseller: ending one never hides it.
    signals.send(
        signals.ai_report_received,
        filing=make_filing(provider),
        actor=None,
        parties=[{"kind": "beneficial owner", "name": "Neva Cloud OOO", "jurisdiction": "RU"}],
    )
    db.session.commit()
    assert len(_standing(provider)) == 3

    intake.end_reseller_relationship(
        neva, ended_on=office_today(), reason="Terminated under §7.303(e).",
        actor=make_user(Role.ANALYST),
    )  # fmt: skip
    db.session.commit()

    assert sorted((hit.party_kind, hit.party_name) for hit in
                  screening.open_hits_for_provider(provider.id, office_today())) == [
        ("beneficial owner", "Neva Cloud OOO"), ("foreign reseller", "Ural Compute AO"),
    ]  # fmt: skip
    (signal,) = risk.signals_by_provider(office_today())[provider.id]
    # Two distinct names still stand: Ural Compute AO, and Neva Cloud OOO in the report.
    assert signal.count == 2


def test_issuing_a_measure_screens_every_providers_active_resellers_again(app):
    mixed, clear, ended, _without_resellers = (make_provider() for _ in range(4))
    _resellers(mixed, ("Neva Cloud OOO", "RU"), ("Rheinland Cloud GmbH", "DE"))
    _resellers(clear, ("Kestrel Cloud Pte Ltd", "SG"))
    _resellers(ended, ("Ural Compute AO", "RU"), status="ended")

    measure = make_measure()  # RU, issued today

    runs = {run.provider_id: run for run in db.session.scalars(select(ScreeningRun))}
    assert set(runs) == {mixed.id, clear.id}  # one run per provider with active resellers
    assert (runs[mixed.id].subject_type, runs[mixed.id].relevant_on) == ("provider", office_today())
    assert [m["reference"] for m in runs[mixed.id].measures_json] == [measure.reference]
    assert [(h.party_name, h.matched_on) for h in runs[mixed.id].hits] == [
        ("Neva Cloud OOO", "jurisdiction")
    ]
    assert (runs[mixed.id].parties_screened, runs[clear.id].parties_screened) == (2, 1)
    assert runs[clear.id].hits == []
    recorded = db.session.scalars(
        select(AuditEvent.after_json).where(AuditEvent.action == "screening.run")
    ).all()
    assert [json.loads(after)["reason"] for after in recorded] == [
        f"{measure.reference} issued"
    ] * 2
    assert _standing(mixed) == [("Neva Cloud OOO", measure.reference, None)]


def test_a_decision_holds_when_screened_again_until_an_extension_changes_the_measure(client):
    measure = make_measure(office_today() - timedelta(days=300))  # RU
    provider = make_provider()
    _resellers(provider, ("Neva Cloud OOO", "RU"))
    run = screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    screening.decide_hit(
        run.hits[0], decision=rules.HitDecision.MATCH,
        reason="Registered in Saint Petersburg.", actor=make_user(Role.ANALYST),
    )  # fmt: skip
    db.session.commit()

    # Another measure is issued: everyone is screened again, and the RU hit is repeated.
    make_measure(kind="person")
    assert len(screening.runs_for("provider", provider.id)) == 2
    assert _standing(provider) == [("Neva Cloud OOO", measure.reference, "match")]
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/providers/{provider.id}").text
    assert page.count("Neva Cloud OOO (RU)") == 1

    # The RU measure is extended: a new version, screened again and to be decided afresh.
    extend_measure(
        measure, new_last_day=measure.last_day_on + timedelta(days=365),
        published_on=office_today(),
    )  # fmt: skip
    assert len(screening.runs_for("provider", provider.id)) == 3
    assert _standing(provider) == [("Neva Cloud OOO", measure.reference, None)]
