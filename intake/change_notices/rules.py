"""What a notice of §7.309(b) concerns, whether it was given, given late or is still owed, and
what that adds to the risk score (§7.305(d)). Pure: dates and facts in, answers out."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.risk import RiskSignal


class Obligation(enum.StrEnum):
    CIP_UNNECESSARY = "cip unnecessary"  # §7.309(b)(1)
    REPRESENTATION_ENDED = "representation ended"  # §7.309(b)(3)


OBLIGATIONS: dict[Obligation, tuple[str, str]] = {
    Obligation.CIP_UNNECESSARY: (
        "§7.309(b)(1)",
        "A material change to the CIP, or to the provider's business, that renders the CIP "
        "unnecessary",
    ),
    Obligation.REPRESENTATION_ENDED: (
        "§7.309(b)(3)",
        "A representation, statement or certification made to the Department (a CIP, a written "
        "request for exemption, a statement on an ADP) that no longer holds",
    ),
}


def citation(obligation: Obligation | str) -> str:
    return OBLIGATIONS[Obligation(obligation)][0]


class Standing(enum.StrEnum):
    GIVEN = "notice given"
    LATE = "notice given late"
    OWED = "notice owed, not given"


# §7.309(b) sets no period for the notice. A representation stands "until the person notifies
# the Department" (§7.309(b)(3)), so the system does not invent one: a notice is late when the
# Department learned of the change by other means (§7.305(c)(2)-(4)) before the notice came, and
# owed for as long as the Department knows of the change and no notice has come.
READING = (
    "§7.309(b) sets no period for the notice: the system counts it late only when the "
    "Department learned of the change by other means before the notice came, and owed while the "
    "Department knows of the change and the provider has not notified it (§7.309(b)(3))."
)


def standing(*, notice_received_on: date | None, learned_on: date | None) -> Standing:
    if notice_received_on is None:
        return Standing.OWED
    if learned_on is not None and learned_on < notice_received_on:
        return Standing.LATE
    return Standing.GIVEN


def record_problems(
    *,
    obligation: str | None,
    changed_on: date | None,
    notice_received_on: date | None,
    learned_on: date | None,
    learned_from: str,
    summary: str,
    today: date,
) -> dict[str, str]:
    """Field -> message for a notice, or a change the Department learned of, that cannot be
    recorded as given."""
    problems: dict[str, str] = {}
    if obligation not in {o.value for o in Obligation}:
        problems["obligation"] = "Choose what the notice concerns (§7.309(b)(1) or (b)(3))."
    if changed_on is None:
        problems["changed_on"] = "Enter the date the change took effect, as YYYY-MM-DD."
    elif changed_on > today:
        problems["changed_on"] = "The change cannot have taken effect on a future date."
    if notice_received_on is not None and notice_received_on > today:
        problems["notice_received_on"] = "The notice cannot be received on a future date."
    if learned_on is not None and learned_on > today:
        problems["learned_on"] = "The Department cannot have learned of it on a future date."
    if notice_received_on is None and learned_on is None:
        problems["learned_on"] = (
            "Give the date the provider's notice was received, or the date the Department "
            "learned of the change by other means (§7.305(c))."
        )
    if learned_on is not None and not learned_from.strip():
        problems["learned_from"] = "Say how the Department learned of the change (§7.305(c))."
    if not summary.strip():
        problems["summary"] = "Summarise the change."
    return problems


def receipt_problem(
    received_on: date, *, already_received_on: date | None, today: date
) -> str | None:
    """The provider's notice arriving for a change the Department already knew of."""
    if already_received_on is not None:
        return f"The provider's notice is already recorded, received on {already_received_on}."
    if received_on > today:
        return "The notice cannot be received on a future date."
    return None


@dataclass(frozen=True)
class NoticeFacts:
    obligation: Obligation
    changed_on: date
    notice_received_on: date | None
    learned_on: date | None

    @property
    def standing(self) -> Standing:
        return standing(notice_received_on=self.notice_received_on, learned_on=self.learned_on)


# The kinds the score weighs (rule parameters risk.weight.<kind>).
NOT_GIVEN = "change_notice_not_given"
LATE = "change_notice_late"
WHY_SCORED = (
    "a representation stands until the provider notifies the Department (§7.309(b)(3)), so "
    "the certification on file no longer speaks for it: weighed as a failure to submit, "
    "§7.305(d)(2)(i)"
)


def _listed(notices: list[NoticeFacts], day: str) -> str:
    return "; ".join(
        f"{citation(n.obligation)}, change of {n.changed_on.isoformat()}"
        + (f", {day} {n.learned_on.isoformat()}" if n.learned_on else "")
        for n in notices
    )


def risk_signals(notices: Iterable[NoticeFacts]) -> list[RiskSignal]:
    """One line for the notices owed and not given, one for those given late; a notice given
    in time adds nothing."""
    notices = list(notices)
    owed = [n for n in notices if n.standing is Standing.OWED]
    late = [n for n in notices if n.standing is Standing.LATE]
    found = []
    if owed:
        found.append(
            RiskSignal(
                "§7.305(d)(2)(i)",
                NOT_GIVEN,
                len(owed),
                f"{len(owed)} notice(s) of a material change owed and not given "
                f"({_listed(owed, 'known to the Department since')}): {WHY_SCORED}.",
            )
        )
    if late:
        found.append(
            RiskSignal(
                "§7.305(d)(2)(i)",
                LATE,
                len(late),
                f"{len(late)} notice(s) of a material change given only after the Department "
                f"learned of it otherwise ({_listed(late, 'learned')}): {WHY_SCORED}.",
            )
        )
    return found
