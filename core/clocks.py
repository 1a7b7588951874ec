"""The catalogue of statutory clocks: every due date in the system is computed here.

Pure functions only: nothing here reads the database. Days are calendar days; a filing is on
time if received on or before the due date; a due date on a weekend or federal holiday is shown
with a warning and never moved (docs/architecture.md §4). Numbers that the final rule may change are
effective-dated rule parameters (``core.parameters``); services look them up and pass the number
in as ``days``; the catalogue carries the rule text's value as the default.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# OICTS sits in Washington, D.C.: "today" is the office's calendar day.
OFFICE_TIME_ZONE = ZoneInfo("America/New_York")


class Arithmetic(enum.Enum):
    DAYS = "days"  # start + N calendar days
    ANNUAL = "annual"  # the same day one year later, 29 Feb -> 28 Feb
    LAST_DAY_OF_PERIOD = "last_day_of_period"  # the last day of an N-day period beginning on start


@dataclass(frozen=True)
class Clock:
    key: str
    title: str
    module: str
    citation: str
    starts_on: str  # what event starts the clock, in words
    start_label: str  # short name for the start date in explanations ("issued", "requested")
    arithmetic: Arithmetic
    days: int | None = None  # the rule text's number of days (default when a parameter exists)
    parameter_key: str | None = None  # rule parameter that may replace ``days``
    set_per_case: bool = False  # the Department sets the period for each case
    window_days: int | None = None  # annual clocks: the filing window opens this many days before

    @property
    def adjustable(self) -> bool:
        return self.parameter_key is not None or self.set_per_case


class UnknownClock(KeyError):
    pass


def _clock_list() -> Iterable[Clock]:
    days = Arithmetic.DAYS
    yield Clock(
        "cip.annual_certification",
        "Annual CIP certification",
        "intake",
        "§7.304(b)",
        "the previous certification",
        "previous certification",
        Arithmetic.ANNUAL,
        window_days=60,
    )
    yield Clock(
        "cip.reseller_certification",
        "Compiled foreign-reseller certification",
        "intake",
        "§7.304(f)",
        "the previous compiled foreign-reseller certification",
        "previous certification",
        Arithmetic.ANNUAL,
        window_days=60,
    )
    yield Clock(
        "cip.copy_on_request",
        "Copy of the provider's CIP on request",
        "intake",
        "§7.305(a)",
        "the Department's request for a copy of the CIP",
        "requested",
        days,
        days=10,
    )
    yield Clock(
        "reseller.cip_copy_on_request",
        "Copy of a foreign reseller's CIP on request",
        "intake",
        "§7.303(d)",
        "the Department's request for a foreign reseller's CIP",
        "requested",
        days,
        days=10,
    )
    yield Clock(
        "reseller.termination",
        "Termination of a foreign reseller that has not remediated",
        "casework",
        "§7.303(e)",
        "the provider's knowledge that the foreign reseller has not remediated, or that "
        "continuing the relationship otherwise increases the risk",
        "knowledge",
        days,
        days=30,
    )
    yield Clock(
        "ai.initial_report",
        "Initial large AI model training report",
        "intake",
        "§7.308(c)(1)",
        "the covered transaction, or the later date the provider had knowledge of it",
        "transaction or knowledge",
        days,
        days=15,
    )
    yield Clock(
        "ai.reseller_report",
        "Large AI model training report received through a foreign reseller",
        "intake",
        "§7.308(c)(2)",
        "the covered transaction",
        "transaction",
        days,
        days=30,
    )
    yield Clock(
        "ai.follow_up_report",
        "Follow-up report answering a request for additional information",
        "intake",
        "§7.308(c)(3)",
        "the provider's receipt of the Department's request",
        "request received",
        days,
        days=15,
    )
    yield Clock(
        "ai.corrected_report",
        "Corrected large AI model training report",
        "intake",
        "§7.308(c)(4)",
        "the provider's knowledge of the inaccuracy",
        "knowledge of inaccuracy",
        days,
        days=15,
    )
    # The rule sets no separate period for the IP addresses a report must include
    # (§7.308(d)(1)(i)(F)); the office allows the 15 days §7.308(c) gives the report itself.
    yield Clock(
        "ai.ip_addresses",
        "IP addresses of an AI training report that gave none",
        "intake",
        "§7.308(d)(1)(i)(F)",
        "the arrival of a training report without the IP addresses",
        "report received",
        days,
        days=15,
    )
    yield Clock(
        "assessment.resubmission",
        "Resubmission of a CIP after notice of shortcomings",
        "casework",
        "§7.305(a)",
        "the notice of the CIP's shortcomings",
        "notice",
        days,
        days=90,
        parameter_key="assessment.resubmission_days",
        set_per_case=True,
    )
    yield Clock(
        "cip.certification_resubmission",
        "Resubmission of a certification reviewed as deficient",
        "intake",
        # The rule sets no period for a certification's review (§7.305(b)); the office follows
        # §7.305(a)'s "reasonable time period, as determined by the Department" with 30 days
        # from the provider's receipt of the notice: a certification describes a CIP that
        # exists, so mending the form is quicker than the CIP's 90 days.
        "§7.305(b); §7.305(a)",
        "the provider's receipt of the notice of the certification's deficiencies",
        "notice received",
        days,
        days=30,
    )
    yield Clock(
        "special_measure.congress_notice",
        "Notice to the congressional committees",
        "special_measures",
        "§7.307(d)",
        "the date of the determination",
        "determination",
        days,
        days=10,
    )
    yield Clock(
        "special_measure.earliest_compliance",
        "Earliest date providers may be required to comply",
        "special_measures",
        "§7.307(a)(6)",
        "the issuance of the determination",
        "issued",
        days,
        days=180,
        parameter_key="special_measure.earliest_compliance_days",
    )
    yield Clock(
        "special_measure.expiry",
        "Last day a special measure is in effect without an extension",
        "special_measures",
        "§7.307(a)(5)",
        "the issuance of the determination",
        "issued",
        Arithmetic.LAST_DAY_OF_PERIOD,
        days=365,
    )
    yield Clock(
        "special_measure.extended_expiry",
        "Last day a special measure is in effect under its extension",
        "special_measures",
        "§7.307(a)(5)",
        "the first day of the additional period the extension notice finds necessary",
        "additional period begins",
        Arithmetic.LAST_DAY_OF_PERIOD,
        days=365,
        # The notice of extension sets how long the measure remains necessary (§7.307(a)(5)).
        set_per_case=True,
    )
    yield Clock(
        "penalty.petition",
        "Petition against a proposed penalty",
        "casework",
        "§7.309(c)(1)(i)",
        "service of the penalty notice",
        "served",
        days,
        days=30,
    )
    yield Clock(
        "penalty.final_decision",
        "Final administrative decision on a petition",
        "casework",
        "§7.309(c)(1)(ii)",
        "receipt of the petition",
        "petition received",
        days,
        days=30,
    )
    yield Clock(
        "penalty.cap_adjustment",
        "Annual inflation adjustment of the IEEPA civil penalty cap",
        "casework",
        # The Act has agencies adjust their penalties by 15 January each year; Commerce's table
        # of adjusted amounts is 15 CFR 6.3.
        "§7.309(d)(1); 28 U.S.C. 2461 note §4",
        "1 January of the year",
        "1 January",
        days,
        days=14,
    )
    yield Clock(
        "exemption.annual_notification",
        "Annual notification by an exempt provider",
        "exemptions",
        "§7.306(f)",
        "the finding, then each notification",
        "finding or last notification",
        Arithmetic.ANNUAL,
    )


CATALOGUE: dict[str, Clock] = {clock.key: clock for clock in _clock_list()}
MODULES: tuple[str, ...] = ("intake", "casework", "exemptions", "special_measures")


def get(key: str) -> Clock:
    try:
        return CATALOGUE[key]
    except KeyError:
        raise UnknownClock(key) from None


def add_one_year(start: date) -> date:
    """The same calendar day a year later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def _period_days(clock: Clock, days: int | None) -> int:
    if days is None:
        assert clock.days is not None
        return clock.days
    if not clock.adjustable:
        raise ValueError(f"{clock.key} is fixed by {clock.citation} at {clock.days} days")
    if days < 1:
        raise ValueError("a period must be at least one day")
    return days


