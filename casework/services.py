"""Scoring every provider (§7.305(d)), the ranked queue, and the weekly snapshots behind "what
changed since last week"."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from casework import rules
from casework.models import (
    Assessment,
    AssessmentFinding,
    RiskScore,
    RiskSnapshot,
)
from casework.risk import kept
from casework.risk.scoring import (
    CERTIFYING_KINDS,
    Scored,
    score_provider,
    score_registry,
    weights_on,
)
from core import clocks, counters, signals
from core.approvals import services as approvals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.jobs import schedule
from core.ownership import services as ownership
from core.parameters import services as parameters
from core.risk import RiskSignal
from core.wording import counted
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake import kinds
from intake import services as intake
from intake.models import Provider
from intake.registry import PROVIDER_NAME

if TYPE_CHECKING:
    import pandas

QUEUE_COLUMNS = ["provider_id", "legal_name", "certification", "score", "lines", "criteria"]


@dataclass(frozen=True)
class QueueFilter:
    name: str = ""
    certification: str = ""
    minimum_score: int = 0


def ranked_queue(scored: list[Scored], criteria: QueueFilter) -> pandas.DataFrame:
    """Every provider, highest score first, filtered as asked."""
    import pandas  # some 60 MB a process: only the ranking of scores needs it

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
    """Keep today's scores (once a day; a second run changes nothing), copied from the kept
    rows; a provider whose kept row is not of ``today`` (a snapshot of another day) is scored."""
    taken = set(
        db.session.execute(
            select(RiskSnapshot.provider_id).where(RiskSnapshot.taken_on == today)
        ).scalars()
    )
    kept.ensure_fresh(today)
    # Each snapshot keeps the score's version: its weights and the scoring rules' version.
    rows = {
        row.provider_id: (row.score, row.lines_json, row.weights_version, row.rules_version)
        for row in db.session.execute(
            select(RiskScore).where(RiskScore.good_for == today)
        ).scalars()
    }
    others = set(db.session.execute(select(Provider.id)).scalars()) - set(rows)
    if others:
        weights = kept.weights_version(weights_on(today))
        rows |= {
            s.facts.provider_id: (
                s.score,
                [asdict(line) for line in s.lines],
                weights,
                rules.SCORING_RULES_VERSION,
            )
            for s in score_registry(today, sorted(others))
        }
    fresh = {provider_id: row for provider_id, row in rows.items() if provider_id not in taken}
    db.session.add_all(
        RiskSnapshot(
            provider_id=provider_id, taken_on=today, score=score, lines_json=lines,
            weights_version=weights, rules_version=version,
        )
        for provider_id, (score, lines, weights, version) in fresh.items()
    )  # fmt: skip
    db.session.flush()
    record_event("risk.snapshot", actor=actor, after={"taken_on": today, "providers": len(fresh)})
    return len(fresh)


def keep_scores_of(today: date) -> str:
    """The daily snapshot, by the scheduler or `flask risk-snapshot`: what it kept, in a
    sentence."""
    kept = take_snapshot(today, actor=None)
    return f"Risk scores kept for {counted(kept, 'provider')} on {today.isoformat()} (§7.305(d))."


RISK_SNAPSHOT = schedule.daily(
    "risk_snapshot", at=time(6, 0), label="Daily risk snapshot (§7.305(d))", run=keep_scores_of
)


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


def changes_since_last_week(today: date) -> tuple[date | None, list]:
    taken_on, before = week_ago_snapshot(today)
    if taken_on is None:
        return None, []
    kept.ensure_fresh(today)
    now = {
        provider_id: (legal_name, score)
        for provider_id, legal_name, score in db.session.execute(
            select(RiskScore.provider_id, Provider.legal_name, RiskScore.score).join(
                Provider, Provider.id == RiskScore.provider_id
            )
        )
    }
    return taken_on, rules.changes(now, before)


# --- Moving a casework record along its allowed steps --------------------------------------------

STEPS: dict[str, Mapping[Any, frozenset[Any]]] = {
    "assessment": rules.ASSESSMENT_ALLOWED,
}


ACTIONS: dict[str, tuple[Mapping[str, workflow.Action[Any]], type[enum.Enum]]] = {
    "assessment": (rules.ASSESSMENT_ACTIONS, rules.AssessmentState),
}
Record = Assessment


def actions_for(
    record: Record, subject_type: str, role: Role | None, facts: Mapping[str, bool] | None = None
) -> frozenset[str]:
    """The actions ``role`` may take on the record now: what its page offers."""
    actions, states = ACTIONS[subject_type]
    return workflow.available_actions(actions, states(record.state), role, facts)


def _require(record: Record, subject_type: str, action: str, message: str | None = None) -> None:
    """Refuse what the record's page does not offer now."""
    actions, states = ACTIONS[subject_type]
    workflow.check_action(actions, action, states(record.state), message=message)


