"""Providers due for an assessment (§7.305(e)(1)): annually, when never assessed or last assessed
more than a year ago, or on a risk basis, when the score reaches the office's threshold; each
opened from the list with its origin and the reasons it was due."""

from __future__ import annotations

from datetime import timedelta

from casework import rules, services
from casework.risk import kept
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.parameters import services as parameters
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    log_in,
    make_admin,
    make_filing,
    make_provider,
    make_user,
)

TODAY = office_today()


def _closed_assessment(provider, analyst, opened_on):
    """An assessment opened on ``opened_on`` that found nothing and closed."""
    assessment = services.open_assessment(
        provider, origin=rules.AssessmentOrigin.ANNUAL, scope="The written CIP.", origin_note="",
        actor=analyst, today=opened_on,
    )  # fmt: skip
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    services.decide_assessment(
        assessment, approve=True, comments="", actor=make_user(Role.REVIEWER)
    )
    services.issue_assessment(assessment, issued_on=opened_on, actor=analyst, today=TODAY)
    return assessment


def test_the_list_says_why_each_provider_is_due_and_leaves_out_the_rest(client):
    analyst = make_user(Role.ANALYST)
    make_provider("Alder Compute, Inc.")  # never certified: 40 points
    fresh = make_provider("Birch Cloud LLC")
    make_filing(fresh)
    lapsed = make_provider("Cedar Networks, Inc.")
    make_filing(lapsed)
    last_year = TODAY - timedelta(days=400)
    _closed_assessment(lapsed, analyst, last_year)
    recent = make_provider("Dogwood Data, Inc.")
    make_filing(recent)
    _closed_assessment(recent, analyst, TODAY - timedelta(days=30))
    busy = make_provider("Elm Edge Corp.")
    services.open_assessment(
        busy, origin=rules.AssessmentOrigin.REFERRAL, scope="A referral.", origin_note="",
        actor=analyst, today=TODAY,
    )  # fmt: skip
    exempt = make_provider("Fir Fabric Corp.")
    grant_exemption(
        file_exemption_request(exempt), analyst=analyst, reviewer=make_user(Role.REVIEWER),
        today=TODAY,
    )  # fmt: skip
    db.session.commit()
    log_in(client, analyst)

    assert "/casework/assessments/due" in client.get("/casework/assessments").text
    page = client.get("/casework/assessments/due")
    assert page.status_code == 200
    due = [(entry.legal_name, entry.origin) for entry in services.assessments_due(TODAY)]
    assert due == [
        ("Alder Compute, Inc.", rules.AssessmentOrigin.RISK_SCHEDULE),
        ("Birch Cloud LLC", rules.AssessmentOrigin.ANNUAL),
        ("Cedar Networks, Inc.", rules.AssessmentOrigin.ANNUAL),
    ]
    assert "Risk score 40, at or above 40 (§7.305(d), (e)(1))." in page.text
    assert "Never assessed (§7.305(e)(1))." in page.text
    assert f"Last assessment opened {last_year}; a year passed on" in page.text
    for absent in ("Dogwood Data", "Elm Edge", "Fir Fabric"):
        assert absent not in page.text
    assert page.text.count(">Open an assessment</button>") == 3


def test_opening_from_the_list_keeps_the_origin_and_the_reasons(client):
    analyst = make_user(Role.ANALYST)
    risky = make_provider("Alder Compute, Inc.")
    annual = make_provider("Birch Cloud LLC")
    make_filing(annual)
    log_in(client, analyst)

    opened = client.post(f"/casework/assessments/due/{risky.id}", follow_redirects=True)
    assert "Assessment AS-" in opened.text and " opened." in opened.text
    assert "from a risk-based schedule: Risk score 40, at or above 40" in opened.text
    assert "Never assessed (§7.305(e)(1))." in opened.text
    (assessment,) = services.assessments_of(risky.id)
    assert (assessment.origin, assessment.risk_score) == ("a risk-based schedule", 40)
    assert assessment.scope == services.SCHEDULED_SCOPE

    client.post(f"/casework/assessments/due/{annual.id}")
    (assessment,) = services.assessments_of(annual.id)
    assert assessment.origin == rules.AssessmentOrigin.ANNUAL.value

    again = client.post(f"/casework/assessments/due/{risky.id}")
    assert again.status_code == 422
    assert "Alder Compute, Inc. is not due for a scheduled assessment" in again.text
    assert len(services.assessments_of(risky.id)) == 1
    assert "No provider is due for an assessment." in client.get("/casework/assessments/due").text


