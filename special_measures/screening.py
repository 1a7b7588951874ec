"""Screening the parties named in filings against the special measures in force (§7.307;
docs/architecture.md §5): the basis of a run, the runs on AI reports and compiled reseller
certifications, the job that screens every foreign reseller again when a measure is issued or
extended, and the analysts' decisions on hits."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, Subquery, and_, cast, func, literal, or_, select

from core import signals
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.db import db, utcnow
from core.errors import DomainError, InvalidInput
from core.jobs import registry as job_registry
from core.jobs import services as jobs
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork, Progress
from core.jobs.services import JobRefused
from core.risk import RiskSignal
from core.wording import counted
from intake import services as intake
from intake.models import Filing, ForeignReseller, Provider
from special_measures import notices, rules
from special_measures.models import (
    ScreeningHit,
    ScreeningRun,
    SpecialMeasureCase,
)
from special_measures.rules import SubjectKind
from special_measures.services import CASE as MEASURE_SUBJECT
from special_measures.services import in_force_conditions, in_force_on

# --- Screening filings against the measures in force (docs/architecture.md §5) --------------------


def _screened_measure(case: SpecialMeasureCase) -> rules.ScreenedMeasure:
    names = tuple(n for n in (case.person_name, *case.aliases) if n)
    return rules.ScreenedMeasure(
        case_id=case.id,
        reference=case.reference,
        kind=case.kind,
        jurisdiction=case.jurisdiction if case.kind is SubjectKind.JURISDICTION else None,
        region=case.region,
        names=names,
        version=rules.measure_version(
            case.subject_kind, case.jurisdiction, case.region, names, case.measure_kind,
            case.conditions_text, case.last_day_on, case.revoked_on,
        ),
    )  # fmt: skip


@dataclass(frozen=True)
class ScreeningBasis:
    """What a run screens against: the measures in force on a day, and the parties already ruled
    out for each version of them. Read once when many providers are screened together."""

    relevant_on: date
    measures: list[rules.ScreenedMeasure]
    dismissed: frozenset[tuple[int, str, str]]  # (case id, measure version, normalised name)


def screening_basis(relevant_on: date) -> ScreeningBasis:
    measures = [_screened_measure(case) for case in in_force_on(relevant_on)]
    versions = {(m.case_id, m.version) for m in measures}
    rows = (
        db.session.execute(
            select(ScreeningHit.case_id, ScreeningHit.measure_version, ScreeningHit.party_key)
            .where(
                ScreeningHit.case_id.in_([m.case_id for m in measures]),
                ScreeningHit.measure_version.in_([m.version for m in measures]),
                ScreeningHit.decision == rules.HitDecision.NOT_A_MATCH.value,
            )
            .distinct()
        ).all()
        if measures
        else []
    )
    return ScreeningBasis(
        relevant_on=relevant_on,
        measures=measures,
        # A party decided "not a match" for this version of the measure does not come back.
        dismissed=frozenset(
            (case_id, version, key) for case_id, version, key in rows
            if (case_id, version) in versions
        ),
    )  # fmt: skip


def screen_parties(
    parties: list[rules.Party],
    *,
    provider_id: int,
    subject: tuple[str, object],
    relevant_on: date,
    actor: User | None,
    basis: ScreeningBasis | None = None,
    reason: str | None = None,
    job_id: int | None = None,
    kept: ScreeningRun | None = None,
) -> ScreeningRun:
    """Check parties against the measures in force on ``relevant_on`` and keep the evidence.
    ``kept`` is the run a screening job already stored for this provider: only hits it lacks
    are added to it, so the job's work done twice stores nothing twice."""
    basis = basis if basis is not None else screening_basis(relevant_on)
    assert basis.relevant_on == relevant_on
    measures = basis.measures
    found = [
        record
        for record in map(_hit_record, rules.screen(parties, measures))
        if (record.case_id, record.measure_version, record.party_key) not in basis.dismissed
    ]
    run = kept
    if run is None:
        run = ScreeningRun(
            provider_id=provider_id,
            subject_type=subject[0],
            subject_id=str(subject[1]),
            relevant_on=relevant_on,
            method=rules.MATCHING_METHOD,
            threshold=rules.NAME_MATCH_THRESHOLD,
            measures_json=[{"reference": m.reference, "version": m.version} for m in measures],
            parties_screened=len(parties),
            ran_by_id=actor.id if actor else None,
            job_id=job_id,
        )
        db.session.add(run)
        db.session.flush()
    else:
        stored = {_hit_key(hit) for hit in run.hits}
        found = [hit for hit in found if _hit_key(hit) not in stored]
        if not found:
            return run
    run.hits.extend(found)
    db.session.flush()
    notices.hits_found(run, found)
    record_event(
        "screening.run",
        actor=actor,
        subject=("screening_run", run.id),
        after={"subject": f"{subject[0]}:{subject[1]}", "on": relevant_on,
               "measures": len(measures), "parties": len(parties), "hits": len(run.hits),
               **({"reason": reason} if reason else {})},
    )  # fmt: skip
    return run


