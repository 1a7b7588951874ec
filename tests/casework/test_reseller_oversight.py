"""Oversight of a provider's foreign resellers (§7.303(e)): evidence, the provider's knowledge
that the reseller has not remediated, the 30-day clock, and the termination the registry follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import services
from casework.oversight import rules
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
    assert ">Failure to maintain a CIP (§7.303(e))</label>" in page
    assert ">Failure to implement its CIP (§7.303(e))</label>" in page


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
    assert "not open while the record stands at “relationship terminated”" in again.text


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


def test_the_other_trigger_starts_the_clock_and_the_account_closure_is_a_step(client, reseller):
    case_url = _evidence(client, reseller).headers["Location"]
    page = client.get(case_url).text
    assert "not yet recorded as closed" in page
    closed = client.post(
        f"{case_url}/account-closure",
        data={"oversight_account_closure-on": (TODAY - timedelta(days=20)).isoformat(),
              "oversight_account_closure-note": "Account suspended, then closed."},
        follow_redirects=True,
    )  # fmt: skip
    closed_on = TODAY - timedelta(days=20)
    assert f"closed on {closed_on}: Account suspended, then closed." in closed.text
    assert "account-closure" not in closed.text  # recorded once, not offered again

    knew_on = TODAY - timedelta(days=10)
    running = client.post(
        f"{case_url}/knowledge",
        data={"trigger": rules.TerminationTrigger.INCREASED_RISK.value,
              "knowledge_on": knew_on.isoformat(), "note": "Botnet traffic traced to it."},
        follow_redirects=True,
    )  # fmt: skip
    assert (
        "Continuing the relationship otherwise increases the risk of malicious use, known "
        f"{knew_on}: Botnet traffic traced to it." in running.text
    )
    assert (
        f"{knew_on + timedelta(days=30)} = knowledge {knew_on} + 30 calendar days" in running.text
    )
    client.post(
        f"{case_url}/outcome", data={"outcome": "terminated", "outcome_on": TODAY.isoformat()}
    )
    db.session.refresh(reseller)
    assert reseller.status == "ended"
    deadline = db.session.query(Deadline).filter_by(clock_key="reseller.termination").one()
    assert deadline.met_on == TODAY


def test_a_closure_before_the_evidence_or_in_the_future_is_refused(client, reseller):
    case_url = _evidence(client, reseller).headers["Location"]
    early = client.post(
        f"{case_url}/account-closure",
        data={"oversight_account_closure-on": (TODAY - timedelta(days=41)).isoformat()},
    )
    assert early.status_code == 422 and "cannot be before" in early.text
    assert 'id="oversight_account_closure-on-error"' in early.text


def _reporting_evidence(client, reseller):
    return _evidence(
        client, reseller, evidence_kind=rules.EvidenceKind.REPORT_NOT_MADE.value,
        evidence="A 4e25-operation run for a foreign customer was never reported to the provider.",
    ).headers["Location"]  # fmt: skip


def _step(client, case_url, slug, action, on, note="", **kwargs):
    return client.post(
        f"{case_url}/{slug}",
        data={f"{action}-on": on.isoformat(), f"{action}-note": note},
        **kwargs,
    )


def _reporting_lines(provider_id):
    scored = services.score_provider(provider_id, TODAY)
    return [line for line in scored.lines if line.kind == "reseller_reporting_oversight"]


def test_a_7308f_case_runs_notice_suspension_and_resumption_on_assurances(client, reseller):
    case_url = _reporting_evidence(client, reseller)
    page = client.get(case_url).text
    assert "§7.308(f)" in page and "Start the termination clock" not in page
    (line,) = _reporting_lines(reseller.provider_id)
    assert (line.criterion, line.count, line.weight) == ("§7.305(d)(1)(ii)", 1, 10)
    risk_page = client.get(f"/casework/risk/providers/{reseller.provider_id}").text
    assert f"{reseller.name}: failure to report a covered transaction to the provider" in risk_page

    blank = _step(client, case_url, "notice", "oversight_notice", TODAY - timedelta(days=30))
    assert blank.status_code == 422
    assert "Say what the provider told the reseller" in blank.text
    notified = _step(
        client, case_url, "notice", "oversight_notice", TODAY - timedelta(days=30),
        "Alleged violation of §7.308(a)(2); written confirmation and evidence asked for.",
        follow_redirects=True,
    )  # fmt: skip
    assert "reseller notified" in notified.text
    early = _step(
        client, case_url, "suspension", "oversight_suspension", TODAY - timedelta(days=31), "No."
    )
    assert early.status_code == 422 and "cannot be before" in early.text
    suspended = _step(
        client, case_url, "suspension", "oversight_suspension", TODAY - timedelta(days=10),
        "No confirmation; a second run went unreported.", follow_redirects=True,
    )  # fmt: skip
    assert "provision suspended" in suspended.text
    (line,) = _reporting_lines(reseller.provider_id)
    assert "(provision suspended)" in line.explanation

    resumed = _step(
        client, case_url, "resumption", "oversight_resumption", TODAY,
        "Reporting procedure adopted; reports copied to the provider within 15 days.",
        follow_redirects=True,
    )  # fmt: skip
    assert f"{TODAY}: Reporting procedure adopted" in resumed.text
    assert "provision resumed on assurances" in resumed.text
    assert _reporting_lines(reseller.provider_id) == []
    assert reseller.status == "active"


def test_a_notified_reseller_that_confirms_compliance_ends_the_case(client, reseller):
    case_url = _reporting_evidence(client, reseller)
    _step(client, case_url, "notice", "oversight_notice", TODAY, "Asked for confirmation.")
    done = _step(
        client, case_url, "compliance", "oversight_compliance", TODAY,
        "The report was made on time; the provider's copy had been misfiled.",
        follow_redirects=True,
    )  # fmt: skip
    assert "remediated on" in done.text
    assert _reporting_lines(reseller.provider_id) == []
    refused = _step(
        client, case_url, "suspension", "oversight_suspension", TODAY, "Late.",
        follow_redirects=True,
    )  # fmt: skip
    assert "not open while the record stands at “remediated”" in refused.text
