"""Special-measure use cases: referral, evaluation, consultation, determination, issuance,
notices to Congress, extension, revocation, and the list of measures in force (§7.307)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy import case as sql_case

from core import clocks, counters
from core.approvals import services as approvals
from core.approvals.models import Review
from core.approvals.rules import ReviewState
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.models import Consultation
from core.consultations.rules import Purpose
from core.db import db
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.ownership import services as ownership
from core.parameters import services as parameters
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake import services as intake
from intake.models import Filing
from special_measures import rules
from special_measures.models import (
    CongressionalNotice,
    FactorAssessment,
    MeasureAction,
    SpecialMeasureCase,
)
from special_measures.rules import CaseState, MeasureKind, ReferralSource, SubjectKind

CASE = "special_measure"
ACTION = "special_measure_action"
EARLIEST_COMPLIANCE_CLOCK = "special_measure.earliest_compliance"
EXPIRY_CLOCK = "special_measure.expiry"
EXTENDED_EXPIRY_CLOCK = "special_measure.extended_expiry"
PUBLICATION_PARAMETER = "special_measure.effect_after_publication_days"
DRAFTERS = frozenset({Role.ANALYST})
DRAFT_EDITED = "special_measure.draft_edited"


def require_drafter(actor: User) -> None:
    if actor.role_enum not in DRAFTERS:
        raise DomainError("Only an analyst drafts special-measure cases.")


def move_case(case: SpecialMeasureCase, wanted: CaseState, actor: User, **details: Any) -> None:
    change_state(case, wanted, rules.ALLOWED, subject_type=CASE, actor=actor, **details)


def rescreen(case: SpecialMeasureCase, *, relevant_on: date, actor: User, event: str) -> None:
    """A measure issued or extended changes what resellers are screened against (§7.307). The
    job worker screens them all, in a job queued in this step's transaction: tens of thousands
    of resellers take seconds, which the step does not wait for."""
    # Screening reads the measures in force from this module, so it is imported here, when a
    # measure changes, rather than with the module.
    from special_measures import screening

    screening.queue_rescreen(case, relevant_on=relevant_on, event=event, actor=actor)


# --- Referral (§7.307(a)(2)) -------------------------------------------------------------------


@dataclass
class Referral:
    source: ReferralSource
    received_on: date
    summary: str
    subject_kind: SubjectKind
    referring_agency: str = ""
    referring_provider_id: int | None = None
    jurisdiction: str = ""
    region: str = ""
    person_name: str = ""
    aliases: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    related_receipts: list[str] = field(default_factory=list)


def _referral_problems(referral: Referral, today: date) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if referral.received_on > today:
        add("received_on", "The referral cannot have been received on a future date.")
    if referral.source is ReferralSource.AGENCY and not referral.referring_agency.strip():
        add("referring_agency", "Name the department or agency that referred it.")
    if referral.source is ReferralSource.PROVIDER and referral.referring_provider_id is None:
        add("referring_provider_id", "Choose the provider that referred it.")
    if referral.subject_kind is SubjectKind.JURISDICTION and not referral.jurisdiction:
        add("jurisdiction", "Choose the foreign jurisdiction.")
    if referral.subject_kind is SubjectKind.PERSON and not referral.person_name.strip():
        add("person_name", "Give the foreign person's full legal or business name.")
    if problem := referral.jurisdiction and rules.jurisdiction_problem(referral.jurisdiction):
        add("jurisdiction", problem)
    if referral.region and not referral.jurisdiction:
        add("region", "Choose the country the region belongs to.")
    elif problem := referral.region and rules.region_problem(
        referral.jurisdiction, referral.region
    ):
        add("region", problem)
    unknown = [r for r in referral.related_receipts if intake.get_filing(r) is None]
    if unknown:
        add("related_receipts", f"No filing has the receipt number {', '.join(unknown)}.")
    return problems


def open_case(referral: Referral, *, actor: User, today: date) -> SpecialMeasureCase:
    require_drafter(actor)
    if problems := _referral_problems(referral, today):
        raise InvalidInput(problems)
    case = SpecialMeasureCase(
        reference=counters.next_reference("SM", today.year, digits=4),
        created_by_id=actor.id,
        source=referral.source.value,
        referring_agency=referral.referring_agency.strip() or None,
        referring_provider_id=referral.referring_provider_id
        if referral.source is ReferralSource.PROVIDER
        else None,
        referral_received_on=referral.received_on,
        referral_summary=referral.summary.strip(),
        subject_kind=referral.subject_kind.value,
        jurisdiction=referral.jurisdiction or None,
        region=referral.region.strip() or None,
        person_name=referral.person_name.strip() or None,
        aliases=list(referral.aliases),
        identifiers=list(referral.identifiers),
        related_receipts=list(referral.related_receipts),
    )
    db.session.add(case)
    db.session.flush()
    record_event(
        "special_measure.referral",
        actor=actor,
        subject=(CASE, case.id),
        after={
            "reference": case.reference,
            "source": case.source,
            "subject": case.subject_label,
            "received_on": case.referral_received_on,
        },
    )
    ownership.set_on_opening("special_measure", case, actor)
    return case


def get_case(case_id: int) -> SpecialMeasureCase | None:
    return db.session.get(SpecialMeasureCase, case_id)


def all_cases(*, owned: ColumnElement[bool] | None = None) -> list[SpecialMeasureCase]:
    return ownership.newest_first(SpecialMeasureCase, owned)


def cases_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The cases' list (§7.307): every referral, newest first."""
    return ownership.cases_query(SpecialMeasureCase, owned)


