"""Scoring every provider (§7.305(d)), the ranked queue, and the weekly snapshots behind "what
changed since last week"."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import pandas
from sqlalchemy import func, select

from casework import rules
from casework.models import RiskSnapshot
from core import risk
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.parameters import services as parameters
from core.parameters.rules import RISK_WEIGHTS
from intake import rules as intake_rules
from intake import services as intake
from intake.models import Filing

QUEUE_COLUMNS = ["provider_id", "legal_name", "certification", "score", "lines", "criteria"]


def weights_on(today: date) -> dict[str, int]:
    """The weight in force for each kind of signal (rule parameters, admin-editable)."""
    found = {}
    for kind, _title, _citation in RISK_WEIGHTS:
        row = parameters.row_in_force(f"risk.weight.{kind}", today)
        if row is not None:
            found[kind] = row.number
    return found


def _late_filings() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Filing.provider_id, func.count(Filing.id))
            .where(Filing.timeliness == "late")
            .group_by(Filing.provider_id)
        ).all()
    )


def _unverified_accounts() -> dict[int, int]:
    """From each provider's latest CIP certification (a correction is the latest version)."""
    certifying = [spec.kind.value for spec in intake_rules.KINDS.values() if spec.certifies_cip]
    latest: dict[int, tuple[object, str]] = {}
    for provider_id, received_at, data_json in db.session.execute(
        select(Filing.provider_id, Filing.received_at, Filing.data_json).where(
            Filing.kind.in_(certifying)
        )
    ):
        if provider_id not in latest or received_at > latest[provider_id][0]:
            latest[provider_id] = (received_at, data_json)
    return {
        provider_id: int(json.loads(data_json).get("unverified_account_count") or 0)
        for provider_id, (_, data_json) in latest.items()
    }


def registry_facts(today: date) -> list[rules.ProviderFacts]:
    """What the system knows of every provider, gathered in a handful of queries."""
    late, unverified = _late_filings(), _unverified_accounts()
    signals = risk.signals_by_provider()
    return [
        rules.ProviderFacts(
            provider_id=row.provider.id,
            legal_name=row.provider.legal_name,
            certification_status=row.status.value,
            certification_due_on=row.next_due_on,
            late_filings=late.get(row.provider.id, 0),
            unverified_accounts=unverified.get(row.provider.id, 0),
            signals=tuple(signals.get(row.provider.id, ())),
        )
        for row in intake.registry(today)
    ]


@dataclass(frozen=True)
class Scored:
    facts: rules.ProviderFacts
    lines: list[rules.ScoreLine]

    @property
    def score(self) -> int:
        return rules.total(self.lines)


def score_registry(today: date) -> list[Scored]:
    weights = weights_on(today)
    return [
        Scored(facts, rules.score_lines(facts, weights, today)) for facts in registry_facts(today)
    ]


def score_provider(provider_id: int, today: date) -> Scored | None:
    return next((s for s in score_registry(today) if s.facts.provider_id == provider_id), None)


@dataclass(frozen=True)
class QueueFilter:
    name: str = ""
    certification: str = ""
    minimum_score: int = 0


def ranked_queue(scored: list[Scored], criteria: QueueFilter) -> pandas.DataFrame:
    """Every provider, highest score first, filtered as asked."""
    frame = pandas.DataFrame(
        [
            {
                "provider_id": s.facts.provider_id,
                "legal_name": s.facts.legal_name,
                "certification": s.facts.certification_status,
                "score": s.score,
                "lines": len(s.lines),
                "criteria": "; ".join(sorted({line.criterion for line in s.lines if line.points})),
            }
            for s in scored
        ],
        columns=QUEUE_COLUMNS,
    )
    if criteria.name:
        frame = frame[frame["legal_name"].str.contains(criteria.name, case=False, regex=False)]
    if criteria.certification:
        frame = frame[frame["certification"] == criteria.certification]
    if criteria.minimum_score:
        frame = frame[frame["score"] >= criteria.minimum_score]
    return frame.sort_values(["score", "legal_name"], ascending=[False, True])


def take_snapshot(today: date, *, actor: User | None) -> int:
    """Keep today's scores (once a day; a second run changes nothing)."""
    taken = set(
        db.session.execute(
            select(RiskSnapshot.provider_id).where(RiskSnapshot.taken_on == today)
        ).scalars()
    )
    fresh = [s for s in score_registry(today) if s.facts.provider_id not in taken]
    db.session.add_all(
        RiskSnapshot(
            provider_id=s.facts.provider_id,
            taken_on=today,
            score=s.score,
            lines_json=json.dumps([asdict(line) for line in s.lines]),
        )
        for s in fresh
    )
    db.session.flush()
    record_event("risk.snapshot", actor=actor, after={"taken_on": today, "providers": len(fresh)})
    return len(fresh)


def week_ago_snapshot(today: date) -> tuple[date | None, dict[int, int]]:
    """The latest snapshot at least seven days old, and each provider's score in it."""
    taken_on = db.session.execute(
        select(func.max(RiskSnapshot.taken_on)).where(
            RiskSnapshot.taken_on <= today - timedelta(days=7)
        )
    ).scalar_one_or_none()
    if taken_on is None:
        return None, {}
    scores = dict(
        db.session.execute(
            select(RiskSnapshot.provider_id, RiskSnapshot.score).where(
                RiskSnapshot.taken_on == taken_on
            )
        ).all()
    )
    return taken_on, scores


def changes_since_last_week(scored: list[Scored], today: date) -> tuple[date | None, list]:
    taken_on, before = week_ago_snapshot(today)
    if taken_on is None:
        return None, []
    now = {s.facts.provider_id: (s.facts.legal_name, s.score) for s in scored}
    return taken_on, rules.changes(now, before)