def _move(
    record: Record,
    subject_type: str,
    wanted: enum.Enum,
    actor: User | None,
    **after: object,
) -> None:
    change_state(
        record, wanted, STEPS[subject_type], subject_type=subject_type, actor=actor, **after
    )
    # Open findings and penalties are signals of the score (§7.305(d)).
    signals.send(signals.provider_facts_changed, provider_ids=[record.provider_id])


# Analysts draft, reviewers approve, never their own work (docs/architecture.md §1).
DRAFTERS = frozenset({Role.ANALYST})


def check_drafter(actor: User, what: str) -> None:
    if actor.role_enum not in DRAFTERS:
        raise DomainError(
            f"Only an analyst drafts {what}; a reviewer decides it, never their own work."
        )


def _of(model: Any, provider_id: int | None) -> ColumnElement[bool] | None:
    return model.provider_id == provider_id if provider_id is not None else None


# --- Compliance assessments (§7.305) -------------------------------------------------------------

ASSESSMENT = "assessment"
RESUBMISSION_CLOCK = "assessment.resubmission"


def open_assessment(
    provider: Provider,
    *,
    origin: rules.AssessmentOrigin,
    scope: str,
    origin_note: str,
    actor: User,
    today: date,
    follows: Assessment | None = None,
) -> Assessment:
    """Opened from the risk queue, a referral or a schedule (§7.305(e)(1)), or to follow up an
    earlier one (§7.305(e)(2)); the score at opening is kept with its lines."""
    scored = score_provider(provider.id, today)
    assessment = Assessment(
        reference=counters.next_reference("AS", today.year, digits=4),
        provider_id=provider.id,
        origin=origin.value,
        origin_note=origin_note.strip() or None,
        follows_id=follows.id if follows else None,
        scope=scope.strip(),
        state=rules.AssessmentState.OPEN.value,
        opened_on=today,
        opened_by_id=actor.id,
        risk_score=scored.score if scored else 0,
        risk_lines_json=[asdict(line) for line in scored.lines] if scored else [],
    )
    db.session.add(assessment)
    db.session.flush()
    record_event(
        "assessment.open",
        actor=actor,
        subject=(ASSESSMENT, assessment.id),
        after={"reference": assessment.reference, "origin": assessment.origin,
               "follows": follows.reference if follows else None},
    )  # fmt: skip
    ownership.set_on_opening("assessment", assessment, actor)
    return assessment


def get_assessment(assessment_id: int) -> Assessment | None:
    return db.session.get(Assessment, assessment_id)


def assessments_of(
    provider_id: int | None = None, *, owned: ColumnElement[bool] | None = None
) -> list[Assessment]:
    return ownership.newest_first(Assessment, _of(Assessment, provider_id), owned)