# A case's subject as its list sorts it: a person's name, else the jurisdiction and region
# (``SpecialMeasureCase.subject_label``), A to Z whatever the case of the letters.
SUBJECT_SORT = (
    func.lower(
        sql_case(
            (SpecialMeasureCase.subject_kind == SubjectKind.PERSON, SpecialMeasureCase.person_name),
            else_=SpecialMeasureCase.jurisdiction,
        )
    ),
    func.lower(func.coalesce(SpecialMeasureCase.region, "")),
)


def related_filings(case: SpecialMeasureCase) -> list[Filing]:
    return [filing for r in case.related_receipts if (filing := intake.get_filing(r)) is not None]


def close_case(case: SpecialMeasureCase, *, reasons: str, actor: User) -> None:
    """The evaluation may end without a measure (§7.307(a)(2): "whether to impose")."""
    require_drafter(actor)
    if not reasons.strip():
        raise InvalidInput({"reasons": ["Say why no measure will be imposed."]})
    move_case(case, CaseState.CLOSED, actor, reasons=reasons.strip())
    case.closed_reason = reasons.strip()
    approvals.withdraw_from_review(CASE, case.id, actor=actor, reason="case closed")
    db.session.flush()


# --- Factors (§7.307(b)(3), (b)(4)) --------------------------------------------------------------


def require_offered(
    action: str,
    case: SpecialMeasureCase,
    message: str,
    today: date | None = None,
    **explain: str,
) -> None:
    """Refuse what the case page does not offer now (rules.ACTIONS)."""
    workflow.check_action(
        rules.ACTIONS,
        action,
        case.state_enum,
        facts_of(case, today),
        message=message,
        explain=explain,
    )


def facts_of(
    case: SpecialMeasureCase, today: date | None = None, user: User | None = None
) -> dict[str, bool]:
    """What the actions of rules.ACTIONS need to know beyond the case's state, for ``user``
    (whether the drafted determination is theirs)."""
    own = approvals.own_draft_facts(case.drafted_by, user)
    if case.state_enum is not CaseState.ISSUED:
        return own
    status = status_of(case, today or clocks.office_today())
    return {
        **own,
        rules.IN_EFFECT: status is rules.MeasureStatus.IN_EFFECT,
        rules.NONE_PENDING: not any(action_pending(a) for a in case.actions),
    }


def require_editable(case: SpecialMeasureCase, action: str, actor: User) -> None:
    """Refuse a case past drafting, and anyone but the author of its drafted determination."""
    approvals.require_own_draft(
        rules.ACTIONS, action, case.state_enum, author=case.drafted_by, actor=actor,
        facts=facts_of(case),
        message=f"The case is {case.state}; it can change only after the reviewer returns it."
        if case.state_enum in (CaseState.IN_REVIEW, CaseState.APPROVED)
        else f"The case is {case.state}; its evaluation and determination are final.",
    )  # fmt: skip