def due(key: str, start: date, *, days: int | None = None) -> date:
    """The due date of clock ``key`` started on ``start``.

    ``days`` replaces the catalogue's number only where the clock allows it (a rule parameter or
    a period the Department sets per case).
    """
    clock = get(key)
    if clock.arithmetic is Arithmetic.ANNUAL:
        if days is not None:
            raise ValueError(f"{key} is an annual clock; it takes no number of days")
        return add_one_year(start)
    period = _period_days(clock, days)
    if clock.arithmetic is Arithmetic.LAST_DAY_OF_PERIOD:
        # §7.307(a)(5): the period *begins on* the issuance date, so its last day is start + N - 1.
        return start + timedelta(days=period - 1)
    return start + timedelta(days=period)


def window_opens(key: str, start: date) -> date:
    """For the annual certification clocks: the first day a certification may be submitted."""
    clock = get(key)
    if clock.window_days is None:
        raise ValueError(f"{key} has no filing window")
    return due(key, start) - timedelta(days=clock.window_days)


def explain(key: str, start: date, *, days: int | None = None) -> str:
    """How the due date was computed, in the words shown next to it on every screen."""
    clock = get(key)
    due_on = due(key, start, days=days)
    head = f"{due_on.isoformat()} = {clock.start_label} {start.isoformat()}"
    if clock.arithmetic is Arithmetic.ANNUAL:
        leap = " (29 Feb → 28 Feb)" if (start.month, start.day) == (2, 29) else ""
        text = f"{head} + 1 year{leap}, {clock.citation}"
        if clock.window_days is not None:
            opens_on = window_opens(key, start)
            text += f"; window opens {opens_on.isoformat()} ({clock.window_days} days before)"
        return text
    period = _period_days(clock, days)
    if clock.arithmetic is Arithmetic.LAST_DAY_OF_PERIOD:
        return (
            f"{head} + {period - 1} calendar days (last day of the {period}-day period "
            f"beginning on that date), {clock.citation}"
        )
    return f"{head} + {period} calendar days, {clock.citation}"


