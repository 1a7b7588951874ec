"""The risk score of §7.305(b)–(d): what the office knows about a provider, weighed line by line,
each line citing the criterion it bears on. Pure: facts and weights in, lines out."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.risk import RiskSignal


@dataclass(frozen=True)
class ProviderFacts:
    provider_id: int
    legal_name: str
    certification_status: str  # intake's: current, window open, overdue, never certified, …
    certification_due_on: date | None
    late_filings: int
    unverified_accounts: int
    signals: tuple[RiskSignal, ...] = field(default=())


@dataclass(frozen=True)
class ScoreLine:
    criterion: str
    kind: str
    count: int
    weight: int
    explanation: str

    @property
    def points(self) -> int:
        return self.count * self.weight


CRITERIA = {
    "§7.305(d)(1)(i)": "Use by foreign malicious cyber actors",
    "§7.305(d)(1)(ii)": "Use by foreign persons to train large AI models",
    "§7.305(d)(2)(i)": "Failure to submit a CIP certification",
    "§7.305(d)(2)(ii)": "Failure to implement recommended measures",
}


def _own_signals(facts: ProviderFacts, today: date) -> Iterable[RiskSignal]:
    """What intake's records say, in the form every module's signals take."""
    if facts.certification_status == "never certified":
        yield RiskSignal(
            "§7.305(d)(2)(i)", "never_certified", 1, "No CIP certification has been received."
        )
    elif facts.certification_status == "overdue" and facts.certification_due_on:
        days = (today - facts.certification_due_on).days
        yield RiskSignal(
            "§7.305(d)(2)(i)",
            "overdue_certification",
            1,
            f"Annual certification due {facts.certification_due_on.isoformat()}, "
            f"{days} days overdue.",
        )
    if facts.late_filings:
        yield RiskSignal(
            "§7.305(d)(2)(i)",
            "late_filing",
            facts.late_filings,
            f"{facts.late_filings} filing(s) received after their due date.",
        )
    if facts.unverified_accounts:
        yield RiskSignal(
            "§7.305(d)(1)(i)",
            "unverified_account",
            facts.unverified_accounts,
            f"{facts.unverified_accounts} unverified foreign customer account(s) in the latest "
            "certification.",
        )


def score_lines(facts: ProviderFacts, weights: Mapping[str, int], today: date) -> list[ScoreLine]:
    """Every signal as a line: its count times the weight in force for its kind (no weight, no
    points, but the line is still shown so nobody wonders where a fact went)."""
    return [
        ScoreLine(
            signal.criterion,
            signal.kind,
            signal.count,
            weights.get(signal.kind, 0),
            signal.explanation,
        )
        for signal in (*_own_signals(facts, today), *facts.signals)
    ]


def total(lines: Iterable[ScoreLine]) -> int:
    return sum(line.points for line in lines)


@dataclass(frozen=True)
class Change:
    provider_id: int
    legal_name: str
    before: int | None
    now: int

    @property
    def delta(self) -> int:
        return self.now - (self.before or 0)


def changes(now: Mapping[int, tuple[str, int]], before: Mapping[int, int]) -> list[Change]:
    """Providers whose score moved since the earlier snapshot (new providers included), the
    largest movement first."""
    moved = [
        Change(provider_id, name, before.get(provider_id), score)
        for provider_id, (name, score) in now.items()
        if before.get(provider_id) != score
    ]
    return sorted(moved, key=lambda change: (-abs(change.delta), change.legal_name))


def histogram(scores: Iterable[int], *, bucket: int = 10) -> list[tuple[str, int]]:
    """How many providers score in each band of ``bucket`` points, for the distribution chart."""
    counts: dict[int, int] = {}
    for score in scores:
        counts[score // bucket] = counts.get(score // bucket, 0) + 1
    if not counts:
        return []
    return [
        (f"{band * bucket}–{band * bucket + bucket - 1}", counts.get(band, 0))
        for band in range(0, max(counts) + 1)
    ]


# --- Foreign-reseller oversight (§7.303(e)) ------------------------------------------------------


class EvidenceKind(enum.StrEnum):
    NO_CIP = "failure to maintain a CIP"
    NOT_IMPLEMENTED = "failure to implement its CIP"
    NO_GOOD_FAITH = "lack of good-faith efforts to prevent malicious cyber-enabled use"


class OversightState(enum.StrEnum):
    EVIDENCE = "evidence received"
    TERMINATION_CLOCK = "termination clock running"
    TERMINATED = "relationship terminated"
    REMEDIATED = "remediated"


OVERSIGHT_ALLOWED: dict[OversightState, frozenset[OversightState]] = {
    OversightState.EVIDENCE: frozenset(
        {OversightState.TERMINATION_CLOCK, OversightState.TERMINATED, OversightState.REMEDIATED}
    ),
    OversightState.TERMINATION_CLOCK: frozenset(
        {OversightState.TERMINATED, OversightState.REMEDIATED}
    ),
    OversightState.TERMINATED: frozenset(),
    OversightState.REMEDIATED: frozenset(),
}


class OversightRefused(ValueError):
    pass


def check_oversight_step(current: OversightState, wanted: OversightState) -> None:
    if wanted not in OVERSIGHT_ALLOWED[current]:
        raise OversightRefused(f"A case whose state is {current} cannot become {wanted}.")


def oversight_date_problem(day: date, *, not_before: date, what: str, today: date) -> str | None:
    if day > today:
        return f"The {what} cannot be in the future."
    if day < not_before:
        return f"The {what} cannot be before {not_before.isoformat()}."
    return None