def _save_factors(
    case: SpecialMeasureCase, entries: dict[str, tuple[str, str]], actor: User
) -> None:
    existing = {factor.code: factor for factor in case.factors}
    changed = {}
    for code, (reasons, evidence) in entries.items():
        factor = existing.get(code)
        if factor is None:
            factor = FactorAssessment(code=code)
            case.factors.append(factor)
        if (factor.reasons, factor.evidence) != (reasons.strip(), evidence.strip()):
            factor.reasons, factor.evidence = reasons.strip(), evidence.strip()
            changed[code] = factor.reasons
    if changed:
        record_event("special_measure.factors", actor=actor, subject=(CASE, case.id), after=changed)


def check_evaluation_open(case: SpecialMeasureCase, actor: User) -> None:
    """Refuse the evaluation's form where the page does not offer it to ``actor``."""
    require_drafter(actor)
    require_editable(case, "evaluation", actor)


def save_evaluation(
    case: SpecialMeasureCase, entries: dict[str, tuple[str, str]], *, actor: User
) -> None:
    """The factors of §7.307(b)(3)(i) or (ii), each with reasons and evidence."""
    check_evaluation_open(case, actor)
    allowed = {factor.code for factor in rules.evaluation_factors(case.kind)}
    _save_factors(case, {c: e for c, e in entries.items() if c in allowed}, actor)
    if case.state_enum is CaseState.REFERRED:
        move_case(case, CaseState.EVALUATION, actor)
    db.session.flush()


def missing_evaluation(case: SpecialMeasureCase) -> list[rules.Factor]:
    return rules.unassessed(rules.evaluation_factors(case.kind), case.reasons)


# --- Consultation (§7.307(c)) -----------------------------------------------------------------


def request_case_consultations(
    case: SpecialMeasureCase,
    *,
    summary: str,
    respond_by: date,
    optional_agencies: tuple[str, ...],
    actor: User,
    today: date,
) -> None:
    require_drafter(actor)
    require_offered(
        "request_consultations",
        case,
        f"This case is {case.state}; the agencies are consulted once the evaluation is under "
        "way and before the determination is drafted (§7.307(c)).",
    )
    if missing := missing_evaluation(case):
        raise DomainError(
            "Assess every factor before consulting: "
            + "; ".join(factor.citation for factor in missing)
        )
    consultations.request_consultations(
        Purpose.SPECIAL_MEASURE,
        (CASE, case.id),
        label=f"{case.reference}: {case.subject_label}",
        summary=summary,
        requested_on=today,
        respond_by=respond_by,
        actor=actor,
        optional_agencies=optional_agencies,
    )
    move_case(case, CaseState.CONSULTATION, actor)
    db.session.flush()


def missing_positions(case: SpecialMeasureCase) -> list[str]:
    return consultations.missing_positions(Purpose.SPECIAL_MEASURE, CASE, case.id)


def positions_final(case_id: str) -> str | None:
    """Registered with the consultations kernel: why an agency's position on this case can no
    longer be recorded or changed, or None while it still may."""
    case = get_case(int(case_id))
    if case is None:
        return None
    return rules.positions_final(
        case.state_enum, reference=case.reference, issued_on=case.issued_on
    )


def on_position_recorded(*, consultation: Consultation, actor: User, **_: object) -> None:
    """The determination rests on the positions: one changed after approval voids the approval
    and sends the draft back (docs/architecture.md §5)."""
    if consultation.subject_type == CASE and (case := get_case(int(consultation.subject_id))):
        _void_approval_if_changed(case, actor)


# --- Determination (§7.307(a)(3)–(4), (b)(1)–(2), (b)(4)) --------------------------------------


@dataclass
class DeterminationDraft:
    evaluation_summary: str
    measure_kind: MeasureKind
    conditions: str
    consistency: str
    compliance_on: date
    selection: dict[str, tuple[str, str]]


