"""A screening hit reaches the owners of the provider's open cases, or, when nobody owns one,
every active analyst: a possible match against a measure in force must not go unseen (§7.307).
The email names the run and the measure's reference, never the party or the provider."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework import services as casework
from casework.rules import AssessmentOrigin
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.notifications.models import Notification
from special_measures import rules, screening
from tests.factories import commit_and_deliver, make_measure, make_provider, make_user, notices_of
from tests.mailcatcher import html_of, text_of

PROVIDER = "Harbor Light Compute, Inc."


def _hits(user) -> list:
    return notices_of(user, "screening_hit")


def _screen(provider, kept=None):
    run = screening.screen_parties(
        [
            rules.Party("foreign customer", "Volga Hosting Group", "RU", "filing X"),
            rules.Party("foreign customer", "Kestrel Analytics Pte Ltd", "SG", "filing X"),
        ],
        provider_id=provider.id, subject=("provider", provider.id), relevant_on=office_today(),
        actor=None, kept=kept,
    )  # fmt: skip
    commit_and_deliver()
    return run


@pytest.fixture
def measure(mail_app):
    return make_measure(kind="person")  # Volga Hosting Group LLC, alias "Volga Host"


def test_a_hit_on_a_provider_whose_case_someone_owns_reaches_that_owner(measure, smtp_server):
    owner, bystander = make_user(Role.ANALYST), make_user(Role.ANALYST)
    provider = make_provider(PROVIDER)
    casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=owner, today=office_today(),
    )  # fmt: skip

    run = _screen(provider)

    [notice] = _hits(owner)
    assert notice.link == f"/special-measures/screening/runs/{run.id}"
    assert PROVIDER in notice.title and measure.reference in notice.title
    assert _hits(bystander) == [] and _hits(measure.drafted_by) == []
    [message] = smtp_server.to(owner.email)
    assert " ".join(message["Subject"].split()) == (
        f"Screening run {run.id}: 1 possible match against {measure.reference}"
    )
    body = message["Subject"] + text_of(message) + html_of(message)
    assert "a provider with an open case that you own" in text_of(message)
    assert "15 CFR §7.307" in text_of(message)
    for protected in ("Volga", "Harbor Light", "Kestrel"):
        assert protected not in body

    _screen(provider, kept=run)  # the same run done again adds no hit, and tells nobody again
    assert len(_hits(owner)) == 1


def test_a_hit_nobody_owns_reaches_every_active_analyst(measure, smtp_server):
    first, second = make_user(Role.ANALYST), make_user(Role.ANALYST)
    away = make_user(Role.ANALYST)
    away.active = False
    reviewer = make_user(Role.REVIEWER)
    provider = make_provider(PROVIDER)

    _screen(provider)

    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "screening_hit")
    ).all()
    assert sorted(told) == sorted([measure.created_by_id, first.id, second.id])
    assert _hits(away) == [] and _hits(reviewer) == []
    [message] = smtp_server.to(first.email)
    assert "nobody owns, so every analyst is told" in text_of(message)
