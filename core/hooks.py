"""What intake expects of a provider, and what waives it: a module that grants a waiver (an
exemption, §7.306) answers intake's question "is this waived?" without intake importing it
(docs/architecture.md §2)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from core import signals


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


def waivers_by_provider(provider_ids: Collection[int] | None = None) -> dict[int, list[Waiver]]:
    """The waivers in force for each of ``provider_ids`` (None: every provider), gathered from
    every module that grants them, each answering for all the providers in one pass."""
    gathered: dict[int, list[Waiver]] = {}
    for answer in signals.answers(signals.waivers_asked, provider_ids=provider_ids):
        for provider_id, waivers in answer.items():
            gathered.setdefault(provider_id, []).extend(waivers)
    return gathered


def waivers_for(provider_id: int) -> list[Waiver]:
    return waivers_by_provider([provider_id]).get(provider_id, [])


def copy_request_waived(waivers: list[Waiver], reseller_id: int | None) -> Waiver | None:
    """The exemption, if any, that lifts the obligation a request for a copy of a CIP would
    start: the provider's own copy (§7.305(a)) goes with §7.305, which a provider's exemption
    lifts (§7.306(e)); a foreign reseller's (§7.303(d)) with §7.303, which that reseller's
    exemption lifts (§7.306(b), (e))."""
    if reseller_id is None:
        return certification_waived(waivers)
    return next(
        (
            w
            for w in waivers
            if w.obligation == RESELLER_CERTIFICATION and w.reseller_id == reseller_id
        ),
        None,
    )


def certification_waived(waivers: list[Waiver]) -> Waiver | None:
    """The waiver of the provider's own CIP certification among ``waivers``, if any."""
    return next(
        (w for w in waivers if w.obligation == CIP_CERTIFICATION and w.reseller_id is None), None
    )