def _earliest_compliance_days(on: date) -> int | None:
    """The rule parameter in force on ``on`` (§7.307(a)(6)); the catalogue holds the default."""
    return deadlines.period_for(clocks.get(EARLIEST_COMPLIANCE_CLOCK), on, None)


def dates_if_issued(issued_on: date) -> rules.DeterminationDates:
    return rules.determination_dates(
        issued_on, earliest_compliance_days=_earliest_compliance_days(issued_on)
    )


def check_determination_open(case: SpecialMeasureCase, actor: User) -> None:
    """Refuse the determination's form where the page does not offer it to ``actor``."""
    require_drafter(actor)
    if case.state_enum in (CaseState.REFERRED, CaseState.EVALUATION):
        raise IllegalTransition(
            "Draft the determination once the agencies have been consulted (§7.307(c))."
        )
    require_editable(case, "determination", actor)


def save_determination(
    case: SpecialMeasureCase, draft: DeterminationDraft, *, actor: User, today: date
) -> None:
    check_determination_open(case, actor)
    problems: dict[str, list[str]] = {}
    if draft.measure_kind is MeasureKind.CONDITIONS and not draft.conditions.strip():
        problems["conditions"] = ["State the conditions imposed."]
    try:
        # Issuance is today at the earliest, so the compliance date can be checked already.
        rules.check_compliance_date(draft.compliance_on, dates_if_issued(today))
    except rules.ComplianceDateTooEarly as refusal:
        problems["compliance_on"] = [str(refusal)]
    if problems:
        raise InvalidInput(problems)
    revised, before = case.measure_kind is not None, determination_content(case)
    case.evaluation_summary = draft.evaluation_summary.strip()
    case.measure_kind = draft.measure_kind.value
    case.conditions_text = (
        draft.conditions.strip() if draft.measure_kind is MeasureKind.CONDITIONS else None
    )
    case.consistency_text = draft.consistency.strip()
    case.compliance_on = draft.compliance_on
    case.drafted_by_id = actor.id
    allowed = {factor.code for factor in rules.SELECTION_FACTORS}
    _save_factors(case, {c: e for c, e in draft.selection.items() if c in allowed}, actor)
    record_event(
        "special_measure.draft",
        actor=actor,
        subject=(CASE, case.id),
        after={
            "measure": case.measure_kind,
            "conditions": case.conditions_text,
            "compliance_on": case.compliance_on,
        },
    )
    if case.state_enum is CaseState.CONSULTATION:
        move_case(case, CaseState.DRAFTED, actor)
    if revised:
        # The author's change, sealed before and after with the hash an approval binds to.
        approvals.revise_draft(
            (CASE, case.id), event=DRAFT_EDITED, before=before,
            after=determination_content(case), content=determination_content(case), actor=actor,
        )  # fmt: skip
    db.session.flush()


def determination_content(case: SpecialMeasureCase) -> dict[str, Any]:
    """What a reviewer approves: every word and date of the draft (docs/architecture.md §5)."""
    return {
        "subject": [case.subject_kind, case.jurisdiction, case.region, case.person_name],
        # Joined as the aliases were once kept, so that approvals given before stay matched.
        "aliases": "\n".join(case.aliases),
        "factors": {factor.code: [factor.reasons, factor.evidence] for factor in case.factors},
        "summary": case.evaluation_summary,
        "measure": [case.measure_kind, case.conditions_text],
        "consistency": case.consistency_text,
        "compliance_on": case.compliance_on,
        # The determination rests on the agencies' positions (§7.307(c)): a position changed
        # after approval voids it (docs/architecture.md §5).
        "positions": consultations.positions(CASE, case.id),
    }


def _void_approval_if_changed(case: SpecialMeasureCase, actor: User) -> None:
    if case.state_enum is CaseState.APPROVED and approvals.void_if_changed(
        CASE, case.id, determination_content(case), actor=actor
    ):
        move_case(case, CaseState.DRAFTED, actor, reason="changed after approval")


