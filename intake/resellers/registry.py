"""Where the provider's list of foreign resellers (§7.303) comes from, and which of them are
exempt.

A CIP certification lists all the provider's foreign resellers (§7.304(a)(2)(viii)); a compiled
certification certifies their CIPs (§7.304(f)). So every reseller a certification lists is on
the registry's list, marked as listed by that filing; one the list did not hold is entered,
active, and its CIP stays owed in the next compiled certification until one certifies it. A
reseller a certification leaves out is flagged, never ended: a relationship ends as recorded
under §7.303(e). An exemption for a reseller (§7.306(e)) is another module's, told through
``core.hooks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from core import hooks
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from intake.models import Filing, ForeignReseller, Provider
from intake.resellers import rules

LISTED_CITATION = "§7.304(a)(2)(viii)"
CERTIFIED_CITATION = "§7.304(f)"


def exempt_among(waivers: Sequence[hooks.Waiver]) -> dict[int, hooks.Waiver]:
    """The foreign resellers a granted exemption covers (§7.306(e)), by id, with the waiver
    that says so."""
    return {
        waiver.reseller_id: waiver
        for waiver in waivers
        if waiver.obligation == hooks.RESELLER_CERTIFICATION and waiver.reseller_id is not None
    }


def exempt_resellers(provider_id: int) -> dict[int, hooks.Waiver]:
    return exempt_among(hooks.waivers_for(provider_id))


def on_record(provider_id: int, *columns: str) -> dict[tuple[str, str], Any]:
    """The provider's resellers by name and jurisdiction as certifications match them (id,
    name, jurisdiction, status and ``columns``), read as plain rows: a list may run to tens of
    thousands."""
    table = ForeignReseller.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.name, table.c.jurisdiction, table.c.status)
        .add_columns(*(table.c[name] for name in columns))
        .where(table.c.provider_id == provider_id)
        .order_by(table.c.id)
    ).all()
    by_key: dict[tuple[str, str], Any] = {}
    for row in rows:
        by_key.setdefault(rules.reseller_key(row.name, row.jurisdiction), row)
    return by_key


def _listed_keys(listed: Sequence[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in listed:
        keys.setdefault(rules.reseller_key(entry["name"], entry["jurisdiction"]), entry)
    return keys


def not_listed(provider: Provider, listed: Sequence[dict[str, Any]]) -> list[str]:
    """Active resellers on record that a certification's list leaves out; an exempt one need
    not be listed (§7.306(e): the provider is exempt from §7.304 for it)."""
    exempt = exempt_resellers(provider.id)
    wanted = _listed_keys(listed)
    return [
        f"{row.name} ({row.jurisdiction})"
        for key, row in on_record(provider.id).items()
        if key not in wanted and row.status == "active" and row.id not in exempt
    ]


def enter_listed(
    provider: Provider, filing: Filing, listed: Sequence[dict[str, Any]], actor: User | None
) -> None:
    """The registry follows a certification's list of foreign resellers (§7.304(a)(2)(viii)):
    each one named is marked as listed by ``filing``; one not on record is entered, active."""
    if not listed:
        return
    table = ForeignReseller.__table__
    known = on_record(provider.id)
    wanted = _listed_keys(listed)
    added = [entry for key, entry in wanted.items() if key not in known]
    if added:
        db.session.execute(
            insert(table),
            [
                {"provider_id": provider.id, "name": entry["name"],
                 "jurisdiction": entry["jurisdiction"], "status": "active",
                 "listed_in_id": filing.id}
                for entry in added
            ],
        )  # fmt: skip
    named = [{"target_id": known[key].id} for key in wanted if key in known]
    if named:
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("target_id"))
            .values(listed_in_id=filing.id),
            named,
        )
    db.session.expire(provider, ["resellers"])
    record_event(
        "reseller.listed",
        actor=actor,
        subject=("provider", provider.id),
        after={
            "filing": filing.receipt_number,
            "listed": len(wanted),
            "added": [f"{entry['name']} ({entry['jurisdiction']})" for entry in added],
            "citation": LISTED_CITATION,
        },
    )
