"""The risk score as plain tables: each line cites its criterion and shows its arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework import rules
from core import clocks
from core.risk import RiskSignal

TODAY = date(2027, 3, 15)
WEIGHTS = {
    "never_certified": 40,
    "overdue_certification": 25,
    "late_filing": 5,
    "unverified_account": 2,
    "special_measure_hit": 30,
}


def _facts(**changes: object) -> rules.ProviderFacts:
    values = {
        "provider_id": 1,
        "legal_name": "Granite Peak Cloud, Inc.",
        "certification_status": "current",
        "certification_due_on": date(2027, 9, 1),
        "late_filings": 0,
        "unverified_accounts": 0,
        "signals": (),
    }
    return rules.ProviderFacts(**{**values, **changes})


def test_a_provider_in_good_standing_scores_nothing():
    assert rules.score_lines(_facts(), WEIGHTS, TODAY) == []


def test_each_fact_becomes_a_line_with_its_criterion_and_arithmetic():
    facts = _facts(
        certification_status="overdue",
        certification_due_on=date(2027, 3, 1),
        late_filings=2,
        unverified_accounts=7,
        signals=(RiskSignal("§7.305(d)(1)(i)", "special_measure_hit", 1, "1 match."),),
    )
    lines = rules.score_lines(facts, WEIGHTS, TODAY)
    assert [(line.criterion, line.count, line.weight, line.points) for line in lines] == [
        ("§7.305(d)(2)(i)", 1, 25, 25),
        ("§7.305(d)(2)(i)", 2, 5, 10),
        ("§7.305(d)(1)(i)", 7, 2, 14),
        ("§7.305(d)(1)(i)", 1, 30, 30),
    ]
    assert "due 2027-03-01, 14 days overdue" in lines[0].explanation
    assert rules.total(lines) == 79


def test_a_signal_without_a_weight_is_shown_and_adds_nothing():
    signal = RiskSignal("§7.305(d)(2)(ii)", "overdue_exemption_notice", 1, "Notice overdue.")
    (line,) = rules.score_lines(_facts(signals=(signal,)), WEIGHTS, TODAY)
    assert (line.weight, line.points) == (0, 0)


def test_never_certified_outweighs_an_overdue_certification():
    never = rules.total(
        rules.score_lines(_facts(certification_status="never certified"), WEIGHTS, TODAY)
    )
    overdue = rules.total(
        rules.score_lines(
            _facts(certification_status="overdue", certification_due_on=date(2027, 1, 1)),
            WEIGHTS,
            TODAY,
        )
    )
    assert never > overdue > 0


def test_changes_list_the_largest_movement_first_and_new_providers():
    moved = rules.changes(
        {1: ("Alpha", 40), 2: ("Bravo", 10), 3: ("Charlie", 5), 4: ("Delta", 30)},
        {1: 40, 2: 45, 3: 0},
    )
    assert [(c.legal_name, c.before, c.delta) for c in moved] == [
        ("Bravo", 45, -35),
        ("Delta", None, 30),
        ("Charlie", 0, 5),
    ]


def test_the_histogram_counts_providers_in_bands_including_empty_ones():
    assert rules.histogram([0, 3, 12, 35], bucket=10) == [
        ("0–9", 2), ("10–19", 1), ("20–29", 0), ("30–39", 1),
    ]  # fmt: skip
    assert rules.histogram([]) == []


def test_accounts_unverified_for_months_weigh_more():
    facts = _facts(
        unverified_accounts=3,
        unverified_since=(date(2026, 9, 1), date(2026, 12, 1), date(2027, 3, 1)),
    )
    lines = rules.score_lines(facts, {**WEIGHTS, "stale_unverified_account": 5}, TODAY)
    stale = lines[-1]
    assert (stale.kind, stale.count, stale.points) == ("stale_unverified_account", 2, 10)
    assert "more than 90 days (the oldest since 2026-09-01)" in stale.explanation


def test_an_exempt_provider_owes_no_certification_and_scores_nothing_for_it():
    # Intake's status "exempt" (§7.306(e)) replaces "never certified" or "overdue".
    assert rules.score_lines(_facts(certification_status="exempt"), WEIGHTS, TODAY) == []
    assert _facts(certification_status="exempt").exempt


@pytest.mark.parametrize("state", list(rules.AssessmentState), ids=lambda s: s.name)
def test_a_follow_up_needs_an_issued_report(state):
    problem = rules.follow_up_problem(state)
    issued = state in (
        rules.AssessmentState.ISSUED,
        rules.AssessmentState.REMEDIATED,
        rules.AssessmentState.CLOSED,
    )
    assert (problem is None) == issued
    if not issued:
        assert "§7.305(e)(2)" in problem and str(state) in problem


def _due(score=0, last_opened_on=None, in_progress=False, today=TODAY, **facts):
    history = rules.AssessmentHistory(last_opened_on, in_progress)
    return rules.assessment_due(_facts(**facts), score, history, today, threshold=40)


def test_a_provider_never_assessed_is_due_for_its_annual_assessment():
    due = _due()
    assert due.origin is rules.AssessmentOrigin.ANNUAL
    assert due.reasons == ("Never assessed (§7.305(e)(1)).",)


@pytest.mark.parametrize(
    ("opened_on", "today", "due"),
    [
        (date(2026, 3, 15), date(2027, 3, 15), False),  # a year to the day: not more than a year
        (date(2026, 3, 15), date(2027, 3, 16), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # 29 February falls back to 28 February
        (date(2024, 2, 29), date(2025, 3, 1), True),
    ],
)
def test_the_annual_assessment_falls_due_more_than_a_year_after_the_last(opened_on, today, due):
    found = _due(last_opened_on=opened_on, today=today)
    assert (found is not None) == due
    if due:
        assert found.origin is rules.AssessmentOrigin.ANNUAL
        assert f"Last assessment opened {opened_on}; a year passed on" in found.reasons[0]


def test_a_score_at_the_threshold_calls_for_a_risk_based_assessment():
    recent = date(2027, 1, 10)
    assert _due(score=39, last_opened_on=recent) is None
    due = _due(score=40, last_opened_on=recent)
    assert due.origin is rules.AssessmentOrigin.RISK_SCHEDULE
    assert due.reasons == ("Risk score 40, at or above 40 (§7.305(d), (e)(1)).",)
    both = _due(score=65)
    assert both.origin is rules.AssessmentOrigin.RISK_SCHEDULE and len(both.reasons) == 2


def test_no_scheduled_assessment_while_one_is_under_way_or_for_an_exempt_provider():
    assert _due(score=90, last_opened_on=date(2025, 1, 1), in_progress=True) is None
    assert _due(score=90, certification_status="exempt") is None


def test_the_due_list_puts_risk_based_first_by_score_then_annual_by_name():
    never = rules.AssessmentHistory()
    providers = [
        (_facts(provider_id=1, legal_name="Cedar"), 0, never),
        (_facts(provider_id=2, legal_name="Birch"), 45, never),
        (_facts(provider_id=3, legal_name="Alder"), 0, never),
        (_facts(provider_id=4, legal_name="Dogwood"), 80, never),
        (_facts(provider_id=5, legal_name="Elm"), 0, rules.AssessmentHistory(TODAY)),
    ]
    due = rules.due_for_assessment(providers, TODAY, threshold=40)
    assert [entry.legal_name for entry in due] == ["Dogwood", "Birch", "Alder", "Cedar"]


# --- One criterion a fact (§7.305(d)) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "criterion"),
    [
        # Training reports (§7.308(c)) are no CIP certification: they score under (d)(1)(ii).
        ("ai_initial_report", "§7.305(d)(1)(ii)"),
        ("ai_reseller_report", "§7.305(d)(1)(ii)"),
        ("ai_corrected_report", "§7.305(d)(1)(ii)"),
        # Certifications score as a failure to submit (§7.305(d)(2)(i)).
        ("cip_certification", "§7.305(d)(2)(i)"),
        ("annual_certification", "§7.305(d)(2)(i)"),
        ("reseller_certification", "§7.305(d)(2)(i)"),
    ],
)
def test_a_late_filing_scores_under_one_criterion_only(kind, criterion):
    assert rules.late_filing_criterion(kind) == criterion


REMEDIATION_DUE = date(2027, 3, 15)


@pytest.mark.parametrize(
    ("today", "kind", "weight"),
    [
        # Within "a reasonable time period, as determined by the Department" (§7.305(a)), the
        # last day included: not yet a failure to implement (§7.305(d)(2)(ii)).
        (date(2027, 2, 1), rules.IN_REMEDIATION, 0),
        (date(2027, 3, 15), rules.IN_REMEDIATION, 0),
        # From the day after, each finding scores.
        (date(2027, 3, 16), "overdue_findings", 20),
        (date(2028, 1, 1), "overdue_findings", 20),
    ],
)
def test_findings_within_their_period_are_not_a_failure_to_implement(today, kind, weight):
    signal = rules.findings_signal("CA-2027-0001", 3, REMEDIATION_DUE, today)
    assert (signal.criterion, signal.kind, signal.count) == ("§7.305(d)(2)(ii)", kind, 3)
    # A weight an administrator set for the kind never reaches findings within their period.
    weights = {"overdue_findings": 20, rules.IN_REMEDIATION: 99}
    (line,) = rules.score_lines(_facts(signals=(signal,)), weights, today)
    assert (line.weight, line.points) == (weight, 3 * weight)
    if kind == rules.IN_REMEDIATION:
        assert "ends 2027-03-15" in line.explanation
        assert line.why_no_points.startswith("not scored while the remediation period runs")


def test_findings_with_no_period_set_are_not_scored():
    signal = rules.findings_signal("CA-2027-0002", 1, None, TODAY)
    assert signal.kind == rules.IN_REMEDIATION
    assert "a remediation period not yet set" in signal.explanation


def test_every_line_cites_a_paragraph_of_the_criteria_it_scores_under():
    facts = _facts(
        certification_status="never certified",
        late_filings=1,
        unverified_accounts=2,
        unverified_since=(date(2026, 1, 1),),
        signals=(rules.findings_signal("CA-2027-0001", 1, REMEDIATION_DUE, TODAY),),
    )
    lines = rules.score_lines(facts, WEIGHTS, TODAY)
    assert len(lines) == 5
    assert all(line.criterion in rules.CRITERIA for line in lines)
    late = next(line for line in lines if line.kind == "late_filing")
    assert "scored once, under §7.305(d)(1)(ii), not here" in late.explanation


def test_a_line_without_points_says_why():
    unweighted = rules.ScoreLine("§7.305(d)(1)(i)", "new_kind", 1, 0, "Something.")
    weighed = rules.ScoreLine("§7.305(d)(1)(i)", "unverified_account", 1, 2, "Something.")
    assert unweighted.why_no_points == "no weight set for “new_kind”"
    assert weighed.why_no_points == ""


def test_the_annual_edge_divides_the_days_a_year_has_passed_since_from_the_rest():
    # Four years of days, leap days among them, each asked against every opening near a year.
    for offset in range(4 * 366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        edge = rules.annual_assessment_edge(today)
        for opened_on in (edge - timedelta(days=1), edge, edge + timedelta(days=1)):
            year_passed = today > clocks.add_one_year(opened_on)
            assert year_passed is (opened_on <= edge), (today, opened_on)