def draft_gaps(case: SpecialMeasureCase) -> list[str]:
    """What still stands between the draft and review (docs/architecture.md §5 preconditions)."""
    gaps = [f"Assess {factor.citation}." for factor in missing_evaluation(case)]
    gaps += [
        f"Weigh {factor.citation}."
        for factor in rules.unassessed(rules.SELECTION_FACTORS, case.reasons)
    ]
    gaps += [f"Record the position of {agency} (§7.307(c))." for agency in missing_positions(case)]
    if not case.measure_kind:
        gaps.append("Choose the measure and the compliance date.")
    if not (case.evaluation_summary or "").strip():
        gaps.append("Summarise the evaluation (§7.307(a)(3)).")
    if not (case.consistency_text or "").strip():
        gaps.append("Explain how the determination is consistent with E.O. 13984 (§7.307(a)(4)).")
    return gaps


def submit_determination(case: SpecialMeasureCase, *, actor: User) -> Review:
    require_drafter(actor)
    require_offered(
        "submit", case, f"Only a drafted determination can go to review; this case is {case.state}."
    )
    if gaps := draft_gaps(case):
        raise DomainError("Not ready for review: " + " ".join(gaps))
    review = approvals.submit_record(
        case, CaseState.IN_REVIEW, rules.ALLOWED, subject_type=CASE,
        label=f"Determination {case.reference}: {case.subject_label}",
        content=determination_content(case), actor=actor,
    )  # fmt: skip
    db.session.flush()
    return review


def decide_determination(
    case: SpecialMeasureCase, *, approve: bool, comments: str, actor: User
) -> None:
    nothing = f"There is no determination waiting for review: this case is {case.state}."
    require_offered("decide", case, nothing)
    approvals.decide_record(
        case, rules.ALLOWED, subject_type=CASE, approve=approve, comments=comments, actor=actor,
        content=determination_content(case), approved=CaseState.APPROVED,
        returned=CaseState.DRAFTED, nothing=nothing,
    )  # fmt: skip
    db.session.flush()


def issue_determination(
    case: SpecialMeasureCase, *, issued_on: date, actor: User, today: date
) -> rules.DeterminationDates:
    """The measure is imposed on issuance (§7.307(a)(4)); the clocks open the same day."""
    if actor.role_enum not in (Role.ANALYST, Role.REVIEWER):
        raise DomainError("Only an analyst or a reviewer records the issuance.")
    refusal = "Only a determination approved as it stands can be issued."
    require_offered("issue", case, refusal)
    review = approvals.latest_review(CASE, case.id)
    if review is None or not approvals.approval_holds(CASE, case.id, determination_content(case)):
        raise IllegalTransition(refusal)
    assert review.decided_at is not None and case.compliance_on is not None
    problems: dict[str, list[str]] = {}
    approved_on = clocks.office_today(review.decided_at)
    if problem := rules.issuance_problem(issued_on, approved_on=approved_on, today=today):
        problems["issued_on"] = [problem]
    dates = dates_if_issued(issued_on)
    try:
        rules.check_compliance_date(case.compliance_on, dates)
    except rules.ComplianceDateTooEarly as refusal:
        problems.setdefault("issued_on", []).append(
            f"{refusal} Return the draft to set a later compliance date."
        )
    if problems:
        raise InvalidInput(problems)
    days = _earliest_compliance_days(issued_on)
    case.issued_on, case.issued_by_id = issued_on, actor.id
    case.earliest_compliance_on = dates.earliest_compliance_on
    case.earliest_compliance_computation = clocks.explain(
        EARLIEST_COMPLIANCE_CLOCK, issued_on, days=days
    )
    case.original_last_day_on = case.last_day_on = dates.last_day_in_effect
    case.expiry_computation = clocks.explain(EXPIRY_CLOCK, issued_on)
    move_case(case, CaseState.ISSUED, actor, issued_on=issued_on)
    prepare_notices(case, None, start_on=issued_on, actor=actor)
    _open_expiry_deadline(case, actor)
    db.session.flush()
    rescreen(case, relevant_on=issued_on, actor=actor, event="issued")
    return dates


