"""Civil penalties (§7.309): the prohibitions, the maximum, and the steps of a penalty case.
Pure: no Flask, no session."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from casework.rules import ANALYSTS, OWN, RECORDERS, REVIEWERS
from core.workflow import rules as workflow
from core.workflow.rules import leading_to

VIOLATIONS = {
    "a1": ("§7.309(a)(1)", "Engaging in, or conspiring to engage in, conduct prohibited by the "
           "regulations of this part"),
    "a2": ("§7.309(a)(2)", "Failing to submit reports, certifications or recertifications, or to "
           "comply with the terms of the Department's notices or orders"),
    "a3": ("§7.309(a)(3)", "Failing to implement or maintain a CIP (§7.302), or continuing to "
           "transact with a foreign reseller that fails to (§7.303)"),
    "a4": ("§7.309(a)(4)", "Providing IaaS products to a foreign person while failing to comply "
           "with a direction, determination or condition issued under this part"),
    "a5": ("§7.309(a)(5)", "Aiding, abetting or otherwise supporting an act prohibited by a "
           "direction, determination or condition issued under this part"),
    "a6": ("§7.309(a)(6)", "Attempting or soliciting a violation of a direction, determination "
           "or condition issued under this part"),
    "a7": ("§7.309(a)(7)", "Failing to implement a prohibition or suspension under §7.308"),
    "a8": ("§7.309(a)(8)", "Making a false or misleading representation, statement, "
           "notification or certification, or falsifying or concealing a material fact"),
}  # fmt: skip


@dataclass(frozen=True)
class Violation:
    """One violation of §7.309(a), against the transaction it rests on, if any."""

    paragraph: str  # a key of VIOLATIONS: "a2"
    occurred_on: date
    transaction: str  # what the transaction was; "" when none is the basis of the violation
    transaction_value: int | None  # whole dollars

    @property
    def citation(self) -> str:
        return VIOLATIONS[self.paragraph][0]


@dataclass(frozen=True)
class MaximumLine:
    number: int
    violation: Violation
    cap: int

    @property
    def twice(self) -> int:
        return 2 * (self.violation.transaction_value or 0)

    @property
    def maximum(self) -> int:
        """§7.309(c)(1): the greater of the cap per violation and twice the transaction that is
        the basis of this violation."""
        return max(self.cap, self.twice)

    @property
    def arithmetic(self) -> str:
        value = self.violation.transaction_value
        twice = f"2 × ${value:,} = ${self.twice:,}" if value else "no transaction value"
        return f"greater of ${self.cap:,} and {twice} = ${self.maximum:,}"


@dataclass(frozen=True)
class PenaltyMaximum:
    """The maximum civil penalty of a notice: the sum over its violations (§7.309(c)(1))."""

    cap: int
    violations: tuple[Violation, ...]

    @property
    def lines(self) -> list[MaximumLine]:
        return [MaximumLine(n, v, self.cap) for n, v in enumerate(self.violations, start=1)]

    @property
    def total(self) -> int:
        return sum(line.maximum for line in self.lines)

    def arithmetic(self, cap_source: str) -> str:
        """The sum in one sentence, as a refusal quotes it; the page and notice show each line."""
        sums = " + ".join(f"${line.maximum:,}" for line in self.lines) or "$0"
        count = len(self.violations)
        return (
            f"{sums} = ${self.total:,} for {count} violation{'s' if count != 1 else ''}, each the "
            f"greater of ${self.cap:,} ({cap_source}) and twice its transaction "
            "(§7.309(c)(1); 50 U.S.C. 1705(b))"
        )


def violation_problems(violations: list[Violation], *, today: date) -> dict[str, list[str]]:
    """What is wrong with a notice's violations, by field ("violations-0-occurred_on")."""
    if not violations:
        return {"violations": ["List at least one violation of §7.309(a)."]}
    problems: dict[str, list[str]] = {}
    for index, violation in enumerate(violations):
        field = f"violations-{index}-"
        if violation.paragraph not in VIOLATIONS:
            problems[field + "paragraph"] = ["Choose the paragraph of §7.309(a) violated."]
        if violation.occurred_on > today:
            problems[field + "occurred_on"] = ["A violation cannot be dated in the future."]
        if violation.transaction_value and not violation.transaction.strip():
            problems[field + "transaction"] = [
                "Say which transaction the value is of (§7.309(c)(1))."
            ]
    return problems


