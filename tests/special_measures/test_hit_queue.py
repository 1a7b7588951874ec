"""The queue of screening hits nobody has decided yet: every provider's, oldest first, paged
and sorted on the server, narrowed by provider and measure, each decided where it is listed
with the form and service of its run's page (§7.307; docs/architecture.md §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from intake.models import ForeignReseller
from special_measures import screening
from special_measures.models import ScreeningHit, ScreeningRun
from tests.factories import log_in, make_measure, make_provider, make_user

QUEUE = "/special-measures/screening/hits"


def _screened(provider, *names: tuple[str, str]) -> ScreeningRun:
    db.session.add_all(
        ForeignReseller(provider_id=provider.id, name=name, jurisdiction=code)
        for name, code in names
    )
    db.session.commit()
    run = screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    db.session.commit()
    return run


@pytest.fixture
def hits(app):
    """Hits on two providers' resellers, against a jurisdiction measure and a person measure,
    the first provider's screened earlier."""
    jurisdiction = make_measure()  # RU
    person = make_measure(kind="person")  # Volga Hosting Group LLC, alias "Volga Host"
    first, second = make_provider("Alto Cloud, Inc."), make_provider("Brava Hosting LLC")
    early = _screened(first, ("Neva Cloud OOO", "RU"))
    early.ran_at -= timedelta(days=2)
    late = _screened(second, ("Volga Host GmbH", "DE"), ("Ural Compute", "RU"))
    db.session.commit()
    return {
        "jurisdiction": jurisdiction, "person": person, "first": first, "second": second,
        "early": early.hits, "late": late.hits,
    }  # fmt: skip


def _rows(page) -> list[str]:
    soup = BeautifulSoup(page.text, "html.parser")
    return [row.find_all("td")[2].strong.get_text() for row in soup.select("tbody tr[data-testid]")]


def test_every_undecided_hit_across_providers_is_listed_oldest_first(client, hits):
    log_in(client, make_user(Role.ANALYST))
    page = client.get(QUEUE)
    assert page.status_code == 200
    rows = _rows(page)
    # The first provider's hit was found two days before the second's two (one run).
    assert rows[0] == "Neva Cloud OOO"
    assert sorted(rows[1:]) == ["Ural Compute", "Volga Host GmbH"]
    assert "1–3 of 3 undecided hits" in page.text
    assert 'aria-sort="ascending"' in page.text


def test_the_queue_sorts_and_pages_on_the_server(client, hits):
    log_in(client, make_user(Role.VIEWER))
    by_party = client.get(QUEUE, query_string={"sort": "party", "dir": "desc"})
    assert _rows(by_party) == ["Volga Host GmbH", "Ural Compute", "Neva Cloud OOO"]
    paged = client.get(QUEUE, query_string={"sort": "party", "per_page": "25", "page": "2"})
    assert _rows(paged) == []
    assert "(none on page 2)" in paged.text


def test_the_queue_narrows_to_a_provider_and_a_measure(client, hits):
    log_in(client, make_user(Role.ANALYST))
    second = client.get(QUEUE, query_string={"provider": hits["second"].id})
    assert sorted(_rows(second)) == ["Ural Compute", "Volga Host GmbH"]
    person = client.get(QUEUE, query_string={"measure": hits["person"].id})
    assert _rows(person) == ["Volga Host GmbH"]
    both = client.get(
        QUEUE, query_string={"provider": hits["first"].id, "measure": hits["person"].id}
    )
    assert "No undecided hits for this choice." in both.text
    options = BeautifulSoup(both.text, "html.parser").select("#provider option")
    assert [o.get_text() for o in options] == [
        "Every provider",
        "Alto Cloud, Inc.",
        "Brava Hosting LLC",
    ]
    # Nonsense in the address is no filter at all, not an error.
    assert (
        len(_rows(client.get(QUEUE, query_string={"provider": "x'; --", "measure": "9" * 30}))) == 3
    )


def test_a_hit_is_decided_in_place_and_leaves_the_queue(client, hits):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    (neva,) = hits["early"]
    filters = {"provider": hits["first"].id, "sort": "score"}
    page = client.get(QUEUE, query_string=filters)
    form = BeautifulSoup(page.text, "html.parser").select_one(
        f"[data-testid=queued-hit-{neva.id}] form"
    )
    action = form["action"]
    assert action.startswith(f"/special-measures/screening/hits/{neva.id}/from-queue?")
    csrf = form.select_one("input[name=csrf_token]")
    data = {f"hit{neva.id}-decision": "match", f"hit{neva.id}-reason": "Same registry number."}
    if csrf is not None:
        data["csrf_token"] = csrf["value"]
    decided = client.post(action, data=data)
    assert decided.status_code == 302
    assert decided.headers["Location"].startswith(QUEUE + "?")
    assert f"provider={hits['first'].id}" in decided.headers["Location"]
    back = client.get(decided.headers["Location"])
    assert "Decision recorded for Neva Cloud OOO." in back.text
    assert "No undecided hits for this choice." in back.text
    db.session.expire_all()
    assert db.session.get(ScreeningHit, neva.id).decision == "match"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "screening.decide")
    ).one()
    assert (event.subject_id, event.actor_id) == (str(neva.id), analyst.id)
    # The run's page shows the same decision.
    assert (
        "Same registry number."
        in client.get(f"/special-measures/screening/runs/{neva.run_id}").text
    )


def test_a_decision_without_a_reason_is_shown_again_in_the_queue(client, hits):
    log_in(client, make_user(Role.REVIEWER))
    (neva,) = hits["early"]
    refused = client.post(
        f"/special-measures/screening/hits/{neva.id}/from-queue?sort=party",
        data={f"hit{neva.id}-decision": "unsure"},
    )
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.select_one(f"#hit{neva.id}-reason-error").get_text(strip=True) == (
        "Give the reason for the decision."
    )
    assert soup.select_one(f"#hit{neva.id}-decision option[selected]")["value"] == "unsure"
    assert len(_rows(refused)) == 3
    db.session.expire_all()
    assert db.session.get(ScreeningHit, neva.id).decision is None


def test_a_party_screened_again_after_its_decision_is_not_asked_again(client, hits):
    log_in(client, make_user(Role.ANALYST))
    (neva,) = hits["early"]
    screening.decide_hit(neva, decision=screening.rules.HitDecision.NOT_A_MATCH,
                         reason="Different firm.", actor=make_user(Role.ANALYST))  # fmt: skip
    db.session.commit()
    screening.screen_provider_resellers(hits["first"], relevant_on=office_today(), actor=None)
    db.session.commit()
    assert "Neva Cloud OOO" not in _rows(client.get(QUEUE))


def test_a_viewer_reads_the_queue_without_the_forms_and_a_liaison_may_not(client, hits):
    log_in(client, make_user(Role.VIEWER))
    page = client.get(QUEUE)
    assert len(_rows(page)) == 3
    assert "Record decision" not in page.text
    (neva,) = hits["early"]
    refused = client.post(f"/special-measures/screening/hits/{neva.id}/from-queue", data={})
    assert refused.status_code == 403

    other = app_client(client)
    log_in(other, make_user(Role.LIAISON, agency="DoD"))
    assert other.get(QUEUE).status_code == 403


def app_client(client):
    return client.application.test_client()


def test_the_queue_is_in_the_side_navigation(client, hits):
    log_in(client, make_user(Role.ANALYST))
    nav = BeautifulSoup(client.get("/").text, "html.parser").select_one("nav.app-sidenav")
    assert nav.find("a", href=QUEUE).get_text(strip=True) == "Screening hits to decide"