def record_publication(
    case: SpecialMeasureCase,
    *,
    federal_register_citation: str,
    published_on: date,
    actor: User,
    today: date,
) -> None:
    """The determination's publication in the Federal Register. The measure was imposed on
    issuance (§7.307(a)(4)); the date is kept because the NPRM preamble (IV(3)(A)) speaks of
    effect from publication."""
    require_offered("publication", case, "Only an issued determination is published.", today)
    assert case.issued_on is not None
    if published_on < case.issued_on or published_on > today:
        raise InvalidInput(
            {"published_on": [f"Choose a day from issuance ({case.issued_on}) to today."]}
        )
    before = {"citation": case.federal_register_citation, "published_on": case.published_on}
    case.federal_register_citation = federal_register_citation.strip()
    case.published_on = published_on
    record_event(
        "special_measure.published",
        actor=actor,
        subject=(CASE, case.id),
        before=before,
        after={"citation": case.federal_register_citation, "published_on": published_on},
    )
    db.session.flush()


def publication_note(case: SpecialMeasureCase) -> str | None:
    """The rule text and the preamble disagree on when a measure takes effect; the value in force
    and its note are shown next to the dates (docs/architecture.md §4)."""
    if case.issued_on is None:
        return None
    row = parameters.row_in_force(PUBLICATION_PARAMETER, case.issued_on)
    return row.note if row else None


# --- The last day in effect, on the deadline board (§7.307(a)(5)) -------------------------------


def _open_expiry_deadline(case: SpecialMeasureCase, actor: User) -> Deadline:
    """The measure lapses after its last day unless an extension is published by then
    (§7.307(a)(5)); the board warns as that day nears."""
    assert case.issued_on is not None
    return deadlines.open_deadline(
        EXPIRY_CLOCK,
        subject=(CASE, case.id),
        subject_label=f"{case.reference}: last day in effect of the measure on "
        f"{case.subject_label}; publish any extension by then",
        start_on=case.issued_on,
        actor=actor,
    )


def expiry_deadline(case: SpecialMeasureCase) -> Deadline | None:
    """The open expiry clock of an issued measure (or of its latest extension), if any."""
    return next(
        (
            deadline
            for deadline in deadlines.deadlines_for_subject(CASE, case.id)
            if deadline.clock_key in (EXPIRY_CLOCK, EXTENDED_EXPIRY_CLOCK) and deadline.is_open
        ),
        None,
    )


def open_extended_expiry_deadline(
    case: SpecialMeasureCase, prior_last_day: date, actor: User
) -> Deadline:
    """The additional period an extension finds necessary begins the day after the last day
    in effect and ends on the new last day (§7.307(a)(5)); the board warns again."""
    assert case.last_day_on is not None
    return deadlines.open_deadline(
        EXTENDED_EXPIRY_CLOCK,
        subject=(CASE, case.id),
        subject_label=f"{case.reference}: last day in effect of the extended measure on "
        f"{case.subject_label}; publish any further extension by then",
        start_on=prior_last_day + timedelta(days=1),
        days=(case.last_day_on - prior_last_day).days,
        actor=actor,
    )


def meet_expiry_deadline(case: SpecialMeasureCase, *, met_on: date, actor: User, note: str) -> None:
    if (deadline := expiry_deadline(case)) is not None:
        deadlines.meet_deadline(deadline, met_on=met_on, actor=actor, note=note)


# --- Notices to Congress (§7.307(d)) ------------------------------------------------------------


