"""What each module knows that bears on a provider's risk (§7.305(d)), gathered in one place so
that the risk score reads every module without importing any (docs/architecture.md §2).

A module's ``init_app`` connects a source to ``core.signals.risk_signals_asked``; a source answers
for the providers asked about (the whole registry for the queue, one provider for its page) in
one pass, with the signals it sees, each citing its criterion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from core import signals


@dataclass(frozen=True)
class RiskSignal:
    criterion: str  # the paragraph of §7.305(d) the signal bears on, e.g. "§7.305(d)(1)(i)"
    kind: str  # a stable key the score weighs, e.g. "special_measure_hit"
    count: int
    explanation: str


def signals_by_provider(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Every source's signals on ``today`` for ``provider_ids`` (None: every provider)."""
    gathered: dict[int, list[RiskSignal]] = defaultdict(list)
    for answer in signals.answers(
        signals.risk_signals_asked, today=today, provider_ids=provider_ids
    ):
        for provider_id, found in answer.items():
            gathered[provider_id].extend(found)
    return dict(gathered)
