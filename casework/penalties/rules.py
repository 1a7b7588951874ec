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
class PenaltyMaximum:
    cap: int
    transaction_value: int | None
    violations: int

    @property
    def per_violation(self) -> int:
        """§7.309(c)(1): the greater of the IEEPA cap and twice the transaction."""
        return max(self.cap, 2 * (self.transaction_value or 0))

    @property
    def total(self) -> int:
        return self.per_violation * self.violations

    def arithmetic(self, cap_source: str) -> str:
        twice = (
            f"2 × ${self.transaction_value:,} = ${2 * self.transaction_value:,}"
            if self.transaction_value
            else "no transaction value given"
        )
        return (
            f"greater of ${self.cap:,} ({cap_source}) and {twice} = ${self.per_violation:,} "
            f"per violation × {self.violations} violation{'s' if self.violations != 1 else ''} "
            f"= ${self.total:,} (§7.309(c)(1); 50 U.S.C. 1705(b))"
        )


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
