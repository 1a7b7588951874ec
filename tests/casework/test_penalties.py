"""Civil penalties (§7.309): the maximum with its arithmetic, two-person review, service, the 30
days to petition, the final decision within 30 days of a petition, and the notice read back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.penalties import rules, services
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import DomainError, InvalidInput
from core.pdf import formal_date
from intake.models import Provider
from tests.factories import (
    at_once,
    log_in,
    make_provider,
    make_user,
    set_office_settings,
    violation_rows,
    violations_of,
)
from tests.pdftext import pdf_pages, searchable

TODAY = office_today()


def test_without_a_petition_the_decision_waits_for_the_30_days():
    served, due = TODAY - timedelta(days=10), TODAY + timedelta(days=20)
    problem = rules.final_decision_problem(
        decided_on=TODAY, served_on=served, petition_due=due, petitioned=False, today=TODAY
    )
    assert problem is not None and due.isoformat() in problem
    assert (
        rules.final_decision_problem(
            decided_on=TODAY, served_on=served, petition_due=due, petitioned=True, today=TODAY
        )
        is None
    )


def _draft(provider, analyst, **changes):
    values = {
        "violations": violations_of("a2", "a8"),
        "conduct": "Certified in 2026 that all foreign accounts were verified; 212 were not.",
        "proposed_amount": 300_000,
        "actor": analyst,
        "today": TODAY,
        **changes,
    }
    return services.draft_penalty(provider, **values)


def test_analysts_drafting_notices_at_the_same_moment_get_distinct_references(app):
    provider_id, analyst = make_provider().id, make_user(Role.ANALYST)
    references = at_once(
        app, 6, lambda actor: _draft(db.session.get(Provider, provider_id), actor).reference,
        actor=analyst,
    )  # fmt: skip
    assert sorted(references) == [f"PN-{TODAY.year}-{n:04d}" for n in range(1, 7)]


def test_a_proposed_amount_above_the_maximum_is_refused_with_the_arithmetic(app):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    with pytest.raises(InvalidInput) as refused:
        _draft(provider, analyst, violations=violations_of("a2"), proposed_amount=400_000)
    assert "exceeds the maximum: $377,700 = $377,700 for 1 violation" in str(refused.value)
    assert services.penalties_of() == []


def test_a_penalty_from_notice_to_final_decision(client):
    provider, analyst = make_provider(), make_user(Role.ANALYST)
    case = _draft(provider, analyst, today=TODAY - timedelta(days=20))
    services.submit_penalty(case, actor=analyst)
    with pytest.raises(DomainError, match="Only a reviewer"):
        services.decide_penalty(case, approve=True, comments="", actor=analyst)
    reviewer = make_user(Role.REVIEWER)
    services.decide_penalty(case, approve=True, comments="", actor=reviewer)
    served_on = TODAY - timedelta(days=12)
    services.serve_penalty(case, served_on=served_on, actor=analyst, today=TODAY)
    db.session.commit()
    assert case.petition_deadline.due_on == served_on + timedelta(days=30)

    set_office_settings()
    log_in(client, analyst)
    pages = [
        searchable(page)
        for page in pdf_pages(client.get(f"/casework/penalties/{case.id}/notice.pdf").data)
    ]
    notice = " ".join(pages)
    assert all(page.startswith("CUI//PRVCY/PROPIN") for page in pages)
    assert "POC: Thomas Keller, OICTS CUI Program" in pages[0]
    assert notice.index(formal_date(served_on)) < notice.index("Dear ")
    assert "Certified in 2026 that all foreign accounts were verified" in notice
    assert "§7.309(a)(2)" in notice and "§7.309(a)(8)" in notice
    assert "The proposed penalty is $300,000." in notice
    assert "Maximum civil penalty $755,400" in notice
    assert f"by {formal_date(served_on + timedelta(days=30))} (§7.309(c)(1)(i))" in notice
    assert served_on.isoformat() not in notice and " = " not in notice
    (signed,) = [page for page in pages if "Daniel R. Okonkwo" in page]
    assert "(§7.309(c)(1)(ii)). Sincerely, Daniel R. Okonkwo Executive Director" in signed
    assert "DRAFT" not in notice

    petition = client.post(
        f"/casework/penalties/{case.id}/petition",
        data={"received_on": TODAY.isoformat(), "summary": "The accounts were U.S. persons."},
        follow_redirects=True,
    )
    assert f"{TODAY + timedelta(days=30)} = petition received {TODAY}" in petition.text
    board = client.get("/deadlines/").text
    assert "Final administrative decision on a petition" in board
    assert f"{case.reference}: final decision on the petition" in board
    met = client.get(f"/deadlines/{case.petition_deadline_id}").text
    assert (
        "Petition against a proposed penalty" in met and f"{served_on + timedelta(days=30)}" in met
    )

    reviewer_client = client.application.test_client()
    log_in(reviewer_client, reviewer)
    too_much = reviewer_client.post(
        f"/casework/penalties/{case.id}/final-decision",
        data={"decided_on": TODAY.isoformat(), "decision": "Upheld.", "final_amount": "400000"},
    )
    assert too_much.status_code == 422 and "cannot exceed the $300,000 proposed" in too_much.text
    decided = reviewer_client.post(
        f"/casework/penalties/{case.id}/final-decision",
        data={"decided_on": TODAY.isoformat(), "decision": "Reduced for cooperation.",
              "final_amount": "150000"},
        follow_redirects=True,
    )  # fmt: skip
    assert f"{TODAY}: penalty of $150,000." in decided.text
    assert "Reduced for cooperation." in decided.text
    assert case.decision_deadline.met_on == TODAY


def test_the_penalty_form_explains_what_is_missing(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    page = client.post(f"/casework/providers/{provider.id}/penalties/new", data={"conduct": "x"})
    assert page.status_code == 422
    assert "List at least one violation of §7.309(a)." in page.text
    assert "Enter the proposed penalty in whole dollars." in page.text
    drafted = client.post(
        f"/casework/providers/{provider.id}/penalties/new",
        data={**violation_rows("a3"), "conduct": "Kept a reseller without a CIP.",
              "proposed_amount": "50000"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Penalty notice PN-" in drafted.text and "drafted." in drafted.text


def test_a_reviewer_drafts_no_penalty_notice(client):
    provider, reviewer = make_provider(), make_user(Role.REVIEWER)
    case = _draft(provider, make_user(Role.ANALYST))
    db.session.commit()
    log_in(client, reviewer)

    assert client.get(f"/casework/providers/{provider.id}/penalties/new").status_code == 403
    drafted = client.post(
        f"/casework/providers/{provider.id}/penalties/new",
        data={**violation_rows("a2"), "conduct": "Never certified.", "proposed_amount": "1000"},
    )
    assert drafted.status_code == 403
    assert client.post(f"/casework/penalties/{case.id}/submit").status_code == 403
    assert "Send for review" not in client.get(f"/casework/penalties/{case.id}").text
    assert [c.id for c in services.penalties_of()] == [case.id]
    assert case.state == rules.PenaltyState.DRAFTED.value
    with pytest.raises(DomainError, match="Only an analyst drafts a penalty notice"):
        services.submit_penalty(case, actor=reviewer)
    with pytest.raises(DomainError, match="Only an analyst drafts a penalty notice"):
        _draft(provider, reviewer)


def test_an_amount_beyond_any_real_penalty_is_refused_on_its_field(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    page = client.post(
        f"/casework/providers/{provider.id}/penalties/new",
        data={**violation_rows("a3"), "conduct": "Kept a reseller without a CIP.",
              "proposed_amount": "99999999999999999999",
              "violations-0-transaction_value": "1" + "0" * 19},
    )  # fmt: skip
    assert page.status_code == 422
    assert page.text.count("Enter a whole number of dollars, up to one trillion.") >= 2
