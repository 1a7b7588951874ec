"""Computing risk scores from what every module knows (§7.305(d)): the facts of the providers
asked about, gathered in a handful of queries, weighed line by line by the weights in force."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from casework import rules
from core import risk
from core.db import db
from core.parameters import services as parameters
from core.parameters.rules import RISK_WEIGHTS
from intake import kinds
from intake import registry as provider_registry
from intake.models import Filing


def weights_on(today: date) -> dict[str, int]:
    """The weight in force for each kind of signal (rule parameters, admin-editable)."""
    found = {}
    for kind, _title, _citation in RISK_WEIGHTS:
        row = parameters.row_in_force(f"risk.weight.{kind}", today)
        if row is not None:
            found[kind] = row.number
    return found


def _of_providers(query: Select, provider_ids: Collection[int] | None) -> Select:
    if provider_ids is None:
        return query
    return query.where(Filing.provider_id.in_(list(provider_ids)))


def _late_filings(provider_ids: Collection[int] | None) -> dict[int, int]:
    """Late filings scored under §7.305(d)(2)(i): late AI training reports are left to intake's
    AI source, so each scores once (rules.late_filing_criterion)."""
    query = select(Filing.provider_id, func.count(Filing.id)).where(
        Filing.timeliness == "late", Filing.kind.not_in(rules.LATE_UNDER_AI_CRITERION)
    )
    return dict(
        db.session.execute(_of_providers(query, provider_ids).group_by(Filing.provider_id)).all()
    )


# The kinds of filing that certify a provider's CIP (§7.304(a), (b), (d)).
CERTIFYING_KINDS = {spec.kind.value: spec for spec in kinds.KINDS.values() if spec.certifies_cip}


def _unverified_accounts(
    provider_ids: Collection[int] | None,
) -> dict[int, tuple[int, tuple[date, ...]]]:
    """From each provider's latest CIP certification (a correction is the latest version): how
    many foreign accounts are unverified and since when each listed one was provisioned."""
    latest: dict[int, tuple[object, dict]] = {}
    query = select(Filing.provider_id, Filing.received_at, Filing.data_json).where(
        Filing.kind.in_(list(CERTIFYING_KINDS))
    )
    for provider_id, received_at, data_json in db.session.execute(
        _of_providers(query, provider_ids)
    ):
        if provider_id not in latest or received_at > latest[provider_id][0]:
            latest[provider_id] = (received_at, data_json)
    return {
        provider_id: _unverified_of(data_json) for provider_id, (_, data_json) in latest.items()
    }


def _unverified_of(data: dict) -> tuple[int, tuple[date, ...]]:
    since = tuple(
        date.fromisoformat(row["provisioned_on"])
        for row in data.get("unverified_accounts") or []
        if row.get("provisioned_on")
    )
    return int(data.get("unverified_account_count") or 0), since


def registry_facts(
    today: date, provider_ids: Collection[int] | None = None
) -> list[rules.ProviderFacts]:
    """What the system knows of the providers asked about (None: every one), gathered in a
    handful of queries."""
    late, unverified = _late_filings(provider_ids), _unverified_accounts(provider_ids)
    signals = risk.signals_by_provider(today, provider_ids)
    return [
        rules.ProviderFacts(
            provider_id=row.provider.id,
            legal_name=row.provider.legal_name,
            certification_status=row.status.value,
            certification_due_on=row.next_due_on,
            late_filings=late.get(row.provider.id, 0),
            unverified_accounts=unverified.get(row.provider.id, (0, ()))[0],
            unverified_since=unverified.get(row.provider.id, (0, ()))[1],
            signals=tuple(signals.get(row.provider.id, ())),
        )
        # Intake's status carries any waiver (§7.306(e)), read for the registry in one pass.
        for row in provider_registry.registry(today, provider_ids)
    ]


@dataclass(frozen=True)
class Scored:
    facts: rules.ProviderFacts
    lines: list[rules.ScoreLine]

    @property
    def score(self) -> int:
        return rules.total(self.lines)


def score_registry(today: date, provider_ids: Collection[int] | None = None) -> list[Scored]:
    weights = weights_on(today)
    return [
        Scored(facts, rules.score_lines(facts, weights, today))
        for facts in registry_facts(today, provider_ids)
    ]


def score_provider(provider_id: int, today: date) -> Scored | None:
    """One provider's score, reading only what bears on that provider."""
    return next(iter(score_registry(today, [provider_id])), None)