def _hit_record(hit: rules.Hit) -> ScreeningHit:
    return ScreeningHit(
        case_id=hit.measure.case_id,
        measure_version=hit.measure.version,
        party_kind=hit.party.kind,
        party_name=hit.party.name,
        party_key=rules.normalise_name(hit.party.name),
        party_jurisdiction=hit.party.jurisdiction,
        party_reference=hit.party.reference,
        matched_on=hit.matched_on,
        matched_text=hit.matched_text,
        score=hit.score,
    )


def _hit_key(hit: ScreeningHit) -> tuple[object, ...]:
    """What makes two hits of one run the same finding: the party, where it was named, and what
    of which version of the measure it matched."""
    return (hit.case_id, hit.measure_version, hit.party_reference, hit.party_key,
            hit.matched_on, hit.matched_text)  # fmt: skip


# intake's ForeignReseller.status of a relationship that has not ended (§7.303(e)).
ACTIVE_RESELLER = "active"
# How a reseller's hit names it: "reseller 12" (the registry's id).
RESELLER_REFERENCE = "reseller "


def _reseller_parties(provider: Provider) -> list[rules.Party]:
    active = intake.ResellerCriteria(status=ACTIVE_RESELLER)
    # Plain rows: a provider's tens of thousands of resellers as objects would cost the import
    # that screens them more than the rest of storing it, and would stay in the session.
    query = intake.resellers_query(provider, active).with_only_columns(
        ForeignReseller.id, ForeignReseller.name, ForeignReseller.jurisdiction
    )
    return [
        rules.Party(
            "foreign reseller", reseller.name, reseller.jurisdiction,
            f"{RESELLER_REFERENCE}{reseller.id}",
        )
        for reseller in db.session.execute(query)
    ]  # fmt: skip


def screen_provider_resellers(
    provider: Provider,
    *,
    relevant_on: date,
    actor: User | None,
    filing: Filing | None = None,
    basis: ScreeningBasis | None = None,
    reason: str | None = None,
) -> ScreeningRun:
    """A provider's active foreign resellers (§7.304(e)–(f)) against the measures in force."""
    subject = ("filing", filing.receipt_number) if filing else ("provider", provider.id)
    return screen_parties(
        _reseller_parties(provider),
        provider_id=provider.id,
        subject=subject,
        relevant_on=relevant_on,
        actor=actor,
        basis=basis,
        reason=reason,
    )


def rescreen_resellers(
    *,
    relevant_on: date,
    actor: User | None,
    reason: str,
    job_id: int | None = None,
    progress: Progress | None = None,
) -> list[ScreeningRun]:
    """Every provider's active foreign resellers screened again against the measures in force on
    ``relevant_on`` (docs/architecture.md §5): one run, with its evidence, per provider that has
    any; the measures and rulings-out are read once. Under a job, the runs it already stored are
    kept and completed rather than made again."""
    basis = screening_basis(relevant_on)
    active = ForeignReseller.status == ACTIVE_RESELLER
    providers = db.session.execute(
        select(Provider)
        .where(Provider.id.in_(select(ForeignReseller.provider_id).where(active).distinct()))
        .order_by(Provider.id)
    ).scalars()
    kept = (
        {
            run.provider_id: run
            for run in db.session.scalars(select(ScreeningRun).where(ScreeningRun.job_id == job_id))
        }
        if job_id is not None
        else {}
    )
    total = db.session.scalar(select(func.count()).select_from(ForeignReseller).where(active))
    runs: list[ScreeningRun] = []
    screened = reported = 0
    for provider in providers:
        runs.append(
            screen_parties(
                _reseller_parties(provider), provider_id=provider.id,
                subject=("provider", provider.id), relevant_on=relevant_on, actor=actor,
                basis=basis, reason=reason, job_id=job_id, kept=kept.get(provider.id),
            )
        )  # fmt: skip
        screened += runs[-1].parties_screened
        if progress is not None and screened - reported >= PROGRESS_EVERY:
            progress(checked=screened, total=total)
            reported = screened
    if progress is not None:
        progress(checked=screened, total=total)
    return runs


