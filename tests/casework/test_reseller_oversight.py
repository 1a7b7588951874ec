"""Oversight of a provider's foreign resellers (§7.303(e)): evidence, the provider's knowledge
that the reseller has not remediated, the 30-day clock, and the termination the registry follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import rules, services
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines.models import Deadline
from core.errors import IllegalTransition
from core.workflow import rules as workflow
from tests.factories import log_in, make_provider, make_resellers, make_user

TODAY = office_today()


def _evidence(client, reseller, **changes):
    data = {
        "evidence_kind": rules.EvidenceKind.NOT_IMPLEMENTED.value,
        "evidence": "Forty accounts opened in March without identity checks (FBI referral).",
        "received_on": (TODAY - timedelta(days=40)).isoformat(),
        **changes,
    }
    return client.post(f"/casework/resellers/{reseller.id}/oversight", data=data)


@pytest.fixture
def reseller(client):
    log_in(client, make_user(Role.ANALYST))
    (reseller,) = make_resellers(make_provider(), 1)
    return reseller


def test_evidence_with_gaps_is_refused_field_by_field(client, reseller):
    blank = _evidence(client, reseller, evidence="", evidence_kind="")
    assert blank.status_code == 422
    assert "Describe the evidence and where it came from." in blank.text
    assert "Choose what the evidence indicates." in blank.text
    future = _evidence(client, reseller, received_on=(TODAY + timedelta(days=1)))
    assert 'id="received_on-error"' in future.text and "cannot be in the future" in future.text
    assert "Forty accounts opened in March" in future.text


def test_the_kinds_of_evidence_keep_their_capitals(client, reseller):
    page = _evidence(client, reseller, evidence="").text
    assert ">Failure to maintain a CIP</label>" in page
    assert ">Failure to implement its CIP</label>" in page


def test_knowledge_starts_the_30_day_clock_and_termination_meets_it(client, reseller):
    case_page = _evidence(client, reseller)
    case_url = case_page.headers["Location"]

    early = client.post(
        f"{case_url}/knowledge", data={"knowledge_on": (TODAY - timedelta(days=41)).isoformat()}
    )
    assert early.status_code == 422 and "cannot be before" in early.text

    knew_on = TODAY - timedelta(days=35)
    running = client.post(
        f"{case_url}/knowledge", data={"knowledge_on": knew_on.isoformat()}, follow_redirects=True
    )
    due_on = knew_on + timedelta(days=30)
    assert f"{due_on} = knowledge {knew_on} + 30 calendar days, §7.303(e)" in running.text
    board = client.get("/deadlines/")
    assert f"terminate {reseller.name}" in board.text and "app-urgency--overdue" in board.text

    ended = client.post(
        f"{case_url}/outcome",
        data={"outcome": "terminated", "outcome_on": TODAY.isoformat(), "note": "Notice served."},
        follow_redirects=True,
    )
    assert f"relationship terminated on {TODAY} (after the 30 days)" in ended.text
    db.session.refresh(reseller)
    assert (reseller.status, reseller.ended_on) == ("ended", TODAY)
    deadline = db.session.query(Deadline).filter_by(clock_key="reseller.termination").one()
    assert deadline.met_on == TODAY
    again = client.post(
        f"{case_url}/outcome",
        data={"outcome": "remediated", "outcome_on": TODAY.isoformat()},
        follow_redirects=True,
    )
    assert again.request.path == case_url
    assert "“relationship terminated”, from which it cannot move to “remediated”" in again.text


def test_a_reseller_that_remediates_stays_in_the_registry(client, reseller):
    case_url = _evidence(client, reseller).headers["Location"]
    client.post(
        f"{case_url}/outcome", data={"outcome": "remediated", "outcome_on": TODAY.isoformat()}
    )
    db.session.refresh(reseller)
    assert reseller.status == "active"
    provider_page = client.get(f"/intake/providers/{reseller.provider_id}")
    assert f"{reseller.name}</a>: failure to implement its CIP — remediated" in provider_page.text


def test_the_oversight_steps_are_one_way():
    steps, states = rules.OVERSIGHT_ALLOWED, rules.OversightState
    workflow.check_transition(steps, states.EVIDENCE, states.TERMINATED)
    with pytest.raises(IllegalTransition):
        workflow.check_transition(steps, states.TERMINATED, states.TERMINATION_CLOCK)


def _oversight_lines(provider_id):
    scored = services.score_provider(provider_id, TODAY)
    return [line for line in scored.lines if line.kind == "reseller_oversight"]


def test_an_open_case_weighs_on_the_providers_risk_until_it_ends(client, reseller):
    assert _oversight_lines(reseller.provider_id) == []
    case_url = _evidence(client, reseller).headers["Location"]

    (line,) = _oversight_lines(reseller.provider_id)
    assert (line.criterion, line.count, line.weight, line.points) == ("§7.305(d)(1)(i)", 1, 10, 10)
    page = client.get(f"/casework/risk/providers/{reseller.provider_id}")
    assert f"{reseller.name}: failure to implement its CIP." in page.text
    assert "Use by foreign malicious cyber actors" in page.text

    client.post(f"{case_url}/knowledge", data={"knowledge_on": TODAY.isoformat()})
    assert len(_oversight_lines(reseller.provider_id)) == 1  # the clock runs; still open
    client.post(
        f"{case_url}/outcome", data={"outcome": "remediated", "outcome_on": TODAY.isoformat()}
    )
    assert _oversight_lines(reseller.provider_id) == []