# --- The cap in force when the penalty is assessed (§7.309(c)(1), (d)(1); 15 CFR 6.3) -----------


class AssessedOn(enum.Enum):
    SERVICE = "the date the notice was served, when the penalty is assessed"
    TODAY = "today: the notice is not served yet, and the cap in force on its date of service"


def assessment_date(*, served_on: date | None, today: date) -> tuple[date, AssessedOn]:
    """The day whose cap bounds the penalty. Inflation adjustments apply to penalties assessed
    after they take effect (28 U.S.C. 2461 note §6), not to the day a notice was drafted; the
    Department assesses the penalty it proposes in the notice it serves (§7.309(c)(1)(i)), so
    the cap is fixed on service, and until then the latest cap is the one the notice faces."""
    if served_on is not None:
        return served_on, AssessedOn.SERVICE
    return today, AssessedOn.TODAY


def cap_adjustment_year(today: date, years_adjusted: set[int]) -> int | None:
    """The year whose January adjustment of the cap (28 U.S.C. 2461 note §4) is still to be
    entered, if any: this year's, once the year has begun and no figure dated in it exists."""
    return None if today.year in years_adjusted else today.year


class PenaltyState(enum.StrEnum):
    DRAFTED = "drafted"
    IN_REVIEW = "in review"
    APPROVED = "approved"
    SERVED = "notice served"
    PETITIONED = "petition received"
    DECIDED = "final decision issued"
    WITHDRAWN = "withdrawn before service"


# A civil penalty "may be imposed" (§7.309(c)(1)): until its notice is served the Department may
# drop it; once served, the way out is the final administrative decision, which may impose none
# (§7.309(c)(1)(i)-(ii)).
PENALTY_ALLOWED: dict[PenaltyState, frozenset[PenaltyState]] = {
    PenaltyState.DRAFTED: frozenset({PenaltyState.IN_REVIEW, PenaltyState.WITHDRAWN}),
    PenaltyState.IN_REVIEW: frozenset(
        {PenaltyState.APPROVED, PenaltyState.DRAFTED, PenaltyState.WITHDRAWN}
    ),
    PenaltyState.APPROVED: frozenset(
        {PenaltyState.SERVED, PenaltyState.DRAFTED, PenaltyState.WITHDRAWN}
    ),
    PenaltyState.SERVED: frozenset({PenaltyState.PETITIONED, PenaltyState.DECIDED}),
    PenaltyState.PETITIONED: frozenset({PenaltyState.DECIDED}),
    PenaltyState.DECIDED: frozenset(),
    PenaltyState.WITHDRAWN: frozenset(),
}
P = PenaltyState
PENALTY_ACTIONS: dict[str, workflow.Action[PenaltyState]] = {
    "edit_penalty": workflow.Action(ANALYSTS, frozenset({P.DRAFTED}), OWN),
    "submit_penalty": workflow.Action(ANALYSTS, frozenset({P.DRAFTED})),
    "decide_penalty": workflow.Action(REVIEWERS, frozenset({P.IN_REVIEW})),
    "serve_penalty": workflow.Action(RECORDERS, frozenset({P.APPROVED})),
    "penalty_petition": workflow.Action(RECORDERS, frozenset({P.SERVED})),
    # §7.309(c)(1)(ii): decided after a petition, or once the 30 days pass without one.
    "penalty_final_decision": workflow.Action(REVIEWERS, frozenset({P.SERVED, P.PETITIONED})),
    "withdraw_penalty": workflow.Action(ANALYSTS, leading_to(PENALTY_ALLOWED, P.WITHDRAWN), OWN),
    # Criminal penalties are the courts' (§7.309(c)(2)), and the penalties here are without
    # prejudice to others (§7.309(e)): a referral may be recorded whatever the civil case's
    # stage; a civil action only to recover a penalty imposed (§7.309(c)(3);
    # proceeding_problems).
    "penalty_proceeding": workflow.Action(RECORDERS, frozenset(PenaltyState)),
    "penalty_proceeding_outcome": workflow.Action(RECORDERS, frozenset(PenaltyState)),
}


