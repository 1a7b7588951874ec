"""Parsing, formatting and effective dating of rule parameters (no database)."""

from datetime import date

import pytest

from core.parameters.rules import Unit, format_value, parse_value, value_in_force

CAP_HISTORY = [(date(2024, 1, 12), 368_136), (date(2025, 1, 15), 377_700)]


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("180", Unit.DAYS, 180),
        (" 1e26 ", Unit.OPERATIONS, 10**26),
        ("10^23", Unit.OPERATIONS, 10**23),
        ("$377,700", Unit.USD, 377_700),
        ("1_000", Unit.DAYS, 1000),
    ],
)
def test_administrators_may_type_numbers_the_way_rules_write_them(typed, unit, expected):
    assert parse_value(unit, typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "1.5", "inf", "NaN", "10^x"])
def test_what_is_not_a_whole_number_is_refused_with_a_reason(typed):
    with pytest.raises(ValueError, match="whole number"):
        parse_value(Unit.DAYS, typed)


def test_a_value_below_the_minimum_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        parse_value(Unit.DAYS, "0", minimum=1)


def test_values_are_shown_in_the_units_of_the_rule():
    assert format_value(Unit.OPERATIONS, 10**26) == "10^26 operations"
    assert format_value(Unit.USD, 377_700) == "$377,700"
    assert format_value(Unit.DAYS, 180) == "180 days"
    assert format_value(Unit.DAYS, 1) == "1 day"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 1, 11), None),  # before any value took effect
        (date(2024, 1, 12), 368_136),  # the effective date itself
        (date(2025, 1, 14), 368_136),
        (date(2025, 1, 15), 377_700),  # 90 FR 3687
        (date(2030, 6, 1), 377_700),
    ],
)
def test_the_value_in_force_is_the_latest_effective_on_or_before_the_date(on, expected):
    assert value_in_force(CAP_HISTORY, on) == expected
