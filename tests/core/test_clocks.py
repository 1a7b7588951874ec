"""Tests for ``core.clocks``: the statutory clocks of 15 CFR part 7 subpart D
(docs/architecture.md §4).

Every expected date below was worked out by hand from the rule text and checked against
Python's ``calendar``; the numbers of days are the rule's own, written here independently of
the catalogue so that a changed catalogue entry shows up as a failure.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import clocks

# --- What the rule text says, written out independently of the catalogue --------------------

# "start + N calendar days" clocks, with the rule's N.
RULE_DAYS: dict[str, int] = {
    "cip.copy_on_request": 10,  # §7.305(a): "within ten calendar days of a request"
    "reseller.cip_copy_on_request": 10,  # §7.303(d): "within ten calendar days"
    "reseller.termination": 30,  # §7.303(e): "within 30 calendar days"
    "ai.initial_report": 15,  # §7.308(c)(1)
    "ai.reseller_report": 30,  # §7.308(c)(2): provider files "within 30 calendar days"
    "ai.follow_up_report": 15,  # §7.308(c)(3)
    "ai.corrected_report": 15,  # §7.308(c)(4)
    # §7.308(d)(1)(i)(F) sets no period of its own: the office allows the report's 15 days.
    "ai.ip_addresses": 15,
    # §7.305(a) leaves the period to the Department ("a reasonable time period, as determined
    # by the Department"); 90 days is the catalogue's default, set per case.
    "assessment.resubmission": 90,
    # §7.305(b) sets no period to mend a certification reviewed as deficient; the office gives
    # 30 days from the notice's receipt.
    "cip.certification_resubmission": 30,
    "special_measure.congress_notice": 10,  # §7.307(d): "Not later than 10 calendar days after"
    "special_measure.earliest_compliance": 180,  # §7.307(a)(6): "earlier than 180 calendar days"
    "penalty.petition": 30,  # §7.309(c)(1)(i)
    "penalty.final_decision": 30,  # §7.309(c)(1)(ii)
    # §7.309(d)(1): the Inflation Adjustment Act has the adjustment made by 15 January.
    "penalty.cap_adjustment": 14,
}

# §7.307(a)(5): "the 365-day period beginning on the date of the issuance".
PERIOD_DAYS: dict[str, int] = {"special_measure.expiry": 365}
# An extension keeps the measure in effect "for an additional period of time" (§7.307(a)(5)),
# as long as its notice finds necessary: set per case, a year unless it says otherwise.
EXTENSION_PERIOD_DAYS: dict[str, int] = {"special_measure.extended_expiry": 365}
LAST_DAY_KEYS = frozenset(PERIOD_DAYS) | frozenset(EXTENSION_PERIOD_DAYS)

# §7.304(b) and (f): "within one year of their previous notification, but no earlier than 60
# calendar days prior to that date".
WINDOWED_ANNUAL_KEYS = ("cip.annual_certification", "cip.reseller_certification")
WINDOW_DAYS = 60
# §7.306(f): "annual notifications", with no window.
ANNUAL_KEYS = (*WINDOWED_ANNUAL_KEYS, "exemption.annual_notification")

# Only these periods may be replaced: one by a rule parameter the final rule may change, one
# set by the Department for each case.
ADJUSTABLE_KEYS = frozenset(
    {
        "assessment.resubmission",
        "special_measure.earliest_compliance",
        "special_measure.extended_expiry",
    }
)
FIXED_PERIOD_KEYS = sorted((set(RULE_DAYS) | LAST_DAY_KEYS) - ADJUSTABLE_KEYS)

# The clocks of the table in docs/architecture.md §4: the sixteen the rule names, the last day
# of an extension's additional period (§7.307(a)(5)), which the expiry clock implies, and the
# office's period for a report's missing IP addresses (§7.308(d)(1)(i)(F)).
RULE_CLOCK_KEYS = frozenset(
    {
        "cip.annual_certification",
        "cip.reseller_certification",
        "cip.copy_on_request",
        "reseller.cip_copy_on_request",
        "reseller.termination",
        "ai.initial_report",
        "ai.reseller_report",
        "ai.follow_up_report",
        "ai.corrected_report",
        "ai.ip_addresses",
        "assessment.resubmission",
        "cip.certification_resubmission",
        "special_measure.congress_notice",
        "special_measure.earliest_compliance",
        "special_measure.expiry",
        "special_measure.extended_expiry",
        "penalty.petition",
        "penalty.final_decision",
        "exemption.annual_notification",
        "penalty.cap_adjustment",
    }
)
ALL_KEYS = sorted(RULE_CLOCK_KEYS)
UNWINDOWED_KEYS = sorted(RULE_CLOCK_KEYS - set(WINDOWED_ANNUAL_KEYS))

# --- Helpers ------------------------------------------------------------------------------


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def day_name(day: date) -> str:
    return calendar.day_name[day.weekday()]


def leap_days_between(after: date, through: date) -> int:
    """How many 29 Februaries fall in the interval (after, through]."""
    return sum(
        1
        for year in range(after.year, through.year + 1)
        if calendar.isleap(year) and after < date(year, 2, 29) <= through
    )


def holiday_dates(year: int) -> set[date]:
    return set(clocks.federal_holidays(year))


DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
YEARS = st.integers(min_value=1990, max_value=2200)
WEEKEND_DAYS = DATES.filter(lambda day: day.weekday() >= 5)
WORKING_DAYS = DATES.filter(lambda day: day.weekday() < 5)

# No example database: every run starts afresh rather than replaying stored failures.
prop = settings(database=None, max_examples=200)


# --- 1. The catalogue, clock by clock -------------------------------------------------------


@dataclass(frozen=True)
class Case:
    key: str
    start: str
    due: str
    citation: str
    window_opens: str | None = None

    def __str__(self) -> str:
        return self.key


CATALOGUE_CASES = [
    # One year after 4 May 2026; the window opens 60 days earlier: 26 days of March (5-31),
    # 30 of April and 4 of May make 60.
    Case("cip.annual_certification", "2026-05-04", "2027-05-04", "§7.304(b)", "2027-03-05"),
    # From 29 Feb 2028 there is no 29 Feb 2029, so the anniversary is 28 Feb; 60 days before
    # it: 28 days of February, 31 of January and 1 of December (the 31st) make 60.
    Case("cip.reseller_certification", "2028-02-29", "2029-02-28", "§7.304(f)", "2028-12-30"),
    # Across the year end: 3 days to 31 Dec, then 7 into January.
    Case("cip.copy_on_request", "2026-12-28", "2027-01-07", "§7.305(a)"),
    # February 2026 has 28 days: 8 days to 28 Feb, then 2 into March.
    Case("reseller.cip_copy_on_request", "2026-02-20", "2026-03-02", "§7.303(d)"),
    Case("reseller.termination", "2026-08-10", "2026-09-09", "§7.303(e)"),
    # Lands on a Sunday: shown with a warning, not moved (calendar days).
    Case("ai.initial_report", "2026-06-20", "2026-07-05", "§7.308(c)(1)"),
    Case("ai.reseller_report", "2026-01-15", "2026-02-14", "§7.308(c)(2)"),
    Case("ai.follow_up_report", "2027-04-22", "2027-05-07", "§7.308(c)(3)"),
    # 2028 is a leap year: 9 days to 29 Feb, then 6 into March.
    Case("ai.corrected_report", "2028-02-20", "2028-03-06", "§7.308(c)(4)"),
    # 11 days to 31 Jan, then 4 into February.
    Case("ai.ip_addresses", "2027-01-20", "2027-02-04", "§7.308(d)(1)(i)(F)"),
    # 16 days of March, 30 of April, 31 of May and 13 of June make 90.
    Case("assessment.resubmission", "2027-03-15", "2027-06-13", "§7.305(a)"),
    # 17 days of April 2027 (14-30) and 13 of May make 30.
    Case("cip.certification_resubmission", "2027-04-13", "2027-05-13", "§7.305(b); §7.305(a)"),
    Case("special_measure.congress_notice", "2027-03-15", "2027-03-25", "§7.307(d)"),
    # 16 (Mar) + 30 (Apr) + 31 (May) + 30 (Jun) + 31 (Jul) + 31 (Aug) + 11 (Sep) = 180.
    Case("special_measure.earliest_compliance", "2027-03-15", "2027-09-11", "§7.307(a)(6)"),
    # The 365-day period *begins on* the issuance date, so 15 Mar 2027 is day 1 and day 365 is
    # 15 Mar 2027 + 364 days. 15 Mar 2027 to 15 Mar 2028 is 366 days because 29 Feb 2028 lies
    # in between, so day 365 is two days short of the anniversary: 13 Mar 2028.
    Case("special_measure.expiry", "2027-03-15", "2028-03-13", "§7.307(a)(5)"),
    # Extended from a last day of 13 Mar 2028: the additional period begins the next day, and
    # its 365th day is 13 Mar 2029.
    Case("special_measure.extended_expiry", "2028-03-14", "2029-03-13", "§7.307(a)(5)"),
    Case("penalty.petition", "2026-10-05", "2026-11-04", "§7.309(c)(1)(i)"),
    Case("penalty.final_decision", "2026-11-20", "2026-12-20", "§7.309(c)(1)(ii)"),
    Case("exemption.annual_notification", "2026-07-01", "2027-07-01", "§7.306(f)"),
    Case(
        "penalty.cap_adjustment", "2027-01-01", "2027-01-15", "§7.309(d)(1); 28 U.S.C. 2461 note §4"
    ),
]


def test_catalogue_holds_exactly_the_clocks_of_the_design() -> None:
    assert set(clocks.CATALOGUE) == RULE_CLOCK_KEYS
    assert {case.key for case in CATALOGUE_CASES} == RULE_CLOCK_KEYS
    assert set(RULE_DAYS) | LAST_DAY_KEYS | set(ANNUAL_KEYS) == RULE_CLOCK_KEYS


def test_every_clock_belongs_to_a_known_module() -> None:
    assert {clock.module for clock in clocks.CATALOGUE.values()} <= set(clocks.MODULES)


@pytest.mark.parametrize("case", CATALOGUE_CASES, ids=str)
def test_due_date_and_citation(case: Case) -> None:
    assert clocks.due(case.key, d(case.start)) == d(case.due)
    assert clocks.get(case.key).citation == case.citation


@pytest.mark.parametrize("case", CATALOGUE_CASES, ids=str)
def test_filing_window(case: Case) -> None:
    if case.window_opens is None:
        with pytest.raises(ValueError, match="no filing window"):
            clocks.window_opens(case.key, d(case.start))
    else:
        assert clocks.window_opens(case.key, d(case.start)) == d(case.window_opens)


@pytest.mark.parametrize("case", CATALOGUE_CASES, ids=str)
def test_explanation_states_due_date_start_and_citation(case: Case) -> None:
    text = clocks.explain(case.key, d(case.start))
    assert text.startswith(f"{case.due} = ")
    assert case.start in text
    assert f", {case.citation}" in text


# --- 2. Explanations shown next to every due date --------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "days", "expected"),
    [
        (
            "special_measure.congress_notice",
            "2027-03-15",
            None,
            "2027-03-25 = determination 2027-03-15 + 10 calendar days, §7.307(d)",
        ),
        (
            "special_measure.expiry",
            "2027-03-15",
            None,
            "2028-03-13 = issued 2027-03-15 + 364 calendar days "
            "(last day of the 365-day period beginning on that date), §7.307(a)(5)",
        ),
        (
            "cip.annual_certification",
            "2026-05-04",
            None,
            "2027-05-04 = previous certification 2026-05-04 + 1 year, §7.304(b); "
            "window opens 2027-03-05 (60 days before)",
        ),
        (
            "cip.annual_certification",
            "2028-02-29",
            None,
            "2029-02-28 = previous certification 2028-02-29 + 1 year (29 Feb → 28 Feb), "
            "§7.304(b); window opens 2028-12-30 (60 days before)",
        ),
        (
            "exemption.annual_notification",
            "2026-07-01",
            None,
            "2027-07-01 = finding or last notification 2026-07-01 + 1 year, §7.306(f)",
        ),
        (
            # The per-case period replaces the default in the explanation too.
            "assessment.resubmission",
            "2027-03-15",
            45,
            "2027-04-29 = notice 2027-03-15 + 45 calendar days, §7.305(a)",
        ),
    ],
)
def test_explain_exact_wording(key: str, start: str, days: int | None, expected: str) -> None:
    assert clocks.explain(key, d(start), days=days) == expected


def test_explain_refuses_a_period_the_rule_fixes() -> None:
    with pytest.raises(ValueError):
        clocks.explain("penalty.petition", d("2026-10-05"), days=20)


@prop
@given(key=st.sampled_from(ALL_KEYS), start=DATES)
def test_explain_begins_with_due_date_and_cites_the_rule(key: str, start: date) -> None:
    due_on = clocks.due(key, start)
    text = clocks.explain(key, start)
    citation = clocks.get(key).citation
    assert text.startswith(f"{due_on.isoformat()} = ")
    assert start.isoformat() in text
    if key in WINDOWED_ANNUAL_KEYS:
        opens = clocks.window_opens(key, start)
        assert f", {citation}; window opens {opens.isoformat()} (60 days before)" in text
    else:
        assert text.endswith(f", {citation}")


@prop
@given(key=st.sampled_from(ANNUAL_KEYS), start=DATES)
@example(key="exemption.annual_notification", start=date(2096, 2, 29))
@example(key="exemption.annual_notification", start=date(2100, 2, 28))  # 2100 is not leap
def test_explain_notes_the_leap_day_only_for_29_february(key: str, start: date) -> None:
    noted = "(29 Feb → 28 Feb)" in clocks.explain(key, start)
    assert noted == ((start.month, start.day) == (2, 29))


# --- 3. Date arithmetic over two centuries ------------------------------------------------


@prop
@given(key=st.sampled_from(sorted(RULE_DAYS)), start=DATES)
def test_days_clock_is_start_plus_n_calendar_days(key: str, start: date) -> None:
    assert (clocks.due(key, start) - start).days == RULE_DAYS[key]


@prop
@given(start=DATES)
def test_special_measure_expires_on_the_last_day_of_a_period_beginning_on_issuance(
    start: date,
) -> None:
    # §7.307(a)(5): the issuance date is day 1 of the 365 days.
    last_day = clocks.due("special_measure.expiry", start)
    assert (last_day - start).days == PERIOD_DAYS["special_measure.expiry"] - 1


@prop
@given(key=st.sampled_from(ANNUAL_KEYS), start=DATES)
@example(key="cip.annual_certification", start=date(2024, 2, 29))
@example(key="exemption.annual_notification", start=date(2023, 3, 1))
@example(key="cip.reseller_certification", start=date(2199, 12, 31))
def test_annual_clock_is_the_same_day_next_year(key: str, start: date) -> None:
    due_on = clocks.due(key, start)
    expected_day = 28 if (start.month, start.day) == (2, 29) else start.day
    assert (due_on.year, due_on.month, due_on.day) == (start.year + 1, start.month, expected_day)
    # A year is 366 days exactly when a 29 February falls after the start, up to the due date.
    assert (due_on - start).days == 365 + leap_days_between(start, due_on)


@prop
@given(key=st.sampled_from(WINDOWED_ANNUAL_KEYS), start=DATES)
@example(key="cip.reseller_certification", start=date(2028, 2, 29))
def test_window_opens_60_days_before_the_due_date(key: str, start: date) -> None:
    due_on = clocks.due(key, start)
    opens = clocks.window_opens(key, start)
    assert opens == due_on - timedelta(days=WINDOW_DAYS)
    assert start < opens <= due_on


@prop
@given(key=st.sampled_from(sorted(RULE_DAYS)), year=YEARS)
def test_days_clock_from_31_december_counts_into_the_next_year(key: str, year: int) -> None:
    # 31 Dec + N is day N of the next year (N ≤ 365 for every clock).
    due_on = clocks.due(key, date(year, 12, 31))
    assert due_on.year == year + 1
    assert due_on.timetuple().tm_yday == RULE_DAYS[key]


@prop
@given(year=YEARS)
def test_expiry_from_31_december_counts_into_the_next_year(year: int) -> None:
    # Day 1 is 31 Dec, so day 365 is day 364 of the next year.
    due_on = clocks.due("special_measure.expiry", date(year, 12, 31))
    assert due_on.year == year + 1
    assert due_on.timetuple().tm_yday == 364


@prop
@given(key=st.sampled_from(ANNUAL_KEYS), year=YEARS)
def test_annual_clock_from_31_december_is_31_december_next_year(key: str, year: int) -> None:
    assert clocks.due(key, date(year, 12, 31)) == date(year + 1, 12, 31)


@prop
@given(key=st.sampled_from(ALL_KEYS), first=DATES, second=DATES)
def test_a_later_start_never_gives_an_earlier_due_date(key: str, first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    assert clocks.due(key, earlier) <= clocks.due(key, later)


def test_29_and_28_february_starts_share_an_annual_due_date() -> None:
    # Both anniversaries fall on 28 Feb 2025; the earlier start is a year and a day.
    assert clocks.due("cip.annual_certification", d("2024-02-28")) == d("2025-02-28")
    assert clocks.due("cip.annual_certification", d("2024-02-29")) == d("2025-02-28")
    assert clocks.due("cip.annual_certification", d("2024-03-01")) == d("2025-03-01")


# --- 4. Periods the Department or a rule parameter may change --------------------------------


def test_only_the_designed_periods_are_adjustable() -> None:
    adjustable = {key for key, clock in clocks.CATALOGUE.items() if clock.adjustable}
    assert adjustable == ADJUSTABLE_KEYS


@pytest.mark.parametrize(
    ("key", "start", "days", "expected"),
    [
        # 16 days of March and 29 of April make 45.
        ("assessment.resubmission", "2027-03-15", 45, "2027-04-29"),
        ("assessment.resubmission", "2027-03-15", 1, "2027-03-16"),
        # A final rule moving the 180 days to 150: 16 + 30 + 31 + 30 + 31 + 12 (Aug) = 150.
        ("special_measure.earliest_compliance", "2027-03-15", 150, "2027-08-12"),
    ],
)
def test_adjustable_period_uses_the_given_days(
    key: str, start: str, days: int, expected: str
) -> None:
    assert clocks.due(key, d(start), days=days) == d(expected)


@prop
@given(
    key=st.sampled_from(sorted(ADJUSTABLE_KEYS)),
    start=DATES,
    days=st.integers(min_value=1, max_value=3650),
)
def test_adjustable_period_is_start_plus_given_days(key: str, start: date, days: int) -> None:
    # A period that begins on its start date ends on its last day, one day sooner.
    last_day_offset = 1 if key in LAST_DAY_KEYS else 0
    assert (clocks.due(key, start, days=days) - start).days == days - last_day_offset


@pytest.mark.parametrize("key", FIXED_PERIOD_KEYS)
def test_fixed_period_refuses_other_days(key: str) -> None:
    with pytest.raises(ValueError, match="fixed"):
        clocks.due(key, d("2026-10-05"), days=7)


@pytest.mark.parametrize("key", sorted(ADJUSTABLE_KEYS))
@pytest.mark.parametrize("days", [0, -1, -30])
def test_period_shorter_than_one_day_is_refused(key: str, days: int) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        clocks.due(key, d("2027-03-15"), days=days)


@pytest.mark.parametrize("key", ANNUAL_KEYS)
def test_annual_clock_takes_no_number_of_days(key: str) -> None:
    with pytest.raises(ValueError, match="annual"):
        clocks.due(key, d("2026-05-04"), days=365)


# --- 5. Asking for what does not exist ----------------------------------------------------


@pytest.mark.parametrize("key", UNWINDOWED_KEYS)
def test_window_opens_refuses_clocks_without_a_window(key: str) -> None:
    with pytest.raises(ValueError, match="no filing window"):
        clocks.window_opens(key, d("2026-05-04"))


def test_unknown_clock_is_refused_by_name() -> None:
    with pytest.raises(clocks.UnknownClock, match="nope"):
        clocks.get("nope")
    with pytest.raises(clocks.UnknownClock):
        clocks.due("nope", d("2026-05-04"))
    with pytest.raises(clocks.UnknownClock):
        clocks.explain("nope", d("2026-05-04"))


# --- 6. Timeliness of annual certifications (§7.304(b), (f)) ------------------------------

EARLY, ON_TIME, LATE = (
    clocks.Timeliness.TOO_EARLY,
    clocks.Timeliness.ON_TIME,
    clocks.Timeliness.LATE,
)


@pytest.mark.parametrize(
    ("key", "previous", "received", "expected"),
    [
        # Previous 4 May 2026: window 5 Mar 2027 to 4 May 2027.
        ("cip.annual_certification", "2026-05-04", "2027-03-04", EARLY),
        ("cip.annual_certification", "2026-05-04", "2027-03-05", ON_TIME),
        ("cip.annual_certification", "2026-05-04", "2027-04-15", ON_TIME),
        ("cip.annual_certification", "2026-05-04", "2027-05-04", ON_TIME),
        ("cip.annual_certification", "2026-05-04", "2027-05-05", LATE),
        # Previous 29 Feb 2028: window 30 Dec 2028 to 28 Feb 2029.
        ("cip.reseller_certification", "2028-02-29", "2028-12-29", EARLY),
        ("cip.reseller_certification", "2028-02-29", "2028-12-30", ON_TIME),
        ("cip.reseller_certification", "2028-02-29", "2029-02-28", ON_TIME),
        ("cip.reseller_certification", "2028-02-29", "2029-03-01", LATE),
    ],
)
def test_annual_timeliness_at_the_window_edges(
    key: str, previous: str, received: str, expected: clocks.Timeliness
) -> None:
    assert clocks.annual_timeliness(key, d(previous), d(received)) is expected


@prop
@given(
    key=st.sampled_from(WINDOWED_ANNUAL_KEYS),
    previous=DATES,
    offset=st.integers(min_value=-400, max_value=400),
)
def test_annual_timeliness_relative_to_the_due_date(key: str, previous: date, offset: int) -> None:
    received = clocks.due(key, previous) + timedelta(days=offset)
    if offset < -WINDOW_DAYS:
        expected = EARLY
    elif offset <= 0:
        expected = ON_TIME
    else:
        expected = LATE
    assert clocks.annual_timeliness(key, previous, received) is expected


def test_annual_timeliness_needs_a_window() -> None:
    with pytest.raises(ValueError, match="no filing window"):
        clocks.annual_timeliness("exemption.annual_notification", d("2026-07-01"), d("2027-06-30"))


# --- 7. Weekends and federal holidays (5 U.S.C. 6103): warned, never moved ----------------

# OPM's published 2026 list: Independence Day (Saturday 4 July) is observed on Friday 3 July.
HOLIDAYS_2026 = {
    d("2026-01-01"): "New Year's Day",
    d("2026-01-19"): "Birthday of Martin Luther King, Jr.",
    d("2026-02-16"): "Washington's Birthday",
    d("2026-05-25"): "Memorial Day",
    d("2026-06-19"): "Juneteenth National Independence Day",
    d("2026-07-03"): "Independence Day",
    d("2026-09-07"): "Labor Day",
    d("2026-10-12"): "Columbus Day",
    d("2026-11-11"): "Veterans Day",
    d("2026-11-26"): "Thanksgiving Day",
    d("2026-12-25"): "Christmas Day",
}

# 2027: Juneteenth and Christmas fall on Saturdays (observed the Fridays before), Independence
# Day on a Sunday (observed Monday 5 July), and 1 January 2028 on a Saturday (observed Friday
# 31 December 2027).
HOLIDAY_DATES_2027 = {
    d("2027-01-01"),
    d("2027-01-18"),
    d("2027-02-15"),
    d("2027-05-31"),
    d("2027-06-18"),
    d("2027-07-05"),
    d("2027-09-06"),
    d("2027-10-11"),
    d("2027-11-11"),
    d("2027-11-25"),
    d("2027-12-24"),
    d("2027-12-31"),
}


def test_2026_holidays_match_the_published_list() -> None:
    assert clocks.federal_holidays(2026) == HOLIDAYS_2026


def test_2027_holidays_match_the_observed_days() -> None:
    assert holiday_dates(2027) == HOLIDAY_DATES_2027


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        ("2027-06-18", "Juneteenth National Independence Day"),
        ("2027-07-05", "Independence Day"),
        ("2027-12-24", "Christmas Day"),
        ("2027-12-31", "New Year's Day"),
        ("2026-07-03", "Independence Day"),
        ("2028-11-10", "Veterans Day"),  # 11 Nov 2028 is a Saturday
        ("2022-06-20", "Juneteenth National Independence Day"),  # 19 Jun 2022 is a Sunday
    ],
)
def test_observed_holiday_is_warned_with_its_name(day: str, holiday: str) -> None:
    warning = clocks.non_working_day_warning(d(day))
    assert warning is not None
    assert warning.startswith(f"falls on a federal holiday ({holiday}")
    assert warning.endswith("calendar days: the date is not moved")


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        # The holiday itself on a weekend is a weekend day; the observed day carries the name.
        ("2026-07-04", "Saturday"),
        ("2027-07-04", "Sunday"),
        ("2027-12-25", "Saturday"),
        ("2028-01-01", "Saturday"),
        ("2026-07-05", "Sunday"),
        ("2026-03-14", "Saturday"),
    ],
)
def test_weekend_is_warned_with_the_weekday(day: str, weekday: str) -> None:
    assert day_name(d(day)) == weekday
    assert clocks.non_working_day_warning(d(day)) == (
        f"falls on a {weekday}; calendar days: the date is not moved"
    )


@pytest.mark.parametrize(
    "day",
    [
        "2026-03-11",  # an ordinary Wednesday
        "2026-07-06",  # the Monday after an Independence Day observed on Friday
        "2027-12-30",  # the Thursday before New Year's Day observed on 31 December
        "2020-06-19",  # a Friday: Juneteenth became a legal public holiday only in 2021
        "2029-01-19",  # Friday before a Saturday Inauguration Day: no day in lieu
        "2029-01-22",  # Monday after it: only a Sunday inauguration moves (6103(c))
        "2013-01-22",  # Tuesday after the Sunday 2013 inauguration observed on Monday 21st
    ],
)
def test_ordinary_weekday_gives_no_warning(day: str) -> None:
    assert d(day).weekday() < 5
    assert clocks.non_working_day_warning(d(day)) is None


def test_juneteenth_only_from_2021() -> None:
    names_2020 = set(clocks.federal_holidays(2020).values())
    assert "Juneteenth National Independence Day" not in names_2020
    # 19 June 2021 was a Saturday; the first observance was Friday 18 June 2021.
    assert clocks.federal_holidays(2021)[d("2021-06-18")] == "Juneteenth National Independence Day"


def test_inauguration_day_on_a_weekday_is_a_holiday() -> None:
    # 5 U.S.C. 6103(c), for the Washington, D.C. area; 20 January 2021 was a Wednesday.
    assert clocks.federal_holidays(2021)[d("2021-01-20")] == "Inauguration Day"
    # 20 January 2033 is a Thursday.
    assert clocks.federal_holidays(2033)[d("2033-01-20")] == "Inauguration Day"


def test_inauguration_day_2025_coincides_with_martin_luther_king_day() -> None:
    holidays = clocks.federal_holidays(2025)
    assert holidays[d("2025-01-20")] == "Birthday of Martin Luther King, Jr."
    assert "Inauguration Day" not in holidays.values()
    assert len(holidays) == 11


def test_sunday_inauguration_is_observed_on_monday() -> None:
    # 20 January 2013 was a Sunday; Monday the 21st was also Martin Luther King Day.
    assert day_name(d("2013-01-20")) == "Sunday"
    assert d("2013-01-21") in holiday_dates(2013)


def test_saturday_inauguration_is_not_moved_to_a_weekday() -> None:
    # 5 U.S.C. 6103(c) moves only a Sunday inauguration; 20 January 2029 is a Saturday.
    assert day_name(d("2029-01-20")) == "Saturday"
    inauguration = [day for day, name in clocks.federal_holidays(2029).items() if "Inaug" in name]
    assert inauguration in ([], [d("2029-01-20")])
    assert clocks.non_working_day_warning(d("2029-01-20")) is not None


def test_holidays_of_a_year_fall_in_that_year() -> None:
    # 1 Jan 2028 is a Saturday, observed on Friday 31 Dec 2027: that day belongs to 2027's
    # holidays (where it is listed) and not to 2028's as well.
    assert d("2027-12-31") in holiday_dates(2027)
    assert {day.year for day in holiday_dates(2028)} == {2028}
    assert {day.year for day in holiday_dates(2022)} == {2022}


@prop
@given(year=YEARS)
def test_listed_holidays_are_weekdays(year: int) -> None:
    for day, name in clocks.federal_holidays(year).items():
        # The only exception: a Saturday Inauguration Day stays on 20 January (6103(c)).
        assert day.weekday() < 5 or (name == "Inauguration Day" and day == date(year, 1, 20))


@prop
@given(year=YEARS)
def test_every_listed_holiday_is_warned(year: int) -> None:
    for day in clocks.federal_holidays(year):
        warning = clocks.non_working_day_warning(day)
        assert warning is not None
        assert warning.startswith("falls on a federal holiday (")


@prop
@given(day=WEEKEND_DAYS)
def test_weekend_day_always_warns_and_never_moves(day: date) -> None:
    warning = clocks.non_working_day_warning(day)
    assert warning is not None
    assert warning.endswith("calendar days: the date is not moved")
    if not warning.startswith("falls on a federal holiday"):
        assert warning == f"falls on a {day_name(day)}; calendar days: the date is not moved"


@prop
@given(day=WORKING_DAYS)
def test_weekday_warns_only_when_it_is_a_listed_holiday(day: date) -> None:
    warning = clocks.non_working_day_warning(day)
    holiday = clocks.federal_holidays(day.year).get(day)
    if holiday is None:
        assert warning is None
    else:
        assert warning == (
            f"falls on a federal holiday ({holiday}); calendar days: the date is not moved"
        )


# --- 8. The office's calendar day --------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # November: Eastern Standard Time, UTC-5.
        (datetime(2026, 11, 23, 3, 0, tzinfo=UTC), "2026-11-22"),
        (datetime(2026, 11, 23, 4, 59, tzinfo=UTC), "2026-11-22"),
        (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), "2026-11-23"),
        # July: Eastern Daylight Time, UTC-4.
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), "2026-06-30"),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), "2026-07-01"),
        # Already the 23rd in Tokyo, still the 22nd in Washington.
        (datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")), "2026-11-22"),
        # Year end: a due date of 31 December is still today until midnight in Washington.
        (datetime(2028, 1, 1, 4, 30, tzinfo=UTC), "2027-12-31"),
    ],
)
def test_office_today_is_the_washington_calendar_day(instant: datetime, expected: str) -> None:
    assert clocks.office_today(instant) == d(expected)