def final_decision_problem(
    *, decided_on: date, served_on: date, petition_due: date, petitioned: bool, today: date
) -> str | None:
    """Without a petition the decision waits for the 30 days to pass (§7.309(c)(1)(i))."""
    if decided_on > today:
        return "The decision cannot be dated in the future."
    if decided_on < served_on:
        return "The decision cannot precede the notice."
    if not petitioned and decided_on <= petition_due:
        return (
            f"The provider may petition until {petition_due.isoformat()} (§7.309(c)(1)(i)); "
            "record a decision without a petition after that day."
        )
    return None


def petition_days_late(*, received_on: date, petition_due: date) -> int:
    """How many days after the 30 days to petition it arrived (§7.309(c)(1)(i)); 0 if in time."""
    return max((received_on - petition_due).days, 0)


# --- Respondents: "any person" (§7.309(a), (c)(1)) ----------------------------------------------


class RespondentKind(enum.StrEnum):
    PROVIDER = "provider"
    RESELLER = "foreign reseller"
    PERSON = "other person"


@dataclass(frozen=True)
class NamedPerson:
    """A respondent the system holds no record of: a person named on the case, with the address
    the notice is served at."""

    name: str
    address: str


def person_problems(person: NamedPerson) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not person.name.strip():
        problems["person_name"] = ["Enter the name of the person the penalty is proposed on."]
    if not person.address.strip():
        problems["person_address"] = ["Enter the address the notice is to be served at."]
    return problems


# --- Referral for criminal action and civil action to recover (§7.309(c)(2), (c)(3), (e)) --------


class ProceedingKind(enum.StrEnum):
    REFERRAL = "referral to the Attorney General for criminal action"
    CIVIL_ACTION = "civil action to recover the penalty"


PROCEEDING_CITATIONS = {
    ProceedingKind.REFERRAL: "§7.309(c)(2), (e)",
    ProceedingKind.CIVIL_ACTION: "§7.309(c)(3)",
}


def proceeding_problems(
    kind: ProceedingKind, *, started_on: date, today: date, proposed_on: date,
    decided_on: date | None, final_amount: int | None,
) -> dict[str, list[str]]:  # fmt: skip
    """A referral or civil action dated within the case, and a civil action only to recover a
    penalty the final decision imposed (§7.309(c)(3))."""
    if started_on > today:
        return {"started_on": ["The date cannot be in the future."]}
    if started_on < proposed_on:
        return {"started_on": [f"The date cannot precede the notice ({proposed_on.isoformat()})."]}
    if kind is ProceedingKind.CIVIL_ACTION:
        if decided_on is None or not final_amount:
            return {"kind": ["A civil action recovers a penalty the final decision imposed."]}
        if started_on < decided_on:
            return {
                "started_on": [
                    f"The action cannot precede the decision ({decided_on.isoformat()})."
                ]
            }
    return {}


def outcome_problems(*, outcome_on: date, started_on: date, today: date) -> dict[str, list[str]]:
    if outcome_on > today:
        return {"outcome_on": ["The date of the outcome cannot be in the future."]}
    if outcome_on < started_on:
        return {"outcome_on": [f"The outcome cannot precede {started_on.isoformat()}."]}
    return {}
