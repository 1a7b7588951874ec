"""The provider registry (§7.301, §7.304(b)): each provider with where it stands on its annual
certification, as a list to filter, sort and page in SQL (docs/architecture.md §13), and what
intake expects of a provider once any waiver is applied."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy import case as sql_case

from core import clocks, hooks
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.search.rules import fold
from intake import kinds, rules
from intake.models import Filing, Provider
from intake.resellers import registry as reseller_registry

ANNUAL_CLOCK = "cip.annual_certification"
# A list sorted by providers' names, A to Z whatever the case of the letters.
PROVIDER_NAME = func.lower(Provider.legal_name)


@dataclass(frozen=True)
class RegistryRow:
    provider: Provider
    last_certified_on: date | None
    status: rules.CertificationStatus
    next_due_on: date | None


def _last_certified() -> Select[Any]:
    """Each provider's last annual certification (§7.304(b)): the latest day an original
    certifying filing was received, one not refused as too early."""
    certifying = [spec.kind.value for spec in kinds.KINDS.values() if spec.certifies_cip]
    return (
        select(Filing.provider_id, func.max(Filing.received_on).label("last_on"))
        .where(
            Filing.kind.in_(certifying),
            Filing.supersedes_id.is_(None),
            or_(
                Filing.timeliness.is_(None), Filing.timeliness != clocks.Timeliness.TOO_EARLY.value
            ),
        )
        .group_by(Filing.provider_id)
    )


def recount_last_certified(provider_ids: Collection[int] | None = None) -> None:
    """Set each provider's kept ``last_certified_on`` (or those of ``provider_ids``) from its
    filings, grouped in one pass over them rather than read again for each provider: after
    filings are written in bulk, and the definition the kept day is tested against."""
    chosen = [] if provider_ids is None else [Provider.id.in_(list(provider_ids))]
    last = _last_certified().subquery()
    options = {"synchronize_session": False}
    db.session.execute(
        update(Provider).where(*chosen).values(last_certified_on=None), execution_options=options
    )
    db.session.execute(
        update(Provider)
        .where(Provider.id == last.c.provider_id, *chosen)
        .values(last_certified_on=last.c.last_on),
        execution_options=options,
    )


def registry(today: date, provider_ids: Collection[int] | None = None) -> list[RegistryRow]:
    """Every provider (or those of ``provider_ids``) with where it stands on its annual
    certification, in one query."""
    query = select(Provider).order_by(Provider.legal_name)
    if provider_ids is not None:
        query = query.where(Provider.id.in_(list(provider_ids)))
    providers = db.session.execute(query).scalars().all()
    waivers = hooks.waivers_by_provider(provider_ids)
    return [
        RegistryRow(
            provider=provider,
            last_certified_on=provider.last_certified_on,
            status=(
                rules.CertificationStatus.EXEMPT
                if hooks.certification_waived(waivers.get(provider.id, []))
                else rules.certification_status(provider.last_certified_on, today)
            ),
            next_due_on=(
                clocks.due(ANNUAL_CLOCK, provider.last_certified_on)
                if provider.last_certified_on
                else None
            ),
        )
        for provider in providers
    ]


@dataclass(frozen=True)
class ProviderCriteria:
    name: str = ""
    status: str = ""


def provider_named(typed: str) -> ColumnElement[bool]:
    """A provider whose legal or business name holds what was typed, accents and case aside
    (the names the search box folds); text with no letter or digit is looked for as typed."""
    folded = fold(typed)
    if not folded:
        return Provider.legal_name.icontains(typed, autoescape=True)
    return Provider.search_name.contains(folded, autoescape=True)


@dataclass(frozen=True)
class RegistryQuery:
    """The registry as a query: each provider, the day of its last certification and where it
    stands on ``today``, for a list to filter, sort and page in SQL."""

    query: Select[Any]
    last_certified_on: ColumnElement[Any]
    status: ColumnElement[str]


def registry_query(today: date, criteria: ProviderCriteria = ProviderCriteria()) -> RegistryQuery:
    """The registry's rows that ``criteria`` selects (a name held by the legal name or a
    business name, a certification status), by name. The status is ``certification_status``
    in SQL: a CASE on the last certification's date against the day's edges
    (``rules.certification_edges``), and exempt where an exemption in force waives it (the
    waivers the modules answer, a few providers)."""
    last_on = Provider.last_certified_on
    edges = rules.certification_edges(today)
    waived = [
        provider_id
        for provider_id, waivers in hooks.waivers_by_provider(None).items()
        if hooks.certification_waived(waivers)
    ]
    shown = rules.CertificationStatus
    status = sql_case(
        (Provider.id.in_(waived), shown.EXEMPT.value),
        (last_on.is_(None), shown.NEVER_CERTIFIED.value),
        (last_on < edges.not_overdue_from, shown.OVERDUE.value),
        (last_on < edges.current_from, shown.WINDOW_OPEN.value),
        else_=shown.CURRENT.value,
    )
    query = select(Provider, last_on, status).order_by(PROVIDER_NAME, Provider.id)
    if criteria.status:
        query = query.where(status == criteria.status)
    if criteria.name:
        query = query.where(provider_named(criteria.name))
    return RegistryQuery(query, last_on, status)


def registry_rows(rows: Iterable[Any]) -> list[RegistryRow]:
    """The rows of a ``registry_query`` as the registry shows them."""
    return [
        RegistryRow(
            provider=provider,
            last_certified_on=last_on,
            status=rules.CertificationStatus(status),
            next_due_on=clocks.due(ANNUAL_CLOCK, last_on) if last_on else None,
        )
        for provider, last_on, status in rows
    ]


def find_providers(today: date, criteria: ProviderCriteria) -> list[RegistryRow]:
    """Every row of the registry that ``criteria`` selects, by name (a download)."""
    return registry_rows(db.session.execute(registry_query(today, criteria).query).all())


@dataclass(frozen=True)
class Expectations:
    """What intake expects of a provider today, after any waiver (an exemption, §7.306)."""

    certification: rules.CertificationStatus
    # The provider owes a CIP certification it has not made (§7.304(a), (b)).
    certification_missing: bool
    certification_waiver: hooks.Waiver | None
    # Foreign resellers not expected in compiled certifications (§7.304(f)), by id.
    exempt_resellers: dict[int, hooks.Waiver]


MISSING = (rules.CertificationStatus.NEVER_CERTIFIED, rules.CertificationStatus.OVERDUE)


def expectations_of(provider: Provider, today: date) -> Expectations:
    waivers = hooks.waivers_for(provider.id)
    provider_waiver = hooks.certification_waived(waivers)
    status = rules.certification_status(provider.last_certified_on, today)
    return Expectations(
        certification=status,
        certification_missing=status in MISSING and provider_waiver is None,
        certification_waiver=provider_waiver,
        exempt_resellers=reseller_registry.exempt_among(waivers),
    )


def providers_missing_certification(today: date) -> list[RegistryRow]:
    """Providers flagged for a missing or overdue CIP certification; a provider whose
    obligation is waived (an exemption, §7.306) is exempt, not flagged."""
    return [row for row in registry(today) if row.status in MISSING]


def export_registry(
    today: date, criteria: ProviderCriteria = ProviderCriteria(), *, actor: User
) -> list[RegistryRow]:
    rows = find_providers(today, criteria)
    filters = {name: value for name, value in vars(criteria).items() if value}
    record_event(
        "export.providers",
        actor=actor,
        after={"rows": len(rows), **({"filters": filters} if filters else {})},
    )
    return rows