def test_a_reviewer_sees_the_list_but_opens_nothing(client):
    provider = make_provider()
    log_in(client, make_user(Role.REVIEWER))
    page = client.get("/casework/assessments/due")
    assert provider.legal_name in page.text and "Open an assessment" not in page.text
    assert client.post(f"/casework/assessments/due/{provider.id}").status_code == 403
    assert services.assessments_of(provider.id) == []


def test_an_administrator_moves_the_risk_threshold_and_the_list_follows(client):
    make_provider("Alder Compute, Inc.")  # never certified: 40 points
    assert [d.origin for d in services.assessments_due(TODAY)] == [
        rules.AssessmentOrigin.RISK_SCHEDULE
    ]
    parameters.add_value(
        "assessment.risk_schedule_points", value_text="60", effective_from=TODAY,
        citation="§7.305(e)(1)", note="Fewer risk-based assessments this year.",
        actor=make_admin(),
    )  # fmt: skip
    db.session.commit()
    assert [d.origin for d in services.assessments_due(TODAY)] == [rules.AssessmentOrigin.ANNUAL]
    log_in(client, make_user(Role.ANALYST))
    page = client.get("/casework/assessments/due").text
    assert "when its risk score is 60 or more" in page
    assert "Risk score 40, at or above" not in page


def test_the_paged_list_holds_exactly_the_providers_the_rule_finds_due(client):
    """The list asks its query of every kept score at once; each provider on it, and none
    left off, is one ``rules.assessment_due`` finds due from that provider's own history."""
    analyst = make_user(Role.ANALYST)
    a_year_ago = rules.annual_assessment_edge(TODAY)
    providers = {}
    for name, opened_on in [
        ("Larch Compute, Inc.", a_year_ago),
        ("Maple Cloud LLC", a_year_ago + timedelta(days=1)),
        ("Oak Networks, Inc.", a_year_ago - timedelta(days=40)),
        ("Pine Data Corp.", TODAY - timedelta(days=10)),
        ("Quince Edge LLC", None),
    ]:
        providers[name] = make_provider(name)
        make_filing(providers[name])
        if opened_on:
            _closed_assessment(providers[name], analyst, opened_on)
    make_provider("Rowan Hosting, Inc.")  # never certified: scored at the threshold
    db.session.commit()
    log_in(client, analyst)

    listed = client.get("/casework/assessments/due").text
    found = {}
    for scored, score in kept.scheduled_providers(TODAY):
        openings = [a.opened_on for a in services.assessments_of(scored.provider_id)]
        history = rules.AssessmentHistory(max(openings, default=None))
        found[scored.legal_name] = rules.assessment_due(scored, score, history, TODAY)
    assert {name for name, due in found.items() if due} == {
        "Larch Compute, Inc.", "Oak Networks, Inc.", "Quince Edge LLC", "Rowan Hosting, Inc.",
    }  # fmt: skip
    for name, due in found.items():
        assert (f">{name}</a>" in listed) is bool(due), name
    in_order = [entry.legal_name for entry in services.assessments_due(TODAY)]
    assert in_order == [
        "Rowan Hosting, Inc.", "Larch Compute, Inc.", "Oak Networks, Inc.", "Quince Edge LLC",
    ]  # fmt: skip
    # The page lists them in the schedule's order too: equal scores by name, A to Z.
    shown_at = [listed.index(f">{name}</a>") for name in in_order]
    assert shown_at == sorted(shown_at)
