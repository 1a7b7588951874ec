"""Cross-module reactions through named signals (core.signals): each application connects its
own receivers, once, and a provider's risk is asked of the sources for that provider alone."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from casework import services as casework
from core import signals
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from exemptions.models import ExemptionCase
from tests.conftest import make_app
from tests.factories import file_exemption_request, log_in, make_provider, make_user

EVERY_SIGNAL = (
    signals.filing_received,
    signals.ai_report_received,
    signals.reseller_certification_received,
    signals.position_recorded,
    signals.waivers_asked,
    signals.risk_signals_asked,
    signals.panels_asked,
    signals.subject_link_asked,
    signals.position_lock_asked,
    signals.case_owners_asked,
)


def _receivers(app: Flask) -> dict[str, int]:
    return {signal.name: len(list(signal.receivers_for(app))) for signal in EVERY_SIGNAL}


def test_each_application_gets_its_own_receivers_once(app, database_url):
    first = _receivers(app)
    second_app = make_app(database_url)

    assert _receivers(second_app) == first
    assert _receivers(app) == first  # building another application added nothing to this one
    assert all(first.values())
    assert set(_receivers(Flask("unconfigured")).values()) == {0}

    # An exemption request opens its case once, however many applications were built.
    file_exemption_request(make_provider())
    db.session.commit()
    assert db.session.execute(select(func.count(ExemptionCase.id))).scalar_one() == 1


def test_a_provider_s_pages_ask_the_risk_sources_about_that_provider_only(app, client):
    provider, other = make_provider("Asked Cloud LLC"), make_provider("Other Cloud LLC")
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    asked = []

    def source(_app: Flask, *, today, provider_ids):
        asked.append((today, None if provider_ids is None else tuple(provider_ids)))
        return {}

    with signals.risk_signals_asked.connected_to(source, sender=app):
        assert client.get(f"/casework/risk/providers/{provider.id}").status_code == 200
        assert client.get(f"/intake/providers/{provider.id}").status_code == 200
        assert asked and set(asked) == {(office_today(), (provider.id,))}

        # The queue reads kept scores: it asks only about the provider it has none for yet,
        # and the next time about nobody.
        asked.clear()
        assert client.get("/casework/risk").status_code == 200
        assert asked == [(office_today(), (other.id,))]
        asked.clear()
        assert client.get("/casework/risk").status_code == 200
        assert asked == []

    by_provider = {s.facts.provider_id: s.score for s in casework.score_registry(office_today())}
    assert casework.score_provider(provider.id, office_today()).score == by_provider[provider.id]
    assert other.id in by_provider