def assessments_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The assessments' list (§7.305): every provider's, with their remediation clocks."""
    return intake.with_provider(ownership.cases_query(Assessment, owned), Assessment).options(
        selectinload(Assessment.remediation_deadline)
    )


def request_information(
    assessment: Assessment, *, requested_on: date, note: str, actor: User,
    today: date | None = None, sent_by_hand: bool = False,
) -> None:  # fmt: skip
    """A request for the provider's CIP through intake's requests: the 10-day clock of
    §7.305(a) runs there."""
    _require(
        assessment,
        ASSESSMENT,
        "assessment_request",
        f"{assessment.reference} is {assessment.state}; the CIP is requested while the findings "
        "are drafted.",
    )
    department_request = intake.request_cip_copy(
        assessment.provider, reseller=None, requested_on=requested_on, actor=actor,
        today=today, note=f"{assessment.reference}: {note}".strip(": "),
        sent_by_hand=sent_by_hand,
    )  # fmt: skip
    assessment.requests.append(department_request)
    if assessment.state == rules.AssessmentState.OPEN.value:
        _move(assessment, ASSESSMENT, rules.AssessmentState.INFORMATION_REQUESTED, actor)
    db.session.flush()


def assessment_content(assessment: Assessment) -> dict[str, object]:
    """What the reviewer approves: the scope, every finding and the remediation period."""
    return {
        "scope": assessment.scope,
        "findings": [
            [f.requirement, f.shortcoming, f.recommendation_kind, f.recommendation]
            for f in assessment.findings
        ],
        "resubmission_days": assessment.resubmission_days,
    }


def _to_draft(assessment: Assessment, actor: User) -> None:
    state = rules.AssessmentState(assessment.state)
    _require(
        assessment,
        ASSESSMENT,
        "assessment_finding",
        f"The assessment is {assessment.state}; its findings are settled.",
    )
    if state is not rules.AssessmentState.DRAFTED:
        _move(assessment, ASSESSMENT, rules.AssessmentState.DRAFTED, actor)


def check_finding_choices(requirement: str, recommendation_kind: str) -> None:
    """A finding names a requirement of §7.302(b)–(f) and its kind of recommendation
    (§7.305(f)(1))."""
    if requirement not in rules.CIP_REQUIREMENTS:
        raise InvalidInput({"requirement": ["Choose the requirement of §7.302 it falls short of."]})
    if recommendation_kind not in rules.RECOMMENDATION_KINDS:
        raise InvalidInput({"recommendation_kind": ["Choose the kind of recommendation."]})


def add_finding(
    assessment: Assessment,
    *,
    requirement: str,
    shortcoming: str,
    recommendation_kind: str,
    recommendation: str,
    actor: User,
) -> AssessmentFinding:
    """A shortcoming against a paragraph of §7.302(b)–(f) and the remediation recommended."""
    check_drafter(actor, "the findings")
    check_finding_choices(requirement, recommendation_kind)
    finding = AssessmentFinding(
        requirement=requirement,
        shortcoming=shortcoming.strip(),
        recommendation_kind=recommendation_kind,
        recommendation=recommendation.strip(),
        drafted_by_id=actor.id,
    )
    _to_draft(assessment, actor)
    assessment.findings.append(finding)
    db.session.flush()
    record_event(
        "assessment.finding",
        actor=actor,
        subject=(ASSESSMENT, assessment.id),
        after={"requirement": rules.CIP_REQUIREMENTS[requirement][0],
               "shortcoming": finding.shortcoming},
    )  # fmt: skip
    signals.send(signals.provider_facts_changed, provider_ids=[assessment.provider_id])
    return finding


def submit_assessment(assessment: Assessment, *, resubmission_days: int | None, actor: User):
    """To review, with the period the provider has to resolve the shortcomings (§7.305(a))."""
    check_drafter(actor, "the findings")
    _require(assessment, ASSESSMENT, "submit_assessment")
    if rules.AssessmentState(assessment.state) in (
        rules.AssessmentState.OPEN,
        rules.AssessmentState.INFORMATION_REQUESTED,
    ):
        _move(assessment, ASSESSMENT, rules.AssessmentState.DRAFTED, actor)
    if assessment.findings:
        clock = clocks.get(RESUBMISSION_CLOCK)
        assessment.resubmission_days = deadlines.period_for(
            clock, assessment.opened_on, resubmission_days
        )
    approvals.submit_record(
        assessment, rules.AssessmentState.IN_REVIEW, rules.ASSESSMENT_ALLOWED,
        subject_type=ASSESSMENT,
        label=f"Assessment {assessment.reference}: {assessment.provider.legal_name}",
        content=assessment_content(assessment), actor=actor,
    )  # fmt: skip
    db.session.flush()


def decide_assessment(assessment: Assessment, *, approve: bool, comments: str, actor: User) -> None:
    nothing = f"There is no assessment report waiting for review: this one is {assessment.state}."
    _require(assessment, ASSESSMENT, "decide_assessment", nothing)
    approvals.decide_record(
        assessment, rules.ASSESSMENT_ALLOWED, subject_type=ASSESSMENT, approve=approve,
        comments=comments, actor=actor, content=assessment_content(assessment),
        approved=rules.AssessmentState.APPROVED, returned=rules.AssessmentState.DRAFTED,
        nothing=nothing,
    )  # fmt: skip
    db.session.flush()


def issue_assessment(assessment: Assessment, *, issued_on: date, actor: User, today: date):
    """The notice of shortcomings opens the remediation period (§7.305(a)); a report with no
    shortcomings closes the assessment."""
    refusal = "Only a report approved as it stands can be issued."
    _require(assessment, ASSESSMENT, "issue_assessment", refusal)
    if not approvals.approval_holds(ASSESSMENT, assessment.id, assessment_content(assessment)):
        raise IllegalTransition(refusal)
    if problem := rules.oversight_date_problem(
        issued_on, not_before=assessment.opened_on, what="date of issue", today=today
    ):
        raise InvalidInput({"issued_on": [problem]})
    assessment.issued_on = issued_on
    if not assessment.findings:
        _move(assessment, ASSESSMENT, rules.AssessmentState.CLOSED, actor)
        assessment.closed_on, assessment.closing_note = issued_on, "No shortcomings found."
        db.session.flush()
        return
    _move(assessment, ASSESSMENT, rules.AssessmentState.ISSUED, actor)
    assessment.remediation_deadline_id = deadlines.open_deadline(
        RESUBMISSION_CLOCK,
        subject=(ASSESSMENT, assessment.id),
        subject_label=f"{assessment.reference}: {assessment.provider.legal_name} resubmits its CIP",
        start_on=issued_on,
        actor=actor,
        days=assessment.resubmission_days,
    ).id
    db.session.flush()


def certifying_kinds_text() -> str:
    """The kinds a resubmitted CIP may come as, with their citations, for forms and errors."""
    return " or ".join(f"{spec.title} ({spec.citation})" for spec in CERTIFYING_KINDS.values())


def record_resubmission(assessment: Assessment, *, receipt_number: str, actor: User) -> None:
    """The provider's resubmitted CIP (§7.305(a)), a filing that certifies it (§7.304(a), (b),
    (d)) received after the notice, meets the clock."""
    _require(assessment, ASSESSMENT, "assessment_resubmission")
    filing = intake.get_filing(receipt_number.strip())
    if filing is None or filing.provider_id != assessment.provider_id:
        raise InvalidInput(
            {"receipt_number": [f"No filing of {assessment.provider.legal_name} has that number."]}
        )
    if filing.kind not in CERTIFYING_KINDS:
        spec = kinds.kind_spec(filing.kind)
        raise InvalidInput(
            {"receipt_number": [
                f"{filing.receipt_number} ({spec.title}, {spec.citation}) does not certify a "
                f"CIP. The resubmitted CIP comes as {certifying_kinds_text()}."
            ]}
        )  # fmt: skip
    assert assessment.issued_on is not None and assessment.remediation_deadline is not None
    if filing.received_on < assessment.issued_on:
        raise InvalidInput(
            {"receipt_number": [f"That filing predates the notice of {assessment.issued_on}."]}
        )
    _move(assessment, ASSESSMENT, rules.AssessmentState.REMEDIATED, actor)
    assessment.resubmitted_receipt, assessment.resubmitted_on = (
        filing.receipt_number,
        filing.received_on,
    )
    deadlines.meet_deadline(
        assessment.remediation_deadline, met_on=filing.received_on, actor=actor,
        note=f"resubmitted CIP {filing.receipt_number}",
    )  # fmt: skip
    db.session.flush()


def close_assessment(assessment: Assessment, *, note: str, actor: User, today: date) -> None:
    """Closed once the resubmitted CIP is in, or earlier, with a note saying why (§7.305(b));
    a report waiting for review, or approved and not yet issued, leaves the queue."""
    if not note.strip():
        raise InvalidInput({"note": ["Say why the assessment can close."]})
    _move(assessment, ASSESSMENT, rules.AssessmentState.CLOSED, actor, note=note.strip())
    assessment.closed_on, assessment.closing_note = today, note.strip()
    approvals.withdraw_from_review(
        ASSESSMENT, assessment.id, actor=actor, reason="assessment closed"
    )
    db.session.flush()


def open_follow_up(earlier: Assessment, *, actor: User, today: date) -> Assessment:
    """A follow-up of an issued report, to check that its findings are remediated
    (§7.305(e)(2))."""
    _require(
        earlier, ASSESSMENT, "follow_up_assessment",
        rules.follow_up_problem(rules.AssessmentState(earlier.state)),
    )  # fmt: skip
    return open_assessment(
        earlier.provider,
        origin=rules.AssessmentOrigin.FOLLOW_UP,
        scope=f"Follow-up of {earlier.reference}: remediation of its findings (§7.305(e)(2)).",
        origin_note="",
        actor=actor,
        today=today,
        follows=earlier,
    )


_UNDER_WAY = case((Assessment.state != rules.AssessmentState.CLOSED.value, 1), else_=0)
# Each assessed provider's latest opening and whether an assessment is under way.
ASSESSMENT_HISTORY = (
    select(
        Assessment.provider_id,
        func.max(Assessment.opened_on).label("last_opened_on"),
        func.max(_UNDER_WAY).label("in_progress"),
    )
    .group_by(Assessment.provider_id)
    .subquery("assessment_history")
)


SCHEDULE_PARAMETER = "assessment.risk_schedule_points"


def risk_schedule_threshold(today: date) -> int:
    """The score that makes a provider due for a risk-based assessment, as in force today."""
    row = parameters.row_in_force(SCHEDULE_PARAMETER, today)
    return row.number if row is not None else rules.RISK_SCHEDULE_THRESHOLD


def due_query(today: date) -> Select[Any]:
    """The providers due for an annual or a risk-based assessment (§7.305(e)(1)), as
    ``rules.assessment_due`` decides, asked of every kept score at once, unsorted: scored at or
    above the threshold, never assessed, or last assessed a year ago, and neither exempt nor
    under assessment. Each row is what ``due_entry`` reads."""
    history = ASSESSMENT_HISTORY.c
    return (
        kept.queue_query(today)
        .with_only_columns(
            RiskScore.provider_id,
            Provider.legal_name,
            RiskScore.certification,
            RiskScore.score,
            history.last_opened_on,
            history.in_progress,
        )
        .outerjoin(ASSESSMENT_HISTORY, history.provider_id == RiskScore.provider_id)
        .where(
            RiskScore.certification != rules.EXEMPT,
            func.coalesce(history.in_progress, 0) == 0,
            or_(
                RiskScore.score >= risk_schedule_threshold(today),
                history.last_opened_on.is_(None),
                history.last_opened_on <= rules.annual_assessment_edge(today),
            ),
        )
    )


def due_entries(rows: Iterable[Any], today: date) -> list[rules.DueAssessment]:
    """The rows of ``due_query`` with their reasons, as the schedule lists them."""
    threshold = risk_schedule_threshold(today)
    return [
        entry
        for provider_id, legal_name, certification, score, last_opened_on, in_progress in rows
        if (
            entry := rules.assessment_due(
                rules.ScheduledProvider(provider_id, legal_name, certification),
                score,
                rules.AssessmentHistory(last_opened_on, bool(in_progress)),
                today,
                threshold=threshold,
            )
        )
    ]


# The schedule's own order: risk-based first, highest score first (a score at or above the
# threshold is what makes one risk-based), then by name.
DUE_ORDER = (RiskScore.score.desc(), PROVIDER_NAME, RiskScore.provider_id)


def assessments_due(today: date) -> list[rules.DueAssessment]:
    """Every provider due for an annual or a risk-based assessment (§7.305(e)(1)), in the
    schedule's order."""
    return due_entries(db.session.execute(due_query(today).order_by(*DUE_ORDER)), today)


