"""The risk score as plain tables: each line cites its criterion and shows its arithmetic."""

from __future__ import annotations

from datetime import date

from casework import rules
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