# --- The screening job that follows a measure's issuance or extension -----------------------

RESCREEN_JOB = "special_measure_rescreen"
# Foreign resellers screened between two reports of the job's progress to its page.
PROGRESS_EVERY = 2_000


def queue_rescreen(case: SpecialMeasureCase, *, relevant_on: date, event: str, actor: User) -> Job:
    """Queue the screening of every active foreign reseller against the measures in force on
    ``relevant_on``, which ``case`` has just changed (§7.307): the job worker does it, so the
    step that issued or extended the measure answers at once."""
    return jobs.enqueue(
        RESCREEN_JOB,
        subject=(MEASURE_SUBJECT, case.id),
        arguments={"relevant_on": relevant_on.isoformat(), "reason": f"{case.reference} {event}"},
        actor=actor,
    )


def run_rescreen(job: Job, work: JobWork) -> str:
    """The job's work, in its one transaction: all the runs or none. Done again (a worker that
    died, a retry), it completes the runs it finds and so stores nothing twice."""
    case = db.session.get(SpecialMeasureCase, job.subject_id)
    arguments = job.arguments or {}
    if case is None or "relevant_on" not in arguments:
        raise JobRefused(f"special-measure case {job.subject_id} or its screening day is missing")
    relevant_on = date.fromisoformat(arguments["relevant_on"])
    runs = rescreen_resellers(
        relevant_on=relevant_on, actor=job.requested_by, reason=arguments.get("reason", ""),
        job_id=job.id, progress=work.progress,
    )  # fmt: skip
    screened = sum(run.parties_screened for run in runs)
    hits = sum(len(run.hits) for run in runs)
    mine = sum(1 for run in runs for hit in run.hits if hit.case_id == case.id)
    measures = len(runs[0].measures_json) if runs else len(in_force_on(relevant_on))
    return (
        f"Screened {counted(screened, 'active foreign reseller')} of "
        f"{counted(len(runs), 'provider')} against the {counted(measures, 'measure')} in force "
        f"on {relevant_on.isoformat()}: {counted(hits, 'hit')}, {mine:,} on {case.reference}."
    )


def _rescreen_page(job: Job) -> tuple[str, dict[str, object]]:
    return "special_measures.case", {"case_id": job.subject_id}


job_registry.register(
    JobKind(
        RESCREEN_JOB,
        label="Screening of every foreign reseller against the measures in force (§7.307)",
        run=run_rescreen,
        subject_page=_rescreen_page,
    )
)


@dataclass(frozen=True)
class MeasureScreening:
    """One screening a measure's issuance or extension queued, as its page shows it: the job,
    and once it has ended, the hits on this measure it found (the first ``HITS_SHOWN``)."""

    job: Job
    hits: list[tuple[ScreeningHit, Provider]]
    hit_count: int
    # Foreign resellers screened so far, and in all, while the job runs.
    screened: int | None = None
    total: int | None = None


HITS_SHOWN = 100


def screenings_of(case: SpecialMeasureCase) -> list[MeasureScreening]:
    """The screenings queued for ``case``, newest first."""
    queued = db.session.scalars(
        select(Job)
        .where(
            Job.kind == RESCREEN_JOB,
            Job.subject_type == MEASURE_SUBJECT,
            Job.subject_id == case.id,
        )
        .order_by(Job.id.desc())
    ).all()
    screenings = []
    for job in queued:
        found = (ScreeningRun.job_id == job.id, ScreeningHit.case_id == case.id)
        count = db.session.scalar(
            select(func.count(ScreeningHit.id))
            .select_from(ScreeningHit)
            .join(ScreeningRun)
            .where(*found)
        )
        hits = db.session.execute(
            select(ScreeningHit, Provider)
            .select_from(ScreeningHit)
            .join(ScreeningRun)
            .join(Provider, Provider.id == ScreeningRun.provider_id)
            .where(*found)
            .order_by(ScreeningHit.id)
            .limit(HITS_SHOWN)
        ).all()
        progress = jobs.live_progress(job)
        screenings.append(
            MeasureScreening(
                job=job, hits=[(hit, provider) for hit, provider in hits], hit_count=count or 0,
                screened=progress["checked"], total=progress["total"],
            )
        )  # fmt: skip
    return screenings


