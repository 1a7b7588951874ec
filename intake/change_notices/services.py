"""Recording the notices of §7.309(b) and answering the risk score for them (§7.305(d))."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select

from core import signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.errors import InvalidInput
from core.risk import RiskSignal
from intake.change_notices import rules
from intake.change_notices.models import ChangeNotice
from intake.models import Provider

# What the audit trail and the kernel call the provider a notice is about.
SUBJECT = "provider"


def _audited(notice: ChangeNotice) -> dict[str, object]:
    return {
        "notice": notice.id,
        "citation": rules.citation(notice.obligation),
        "changed_on": notice.changed_on,
        "notice_received_on": notice.notice_received_on,
        "learned_on": notice.learned_on,
        "standing": notice.standing.value,
    }


def record_change_notice(
    provider: Provider,
    *,
    obligation: str | None,
    changed_on: date | None,
    notice_received_on: date | None,
    learned_on: date | None,
    learned_from: str,
    summary: str,
    actor: User,
    today: date,
) -> ChangeNotice:
    """A provider's notice of a material change, or a change the Department learned of that the
    provider has not notified (§7.309(b)(1), (3)); the provider's score is kept again."""
    problems = rules.record_problems(
        obligation=obligation, changed_on=changed_on, notice_received_on=notice_received_on,
        learned_on=learned_on, learned_from=learned_from, summary=summary, today=today,
    )  # fmt: skip
    if problems:
        raise InvalidInput({name: [message] for name, message in problems.items()})
    assert obligation is not None and changed_on is not None
    notice = ChangeNotice(
        provider_id=provider.id,
        obligation=rules.Obligation(obligation),
        changed_on=changed_on,
        notice_received_on=notice_received_on,
        learned_on=learned_on,
        learned_from=learned_from.strip() or None,
        summary=summary.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(notice)
    db.session.flush()
    record_event(
        "change_notice.record", actor=actor, subject=(SUBJECT, provider.id), after=_audited(notice)
    )
    signals.send(signals.provider_facts_changed, provider_ids=[provider.id])
    return notice


def record_receipt(
    notice: ChangeNotice, *, received_on: date | None, actor: User, today: date
) -> ChangeNotice:
    """The provider's notice arrives for a change the Department already knew of."""
    if received_on is None:
        raise InvalidInput({"received_on": ["Enter the date the notice was received."]})
    if problem := rules.receipt_problem(
        received_on, already_received_on=notice.notice_received_on, today=today
    ):
        raise InvalidInput({"received_on": [problem]})
    before = _audited(notice)
    notice.notice_received_on = received_on
    db.session.flush()
    record_event(
        "change_notice.receipt",
        actor=actor,
        subject=(SUBJECT, notice.provider_id),
        before=before,
        after=_audited(notice),
    )
    signals.send(signals.provider_facts_changed, provider_ids=[notice.provider_id])
    return notice


def get_notice(provider_id: int, notice_id: int) -> ChangeNotice | None:
    notice = db.session.get(ChangeNotice, notice_id)
    return notice if notice is not None and notice.provider_id == provider_id else None


def notices_of(provider_id: int) -> list[ChangeNotice]:
    return list(
        db.session.scalars(
            select(ChangeNotice)
            .where(ChangeNotice.provider_id == provider_id)
            .order_by(ChangeNotice.changed_on.desc(), ChangeNotice.id.desc())
        )
    )


def risk_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Per provider asked about (None: every one): notices of §7.309(b) owed and not given, or
    given only after the Department learned of the change (§7.305(d)(2)(i))."""
    query = select(ChangeNotice)
    if provider_ids is not None:
        query = query.where(ChangeNotice.provider_id.in_(list(provider_ids)))
    facts: dict[int, list[rules.NoticeFacts]] = {}
    for notice in db.session.scalars(query):
        facts.setdefault(notice.provider_id, []).append(notice.facts)
    found = {provider_id: rules.risk_signals(notices) for provider_id, notices in facts.items()}
    return {provider_id: lines for provider_id, lines in found.items() if lines}
