"""Password, lock-out and session rules (NIST SP 800-63B-4; docs/architecture.md §8).
No database."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from core.auth.rules import (
    LockoutState,
    Role,
    RoleError,
    activity_worth_recording,
    after_failed_login,
    agency_problem,
    is_locked,
    parse_role,
    password_problems,
    session_end_reason,
)

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def test_a_long_passphrase_without_composition_rules_is_accepted():
    assert password_problems("copper lantern drifts over quiet harbor") == []
    assert password_problems("x7" + "maple-river-stone-" * 4 + "ok") == []  # 74 characters


def test_fifteen_characters_are_needed_without_a_second_factor_twelve_with_one():
    twelve = "rv8#kQ2!mz4L"
    assert any("at least 15" in p for p in password_problems(twelve))
    assert password_problems(twelve, has_second_factor=True) == []


@pytest.mark.parametrize("common", ["passwordpassword", "qwertyuiopasdfgh", "iloveyouiloveyou"])
def test_common_and_guessable_passwords_are_refused_with_a_reason(common):
    problems = password_problems(common)
    assert problems
    assert any("easy to guess" in p or "commonly used" in p for p in problems)


BREACHED = "This password is on a list of commonly used or breached passwords."


@pytest.mark.parametrize(
    "breached",
    [
        "correcthorsebatterystaple",
        "Correct Horse Battery Staple",
        "happybirthdaytoyou",
        "godisgoodallthetime",
        "iamthebestintheworld",
        "jesusismysavior",
    ],
)
def test_passwords_from_breach_corpora_are_refused_though_they_look_strong(breached):
    assert BREACHED in password_problems(breached)


def test_a_random_passphrase_is_accepted():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = FREQUENCY_LISTS["english_wikipedia"][1000:20000]
    passphrase = "-".join(secrets.choice(words) for _ in range(6))
    assert password_problems(passphrase) == [], passphrase


def test_a_password_built_from_the_email_is_refused():
    problems = password_problems("jordan.hayes-secure-2026", email="jordan.hayes@dod.example")
    assert "Do not build the password from your own email address." in problems


def _after_failures(*minutes: float) -> LockoutState:
    """The state after failed sign-ins at these minutes past NOW, each given the failures since
    the last lock, as the service gives them."""
    state, failures = LockoutState(), []
    for minute in minutes:
        failed_at = NOW + timedelta(minutes=minute)
        state = after_failed_login(failures, failed_at)
        failures = [] if state.locked_until else [*failures, failed_at]
    return state


def test_four_failures_do_not_lock_the_fifth_within_fifteen_minutes_does():
    assert not is_locked(_after_failures(0, 1, 2, 3), NOW + timedelta(minutes=3))
    state = _after_failures(0, 1, 2, 3, 10)
    assert is_locked(state, NOW + timedelta(minutes=24))
    assert not is_locked(state, NOW + timedelta(minutes=25))


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock_but_any_five_within_do():
    # Minutes 0 to 16: no 15 minutes of that hold more than four of these failures.
    assert not is_locked(_after_failures(0, 5, 10, 14, 16), NOW + timedelta(minutes=16))
    # Minutes 5 to 20 are 15 minutes with five failures, although the first failure is older.
    state = _after_failures(0, 5, 10, 14, 16, 20)
    assert is_locked(state, NOW + timedelta(minutes=20))
    assert state.locked_until == NOW + timedelta(minutes=35)
    assert not is_locked(_after_failures(0, 5, 10, 14, 16, 20.5), NOW + timedelta(minutes=20.5))


@pytest.mark.parametrize(
    ("age", "idle", "reason"),
    [
        (timedelta(hours=1), timedelta(minutes=14), None),
        (timedelta(hours=1), timedelta(minutes=15), "idle_timeout"),
        (timedelta(hours=12), timedelta(minutes=1), "absolute_timeout"),
    ],
)
def test_sessions_end_after_fifteen_idle_minutes_or_twelve_hours(age, idle, reason):
    assert session_end_reason(NOW - age, NOW - idle, NOW) == reason


def test_activity_is_recorded_at_most_once_a_minute():
    assert not activity_worth_recording(NOW - timedelta(seconds=59), NOW)
    assert activity_worth_recording(NOW - timedelta(seconds=61), NOW)


def test_roles_and_agencies():
    assert parse_role(" Reviewer ") is Role.REVIEWER
    with pytest.raises(RoleError, match="choose one of"):
        parse_role("superuser")
    assert "must belong to an agency" in agency_problem(Role.LIAISON, "")
    assert agency_problem(Role.LIAISON, "Commerce OIG") is None  # another named agency
    assert agency_problem(Role.ANALYST, "DoD") == "Only liaisons belong to an agency."