def _last_addressee(committee: str) -> str | None:
    return db.session.execute(
        select(CongressionalNotice.addressee)
        .where(CongressionalNotice.committee == committee)
        .order_by(CongressionalNotice.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def prepare_notices(
    case: SpecialMeasureCase, action: MeasureAction | None, *, start_on: date, actor: User
) -> None:
    for committee in rules.COMMITTEES:
        what = "extension" if action else "determination"
        deadline = deadlines.open_deadline(
            "special_measure.congress_notice",
            subject=(CASE, case.id),
            subject_label=f"{case.reference} {what}: letter to the {committee.chamber} "
            f"{committee.name}",
            start_on=start_on,
            actor=actor,
        )
        notice = CongressionalNotice(
            case_id=case.id,
            action_id=action.id if action else None,
            committee=committee.key,
            addressee=_last_addressee(committee.key) or committee.chair_default,
            prepared_on=start_on,
            deadline_id=deadline.id,
        )
        db.session.add(notice)
        db.session.flush()
        record_event(
            "special_measure.notice_prepared",
            actor=actor,
            subject=("congressional_notice", notice.id),
            after={"committee": committee.key, "due_on": deadline.due_on},
        )


def get_notice(notice_id: int) -> CongressionalNotice | None:
    return db.session.get(CongressionalNotice, notice_id)


def set_addressee(notice: CongressionalNotice, addressee: str, *, actor: User) -> None:
    if notice.sent_on is not None:
        raise IllegalTransition("The letter has been sent; its addressee is part of the record.")
    before = notice.addressee
    notice.addressee = addressee.strip()
    record_event(
        "special_measure.notice_addressee",
        actor=actor,
        subject=("congressional_notice", notice.id),
        before={"addressee": before},
        after={"addressee": notice.addressee},
    )
    db.session.flush()


def record_notice_sent(
    notice: CongressionalNotice, *, sent_on: date, sent_how: str, actor: User, today: date
) -> None:
    if notice.sent_on is not None:
        raise IllegalTransition(
            f"This letter was recorded as sent on {notice.sent_on.isoformat()}."
        )
    try:
        rules.check_sent_on(sent_on, prepared_on=notice.prepared_on, today=today)
    except rules.NoticeSentProblem as problem:
        raise InvalidInput({"sent_on": [str(problem)]}) from problem
    notice.sent_on, notice.sent_how, notice.sent_by_id = sent_on, sent_how.strip(), actor.id
    deadlines.meet_deadline(notice.deadline, met_on=sent_on, actor=actor, note=sent_how.strip())
    record_event(
        "special_measure.notice_sent",
        actor=actor,
        subject=("congressional_notice", notice.id),
        after={"sent_on": sent_on, "how": notice.sent_how},
    )
    db.session.flush()


# --- Extension and revocation (§7.307(a)(5)): special_measures/actions.py -----------------


def action_pending(action: MeasureAction) -> bool:
    """Drafted and not yet recorded, nor returned by the reviewer (a returned draft stays on the
    record and a fresh one is drafted)."""
    review = approvals.latest_review(ACTION, action.id)
    return not action.is_recorded and (review is None or review.state != ReviewState.RETURNED)


# --- Status and the measures in force ------------------------------------------------------


def status_of(case: SpecialMeasureCase, day: date) -> rules.MeasureStatus:
    return rules.status_on(
        day, issued_on=case.issued_on, last_day=case.last_day_on, revoked_on=case.revoked_on
    )


def in_force_conditions(day: date) -> tuple[Any, ...]:
    """The conditions of ``rules.status_on`` in SQL: imposed on or before ``day`` (§7.307(a)(4)),
    not revoked by it, and not past its last day (§7.307(a)(5))."""
    return (
        SpecialMeasureCase.issued_on <= day,
        SpecialMeasureCase.last_day_on >= day,
        or_(SpecialMeasureCase.revoked_on.is_(None), SpecialMeasureCase.revoked_on > day),
    )


def in_force_on(day: date) -> list[SpecialMeasureCase]:
    """The measures in force on ``day``: the public list, its feeds and every screening."""
    return list(
        db.session.execute(
            select(SpecialMeasureCase)
            .where(*in_force_conditions(day))
            .order_by(SpecialMeasureCase.issued_on, SpecialMeasureCase.id)
        ).scalars()
    )


def issued_cases() -> list[SpecialMeasureCase]:
    return list(
        db.session.execute(
            select(SpecialMeasureCase)
            .where(SpecialMeasureCase.issued_on.is_not(None))
            .order_by(SpecialMeasureCase.issued_on.desc(), SpecialMeasureCase.id.desc())
        ).scalars()
    )


# --- Downloads: each is a read the audit trail records, in the request's transaction ----------


def download_determination(case: SpecialMeasureCase, *, actor: User) -> None:
    record_event("export.determination", actor=actor, subject=(CASE, case.id))


def download_congressional_letter(notice: CongressionalNotice, *, actor: User) -> None:
    record_event(
        "export.congressional_letter", actor=actor, subject=("congressional_notice", notice.id)
    )