def on_reseller_certification(*, filing: Filing, actor: User | None, **_: object) -> None:
    """A compiled foreign-reseller certification is screened as of the day it was received."""
    screen_provider_resellers(
        filing.provider, relevant_on=filing.received_on, actor=actor, filing=filing
    )


def on_ai_report(
    *, filing: Filing, actor: User | None, parties: list[dict[str, str | None]], **_: object
) -> None:
    """The foreign person, its other names and its beneficial owners in an AI training report
    (§7.308(d)(1)(i)) against the measures in force on the day the report was received."""
    screen_parties(
        [
            rules.Party(str(party["kind"]), str(party["name"]), party.get("jurisdiction"),
                        f"filing {filing.receipt_number}", party.get("region"))
            for party in parties
            if party.get("name")
        ],
        provider_id=filing.provider_id,
        subject=("filing", filing.receipt_number),
        relevant_on=filing.received_on,
        actor=actor,
    )  # fmt: skip


def runs_for(subject_type: str, subject_id: object) -> list[ScreeningRun]:
    return list(
        db.session.execute(
            select(ScreeningRun)
            .where(
                ScreeningRun.subject_type == subject_type,
                ScreeningRun.subject_id == str(subject_id),
            )
            .order_by(ScreeningRun.id.desc())
        ).scalars()
    )


def _open_hits(today: date, provider_id: int | None = None, *, undecided: bool = False) -> Subquery:
    """The hits that stand on ``today``, one per party, measure and provider, as a subquery
    (columns ``id``, ``provider_id``, ``party_key``); with ``undecided``, only those nobody
    has decided yet.

    Only a measure in force that day counts: one lapsed (§7.307(a)(5)) or revoked no longer
    does; nor does a foreign reseller whose relationship has ended (§7.303(e)). A party screened
    more than once stands as the latest screening left it: the newest version of the measure it
    was screened against, and within that version a decision taken over a later undecided
    repeat. It is open unless that decision is "not a match" (docs/architecture.md §5)."""
    reseller_reference = literal(RESELLER_REFERENCE, String) + cast(ForeignReseller.id, String)
    party = (
        ScreeningRun.provider_id,
        ScreeningHit.case_id,
        ScreeningHit.party_key,
        ScreeningHit.party_reference,
    )
    screened = (
        select(
            ScreeningHit.id,
            ScreeningHit.measure_version,
            ScreeningHit.decision,
            *party,
            func.first_value(ScreeningHit.measure_version)
            .over(partition_by=party, order_by=ScreeningHit.id.desc())
            .label("newest_version"),
        )
        .join(ScreeningRun)
        .join(SpecialMeasureCase, SpecialMeasureCase.id == ScreeningHit.case_id)
        .outerjoin(
            ForeignReseller,
            and_(
                ForeignReseller.provider_id == ScreeningRun.provider_id,
                ScreeningHit.party_reference == reseller_reference,
            ),
        )
        .where(
            *in_force_conditions(today),
            or_(ForeignReseller.id.is_(None), ForeignReseller.status == ACTIVE_RESELLER),
        )
    )
    if provider_id is not None:
        screened = screened.where(ScreeningRun.provider_id == provider_id)
    screened_sq = screened.subquery()
    standing = (
        select(
            screened_sq.c.id,
            screened_sq.c.provider_id,
            screened_sq.c.party_key,
            screened_sq.c.decision,
            func.row_number()
            .over(
                partition_by=[screened_sq.c[column.key] for column in party],
                order_by=(screened_sq.c.decision.is_(None), screened_sq.c.id.desc()),
            )
            .label("rank"),
        )
        .where(screened_sq.c.measure_version == screened_sq.c.newest_version)
        .subquery()
    )
    still_open = (
        standing.c.decision.is_(None)
        if undecided
        else or_(
            standing.c.decision.is_(None),
            standing.c.decision != rules.HitDecision.NOT_A_MATCH.value,
        )
    )
    return (
        select(standing.c.id, standing.c.provider_id, standing.c.party_key)
        .where(standing.c.rank == 1, still_open)
        .subquery()
    )