# --- Calendar facts: weekends and federal holidays (5 U.S.C. 6103) -------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # Executive Order 11582: Saturday holidays are observed on Friday, Sunday ones on Monday.
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> dict[date, str]:
    """Observed legal public holidays of 5 U.S.C. 6103(a) in ``year``, with Inauguration Day
    (6103(c)) for the Washington, D.C. area where the office sits."""
    monday, thursday = 0, 3
    fixed = {
        "New Year's Day": date(year, 1, 1),
        "Juneteenth National Independence Day": date(year, 6, 19),
        "Independence Day": date(year, 7, 4),
        "Veterans Day": date(year, 11, 11),
        "Christmas Day": date(year, 12, 25),
    }
    holidays = {_observed(day): name for name, day in fixed.items()}
    if year < 2021:
        holidays.pop(_observed(fixed["Juneteenth National Independence Day"]), None)
    holidays[_nth_weekday(year, 1, monday, 3)] = "Birthday of Martin Luther King, Jr."
    holidays[_nth_weekday(year, 2, monday, 3)] = "Washington's Birthday"
    holidays[_last_weekday(year, 5, monday)] = "Memorial Day"
    holidays[_nth_weekday(year, 9, monday, 1)] = "Labor Day"
    holidays[_nth_weekday(year, 10, monday, 2)] = "Columbus Day"
    holidays[_nth_weekday(year, 11, thursday, 4)] = "Thanksgiving Day"
    if year % 4 == 1:
        inauguration = date(year, 1, 20)
        if inauguration.weekday() == 6:
            inauguration += timedelta(days=1)
        holidays.setdefault(inauguration, "Inauguration Day")
    # New Year's Day of the next year, when it falls on a Saturday, is observed on 31 December.
    next_new_year = date(year + 1, 1, 1)
    if next_new_year.weekday() == 5:
        holidays[date(year, 12, 31)] = "New Year's Day (observed)"
    # A Saturday 1 January is observed on 31 December of the year before, which lists it.
    return {day: name for day, name in sorted(holidays.items()) if day.year == year}


def non_working_day_warning(day: date) -> str | None:
    """A warning for a due date on a weekend or federal holiday; the date itself never moves."""
    holiday = federal_holidays(day.year).get(day)
    if holiday:
        return f"falls on a federal holiday ({holiday}); calendar days: the date is not moved"
    if day.weekday() >= 5:
        return f"falls on a {day.strftime('%A')}; calendar days: the date is not moved"
    return None


# --- The office's calendar day ---------------------------------------------------------------


def office_today(now: datetime | None = None) -> date:
    """The calendar day in the office's time zone (an instant near midnight UTC is still the
    previous day in Washington)."""
    instant = now if now is not None else datetime.now(OFFICE_TIME_ZONE)
    return instant.astimezone(OFFICE_TIME_ZONE).date()


def office_now() -> datetime:
    """The instant now, in the office's time zone (aware): the hour the office's clock shows."""
    return datetime.now(OFFICE_TIME_ZONE)


def office_time(instant: datetime) -> str:
    """An instant as the office reads it: "2026-11-22 18:05 EST"."""
    return instant.astimezone(OFFICE_TIME_ZONE).strftime("%Y-%m-%d %H:%M %Z")


class Timeliness(enum.Enum):
    TOO_EARLY = "too early"
    ON_TIME = "on time"
    LATE = "late"


def annual_timeliness(key: str, previous_on: date, received_on: date) -> Timeliness:
    """Whether an annual certification received on ``received_on`` is early, on time or late
    (§7.304(b), (f): within one year of the previous one, no earlier than the window opens)."""
    if received_on < window_opens(key, previous_on):
        return Timeliness.TOO_EARLY
    if received_on > due(key, previous_on):
        return Timeliness.LATE
    return Timeliness.ON_TIME


def timeliness(key: str, start: date, received_on: date) -> Timeliness:
    """On time when received on or before the due date, late after it (docs/architecture.md §4)."""
    return Timeliness.LATE if received_on > due(key, start) else Timeliness.ON_TIME