SCHEDULED_SCOPE = (
    "The written CIP and its implementation against §7.302(b)–(f), as scheduled (§7.305(e)(1))."
)


def open_scheduled_assessment(provider: Provider, *, actor: User, today: date) -> Assessment:
    """Opens the assessment the schedule calls for, with its origin and reasons as they stand
    now; a provider no longer due (opened a moment ago, say) is refused."""
    due = next((d for d in assessments_due(today) if d.provider_id == provider.id), None)
    if due is None:
        raise DomainError(
            f"{provider.legal_name} is not due for a scheduled assessment: it may have one "
            "under way already."
        )
    return open_assessment(
        provider,
        origin=due.origin,
        scope=SCHEDULED_SCOPE,
        origin_note=" ".join(due.reasons),
        actor=actor,
        today=today,
    )


def record_further_action(
    assessment: Assessment, *, action: str, note: str, actor: User, today: date
) -> None:
    """An audit request or a referral that grows out of the assessment; special measures are
    evaluated in their own module, which opens the case from the referral note."""
    if action not in rules.FURTHER_ACTIONS:
        raise InvalidInput({"action": ["Choose the action."]})
    text = f"{today.isoformat()}: {note.strip()}"
    if action == "audit":
        assessment.audit_requested_on, assessment.audit_request_note = today, note.strip()
    elif action == "transaction_review":
        assessment.transaction_review_note = text
    else:
        assessment.special_measure_referral_note = text
    record_event(
        f"assessment.{action}",
        actor=actor,
        subject=(ASSESSMENT, assessment.id),
        after={"citation": rules.FURTHER_ACTIONS[action][0], "note": note.strip()},
    )
    db.session.flush()


