"""What intake expects of a provider, and what waives it: a module that grants a waiver (an
exemption, §7.306) answers intake's question "is this waived?" without intake importing it
(DESIGN.md §2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