def undecided_hits(
    today: date, *, provider_id: int | None = None, case_id: int | None = None
) -> Select[tuple[ScreeningHit, ScreeningRun, Provider, SpecialMeasureCase]]:
    """Every hit nobody has decided yet, across providers, that still stands on ``today`` (as
    ``_open_hits`` reads a party screened more than once), with its run, provider and measure:
    the office's queue of hits to decide (§7.307; docs/architecture.md §5)."""
    standing = _open_hits(today, provider_id, undecided=True)
    query = (
        select(ScreeningHit, ScreeningRun, Provider, SpecialMeasureCase)
        .join(standing, standing.c.id == ScreeningHit.id)
        .join(ScreeningRun, ScreeningRun.id == ScreeningHit.run_id)
        .join(Provider, Provider.id == ScreeningRun.provider_id)
        .join(SpecialMeasureCase, SpecialMeasureCase.id == ScreeningHit.case_id)
    )
    return query.where(ScreeningHit.case_id == case_id) if case_id is not None else query


def undecided_hit_filters(today: date) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The providers and the measures that have undecided hits, by name and by reference: what
    the queue may be narrowed to."""
    hits = undecided_hits(today)
    providers = db.session.execute(
        hits.with_only_columns(Provider.id, Provider.legal_name)
        .distinct()
        .order_by(Provider.legal_name)
    ).all()
    measures = db.session.execute(
        hits.with_only_columns(SpecialMeasureCase.id, SpecialMeasureCase.reference)
        .distinct()
        .order_by(SpecialMeasureCase.reference)
    ).all()
    return [tuple(row) for row in providers], [tuple(row) for row in measures]


def open_hits_for_provider(provider_id: int, today: date) -> list[ScreeningHit]:
    """Hits not ruled out against measures in force on ``today``: what the provider's page lists
    and what the risk score reads."""
    standing = _open_hits(today, provider_id)
    return list(
        db.session.execute(
            select(ScreeningHit)
            .join(standing, standing.c.id == ScreeningHit.id)
            .order_by(ScreeningHit.id.desc())
        ).scalars()
    )


def risk_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Per provider asked about (None: every one): parties in its filings matching a measure in
    force on ``today``, not ruled out — use by foreign malicious cyber actors, §7.305(d)(1)(i)."""
    standing = _open_hits(today)
    query = select(standing.c.provider_id, func.count(func.distinct(standing.c.party_key)))
    if provider_ids is not None:
        query = query.where(standing.c.provider_id.in_(list(provider_ids)))
    counts = db.session.execute(query.group_by(standing.c.provider_id)).all()
    return {
        provider_id: [
            RiskSignal(
                criterion="§7.305(d)(1)(i)",
                kind="special_measure_hit",
                count=parties,
                explanation=f"{parties} foreign reseller(s) or customer(s) matching a special "
                "measure in force (§7.307), not ruled out",
            )
        ]
        for provider_id, parties in counts
    }


def get_run(run_id: int) -> ScreeningRun | None:
    return db.session.get(ScreeningRun, run_id)


def get_hit(hit_id: int) -> ScreeningHit | None:
    return db.session.get(ScreeningHit, hit_id)


def decide_hit(hit: ScreeningHit, *, decision: rules.HitDecision, reason: str, actor: User) -> None:
    if actor.role_enum not in (Role.ANALYST, Role.REVIEWER):
        raise DomainError("Only an analyst or a reviewer decides a screening hit.")
    if not reason.strip():
        raise InvalidInput({"reason": ["Give the reason for the decision."]})
    before = {"decision": hit.decision, "reason": hit.decision_reason}
    hit.decision, hit.decision_reason = decision.value, reason.strip()
    hit.decided_by_id, hit.decided_at = actor.id, utcnow()
    record_event(
        "screening.decide",
        actor=actor,
        subject=("screening_hit", hit.id),
        before=before,
        after={"decision": hit.decision, "reason": hit.decision_reason},
    )
    db.session.flush()
    # A confirmed hit weighs on the provider's score (§7.305(d)(1)(i)); a cleared one no longer.
    signals.send(signals.provider_facts_changed, provider_ids=[hit.run.provider_id])
