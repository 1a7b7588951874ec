"""What each module knows that bears on a provider's risk (§7.305(d)), gathered in one place so
that the risk score reads every module without importing any (DESIGN.md §2).

A module registers a source at start-up; a source answers for every provider at once (the score
ranks the whole registry in one pass) with the signals it sees, each citing its criterion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RiskSignal:
    criterion: str  # the paragraph of §7.305(d) the signal bears on, e.g. "§7.305(d)(1)(i)"
    kind: str  # a stable key the score weighs, e.g. "special_measure_hit"
    count: int
    explanation: str


SignalSource = Callable[[], dict[int, list[RiskSignal]]]
_sources: dict[str, SignalSource] = {}


def register_source(name: str, source: SignalSource) -> None:
    _sources[name] = source


def signals_by_provider() -> dict[int, list[RiskSignal]]:
    """Every registered source's signals, by provider id."""
    gathered: dict[int, list[RiskSignal]] = defaultdict(list)
    for source in _sources.values():
        for provider_id, signals in source().items():
            gathered[provider_id].extend(signals)
    return dict(gathered)
