"""Small hooks through which one module reacts to another without importing it (DESIGN.md §2):
intake announces filings it received; a module that waives what intake expects of a provider
(an exemption, §7.306) answers intake's question "is this waived?"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FilingListener = Callable[[Any, Any], None]  # (filing, acting user or None)
_filing_listeners: dict[str, dict[str, FilingListener]] = {}


def on_filing_received(kind: str, name: str, listener: FilingListener) -> None:
    """Call ``listener`` whenever a new filing of ``kind`` is stored (registered once by name)."""
    _filing_listeners.setdefault(kind, {})[name] = listener


def filing_received(kind: str, filing: Any, actor: Any) -> None:
    for listener in _filing_listeners.get(kind, {}).values():
        listener(filing, actor)


@dataclass(frozen=True)
class Waiver:
    """An obligation that does not apply: to the provider (``reseller_id`` None) or to one of
    its foreign resellers. ``reason`` says why, with its citation."""

    obligation: str  # "cip_certification" or "reseller_certification"
    reseller_id: int | None
    reason: str
    link: str | None = None


CIP_CERTIFICATION = "cip_certification"
RESELLER_CERTIFICATION = "reseller_certification"

WaiverSource = Callable[[int], list[Waiver]]  # provider id -> waivers in force
_waiver_sources: dict[str, WaiverSource] = {}


def register_waivers(name: str, source: WaiverSource) -> None:
    _waiver_sources[name] = source


def waivers_for(provider_id: int) -> list[Waiver]:
    return [waiver for source in _waiver_sources.values() for waiver in source(provider_id)]
