"""What intake answers the search box (core.signals.search_asked; docs/architecture.md §14):
filings by receipt number, providers and foreign resellers by name or contact email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.search import rules as search_rules
from core.search import services as search
from core.search.rules import Group, Query
from intake import kinds
from intake.models import Filing, ForeignReseller, Provider

# As intake.services.next_receipt_number issues them: OICTS-2026-000042.
RECEIPT_SERIES, RECEIPT_DIGITS = "OICTS", 6


def answer(*, query: Query, limit: int, **_: object) -> list[Group]:
    groups = []
    receipts = search.reference_group(
        query, series=RECEIPT_SERIES, digits=RECEIPT_DIGITS,
        rows=select(Filing).options(joinedload(Filing.provider)), column=Filing.receipt_number,
        limit=limit, kind="filings", title="Filings", endpoint="intake.filing", shown=_filing,
    )  # fmt: skip
    if receipts is not None:
        groups.append(receipts)
    if not search_rules.looks_like_reference(query):
        groups.append(_named(query, limit, Provider, "providers", "Providers", "intake.provider",
                             lambda provider: _provider(provider, query)))  # fmt: skip
        groups.append(_named(query, limit, ForeignReseller, "resellers", "Foreign resellers",
                             "intake.resellers", lambda reseller: _reseller(reseller, query),
                             joinedload(ForeignReseller.provider)))  # fmt: skip
    return groups


def _named(
    query: Query,
    limit: int,
    model: Any,
    kind: str,
    title: str,
    endpoint: str,
    shown: Callable[[Any], tuple[str, str, str]],
    *options: Any,
) -> Group:
    """Providers or foreign resellers by their contact's email, when the query has an "@",
    else by name."""
    if query.email is not None:
        scored, more = search.by_email(model.id, model.contact_email, query), False
    else:
        scored, more = search.by_name(model.id, model.search_name, query)
    return search.scored_group(
        scored, more=more, model=model, limit=limit, kind=kind, title=title, endpoint=endpoint,
        shown=shown, options=options,
    )  # fmt: skip


def _filing(filing: Filing) -> tuple[str, str, str]:
    title = kinds.kind_spec(filing.kind).title
    return (
        filing.receipt_number,
        url_for("intake.filing", receipt_number=filing.receipt_number),
        f"{title} from {filing.provider.legal_name}, received {filing.received_on.isoformat()}",
    )


def _provider(provider: Provider, query: Query) -> tuple[str, str, str]:
    detail = f"U.S. IaaS provider, {provider.city}, {provider.state}"
    if query.email is not None:
        detail += f"; Primary Contact {provider.contact_name}, {provider.contact_email}"
    elif provider.business_names:
        detail += f"; does business as {', '.join(provider.business_names)}"
    return provider.legal_name, url_for("intake.provider", provider_id=provider.id), detail


def _reseller(reseller: ForeignReseller, query: Query) -> tuple[str, str, str]:
    detail = f"Foreign reseller of {reseller.provider.legal_name} (§7.303), {reseller.status}"
    if query.email is not None and reseller.contact_email:
        contact = f"{reseller.contact_name}, " if reseller.contact_name else ""
        detail += f"; contact {contact}{reseller.contact_email}"
    url = url_for(
        "intake.resellers", provider_id=reseller.provider_id, name=reseller.name,
        jurisdiction=reseller.jurisdiction,
    )  # fmt: skip
    return f"{reseller.name} ({reseller.jurisdiction})", url, detail