def open_findings_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Providers (those asked about; None: every one) with issued findings not yet remediated:
    a failure to implement recommended measures once their period has passed on ``today``
    (§7.305(d)(2)(ii); rules.findings_signal)."""
    query = select(Assessment).where(Assessment.state == rules.AssessmentState.ISSUED.value)
    if provider_ids is not None:
        query = query.where(Assessment.provider_id.in_(list(provider_ids)))
    found: dict[int, list[RiskSignal]] = {}
    for assessment in db.session.execute(query).scalars():
        deadline = assessment.remediation_deadline
        found.setdefault(assessment.provider_id, []).append(
            rules.findings_signal(
                assessment.reference,
                len(assessment.findings),
                deadline.due_on if deadline else None,
                today,
            )
        )
    return found


# --- Downloads: each is a read the audit trail records, in the request's transaction ----------


def export_risk_queue(rows: list[dict[str, Any]], *, actor: User) -> list[tuple[Any, ...]]:
    """The queue's rows as a download's cells, in ``QUEUE_COLUMNS``; the download is an event."""
    record_event("export.risk_queue", actor=actor, after={"rows": len(rows)})
    return [tuple(row[column] for column in QUEUE_COLUMNS) for row in rows]


def download_assessment_report(assessment: Assessment, *, actor: User) -> None:
    record_event("export.assessment_report", actor=actor, subject=(ASSESSMENT, assessment.id))
