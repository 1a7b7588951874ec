"""Risk scores kept, not recomputed on every request (§7.305(d)).

A provider's score reads every module (core.risk), so computing it is the dearest thing a page
does. It is kept in ``risk_scores``, one row per provider, and rewritten:

* before the transaction that changed a provider's facts commits, for those providers only
  (``core.signals.provider_facts_changed``, then ``transaction_committing``);
* every night for everyone (`risk_refresh`), since lateness ages by the day;
* on read, for a provider whose row is missing or was computed before today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict
from datetime import date, time

from sqlalchemy import Select, func, or_, select

from casework.models import RiskScore
from casework.risk import scoring
from casework.rules import SCORING_RULES_VERSION, ScheduledProvider
from core import clocks
from core.audit.services import record_event
from core.db import db, upsert, utcnow
from core.jobs import schedule
from core.wording import counted
from intake.models import Provider

# Where the providers whose facts changed wait for the commit, in the transaction's session.
_PENDING = "risk_scores_pending"
EVERYONE = 0  # no provider has id 0


def weights_version(weights: dict[str, int]) -> str:
    """The weights a score was computed with, as one comparable string."""
    return ";".join(f"{kind}={weight}" for kind, weight in sorted(weights.items()))


def refresh(today: date, provider_ids: Collection[int] | None = None) -> int:
    """Compute and keep the scores of ``provider_ids`` (None: every provider) on ``today``;
    answers how many were kept. Each row is written by one INSERT … ON CONFLICT UPDATE, so
    two transactions keeping the same provider's score at once (two pages reading a stale
    row) both succeed, the later one's row standing."""
    if provider_ids is not None and not provider_ids:
        return 0
    scored = scoring.score_registry(today, provider_ids)
    if not scored:
        return 0
    weights = weights_version(scoring.weights_on(today))
    now = utcnow()
    rows = [
        {
            "provider_id": s.facts.provider_id,
            "score": s.score,
            "lines_json": [asdict(line) for line in s.lines],
            "criteria": "; ".join(sorted({line.criterion for line in s.lines if line.points})),
            "certification": s.facts.certification_status,
            "weights_version": weights,
            "rules_version": SCORING_RULES_VERSION,
            "computed_at": now,
            "good_for": today,
        }
        for s in scored
    ]
    # Flushed first: what this transaction changed is what the scores were computed from.
    db.session.flush()
    statement = upsert(RiskScore, db.session.get_bind().dialect.name)
    kept = statement.on_conflict_do_update(
        index_elements=[RiskScore.provider_id],
        set_={name: statement.excluded[name] for name in rows[0] if name != "provider_id"},
    )
    for start in range(0, len(rows), 500):
        db.session.execute(kept, rows[start : start + 500])
    # Rows this session had loaded are read again.
    for row in db.session.identity_map.values():
        if isinstance(row, RiskScore):
            db.session.expire(row)
    return len(scored)


def facts_changed(provider_ids: Iterable[int] | None) -> None:
    """Receiver of ``provider_facts_changed``: remember the providers (None: every one, as when
    a weight changes) until the commit."""
    pending = db.session.info.setdefault(_PENDING, set())
    pending.update([EVERYONE] if provider_ids is None else provider_ids)


def before_commit() -> None:
    """Receiver of ``transaction_committing``: rescore the providers whose facts changed in
    this transaction, so that what commits is consistent with its scores."""
    pending = db.session.info.pop(_PENDING, set())
    if pending:
        refresh(clocks.office_today(), None if EVERYONE in pending else sorted(pending))


def _stale(today: date) -> Select:
    return (
        select(Provider.id)
        .outerjoin(RiskScore, RiskScore.provider_id == Provider.id)
        .where(
            or_(
                RiskScore.provider_id.is_(None),
                RiskScore.good_for < today,
                # Scored under rules since changed: computed again before anyone reads it.
                RiskScore.rules_version.is_(None),
                RiskScore.rules_version != SCORING_RULES_VERSION,
            )
        )
    )


def _all_fresh(today: date) -> Select:
    """Whether every provider has a row kept for ``today`` under today's rules: two counts,
    cheaper than looking for the stale rows on every page of the queue."""
    fresh = (
        select(func.count())
        .select_from(RiskScore)
        .where(RiskScore.good_for == today, RiskScore.rules_version == SCORING_RULES_VERSION)
        .scalar_subquery()
    )
    providers = select(func.count()).select_from(Provider).scalar_subquery()
    return select(fresh == providers)


def ensure_fresh(today: date) -> None:
    """Keep a score for every provider whose row is missing or older than ``today`` (the night's
    refresh has not run yet, or the provider is new): one query of two counts when none is."""
    if db.session.scalar(_all_fresh(today)):
        return
    stale = list(db.session.execute(_stale(today)).scalars())
    if stale:
        refresh(today, stale)


def kept_score(provider_id: int, today: date) -> RiskScore | None:
    """One provider's kept score, computed and kept first if missing or stale."""
    row = db.session.get(RiskScore, provider_id)
    if row is None or row.good_for < today or row.rules_version != SCORING_RULES_VERSION:
        if not refresh(today, [provider_id]):
            return None
        row = db.session.get(RiskScore, provider_id)
    return row


def refresh_everyone(today: date) -> str:
    """The nightly rescore, by the scheduler or `flask risk-refresh`, in a sentence."""
    kept = refresh(today)
    record_event("risk.refresh", actor=None, after={"good_for": today, "providers": kept})
    return (
        f"Risk scores recomputed for {counted(kept, 'provider')} on {today.isoformat()} "
        "(§7.305(d))."
    )


# Before the snapshot (06:00), so that the snapshot copies the day's rows.
RISK_REFRESH = schedule.daily(
    "risk_refresh", at=time(0, 30), label="Nightly risk rescore (§7.305(d))", run=refresh_everyone
)


def queue_query(
    today: date, *, name: str = "", certification: str = "", minimum_score: int = 0
) -> Select:
    """The kept scores as the queue shows them, filtered as asked, unsorted (the list sorts
    and pages it by the score's index); stale rows are refreshed first."""
    ensure_fresh(today)
    query = select(
        RiskScore.provider_id,
        Provider.legal_name,
        RiskScore.certification,
        RiskScore.score,
        RiskScore.criteria,
        RiskScore.lines_json,
    ).join(Provider, Provider.id == RiskScore.provider_id)
    if name:
        query = query.where(func.lower(Provider.legal_name).contains(name.lower(), autoescape=True))
    if certification:
        query = query.where(RiskScore.certification == certification)
    if minimum_score:
        query = query.where(RiskScore.score >= minimum_score)
    return query


def scheduled_providers(today: date) -> list[tuple[ScheduledProvider, int]]:
    """Every provider with its kept score, as the assessment schedule reads them (§7.305(e)(1)):
    one query, not the registry scored again."""
    query = queue_query(today).with_only_columns(
        RiskScore.provider_id, Provider.legal_name, RiskScore.certification, RiskScore.score
    )
    return [
        (ScheduledProvider(provider_id, legal_name, certification), score)
        for provider_id, legal_name, certification, score in db.session.execute(query)
    ]


def score_counts() -> list[tuple[int, int]]:
    """Each kept score and how many providers have it, for the distribution chart."""
    query = select(RiskScore.score, func.count()).group_by(RiskScore.score)
    return [(score, count) for score, count in db.session.execute(query)]
