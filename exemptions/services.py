"""Exemption use cases (§7.306): one function per thing a user does. Each takes the acting
user, checks the rule, writes the audit event and flushes; the request commits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import ColumnElement, Select, String, cast, select
from sqlalchemy.orm import contains_eager, selectinload

from core import documents, hooks, signals
from core.approvals import services as approvals
from core.approvals.models import Review
from core.approvals.rules import ReviewState
from core.audit.services import record_event
from core.auth.models import User
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.models import Consultation
from core.consultations.rules import Purpose
from core.consultations.rules import respond_by_problem as consultation_date_problem
from core.db import db
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.ownership import services as ownership
from core.risk import RiskSignal
from core.workflow import rules as workflow
from core.workflow.services import change_state
from exemptions import notices, rules
from exemptions.models import (
    ExemptionAttachment,
    ExemptionCase,
    ExemptionNotice,
    InformationRequest,
)
from exemptions.rules import SUBJECT, CaseState, Decision, NoticeKind
from intake import services as intake
from intake.kinds import FilingKind
from intake.models import Document, Filing, ForeignReseller
from intake.resellers.rules import reseller_key

FINDING = "exemption_finding"
FINDING_EDITED = "exemption.finding_edited"
FINDING_WITHDRAWN = "exemption.finding_withdrawn"
REVOCATION = "exemption_revocation"
DRAFTERS = frozenset({Role.ANALYST})


class ExemptionRefused(DomainError):
    """The step is not allowed now; the message says why."""


def _check_drafter(actor: User) -> None:
    if actor.role_enum not in DRAFTERS:
        raise ExemptionRefused("Only an analyst may do this.")


def facts_of(case: ExemptionCase, user: User | None = None) -> dict[str, bool]:
    """What the actions of rules.ACTIONS need to know beyond the request's state, for ``user``
    (whether the drafted finding is theirs)."""
    revocation = revocation_review(case)
    pending = revocation is not None and revocation.state_enum is ReviewState.IN_REVIEW
    return {
        **approvals.own_draft_facts(case.finding_drafted_by, user),
        rules.UNCONSULTED: not consultations_of(case),
        rules.HAS_FINDING: bool(case.finding),
        # Queried, not read from the case: a request just added is not in its list yet.
        rules.OPEN_INFORMATION_REQUEST: db.session.scalar(
            select(InformationRequest.id).where(
                InformationRequest.case_id == case.id, InformationRequest.responded_on.is_(None)
            )
        )
        is not None,
        rules.REVOCATION_PENDING: pending,
        rules.NO_REVOCATION_PENDING: not pending,
    }


def actions_for(case: ExemptionCase, role: Role | None, user: User | None = None) -> frozenset[str]:
    """The actions ``role`` may take on the request now: what its page offers ``user``."""
    return workflow.available_actions(rules.ACTIONS, case.state_enum, role, facts_of(case, user))


def _require(case: ExemptionCase, action: str, message: str | None = None) -> None:
    """Refuse what the request's page does not offer now."""
    workflow.check_action(
        rules.ACTIONS,
        action,
        case.state_enum,
        facts_of(case),
        message=message or f"This request now stands at “{case.state}”; this step is not open.",
    )


def _move(case: ExemptionCase, wanted: CaseState, actor: User, **details: Any) -> None:
    rules.check_transition(case.state_enum, wanted, consulted=bool(consultations_of(case)))
    change_state(case, wanted, rules.ALLOWED, subject_type=SUBJECT, actor=actor, **details)
    # An exemption granted lifts the certification the score reads (§7.306(e)).
    signals.send(signals.provider_facts_changed, provider_ids=[case.provider_id])


# --- Opening a case when a request is filed (§7.306(e)(1)) ------------------------------------


def _named_reseller(filing: Filing) -> ForeignReseller | None:
    """The registry's reseller the request names, matched as compiled certifications match
    them: case and spacing aside, in the same jurisdiction."""
    data = filing.data
    if not data.get("reseller_name"):
        return None
    wanted = reseller_key(data["reseller_name"], data.get("reseller_jurisdiction") or "")
    candidates = db.session.execute(
        select(ForeignReseller).where(
            ForeignReseller.provider_id == filing.provider_id,
            ForeignReseller.jurisdiction == wanted[1],
        )
    ).scalars()
    return next((r for r in candidates if reseller_key(r.name, r.jurisdiction) == wanted), None)


def open_case_for_filing(filing: Filing, actor: User | None) -> ExemptionCase:
    """Every request filed (by form or API) opens a case; a correction of a request moves the
    case to the corrected filing, and any approval of the old content no longer holds."""
    if filing.supersedes_id is not None:
        case = case_for_filing(filing.supersedes_id)
        if case is not None:
            case.filing_id = filing.id
            case.scope = filing.data["scope"]
            case.reseller = _named_reseller(filing)
            db.session.flush()
            record_event(
                "exemption.request_corrected",
                actor=actor,
                subject=(SUBJECT, case.id),
                after={"filing": filing.receipt_number},
            )
            return case
    case = ExemptionCase(
        filing_id=filing.id,
        provider_id=filing.provider_id,
        scope=filing.data["scope"],
        reseller=_named_reseller(filing),
    )
    db.session.add(case)
    db.session.flush()
    record_event(
        "exemption.open",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"filing": filing.receipt_number, "scope": case.scope},
    )
    return case


def positions_final(case_id: str) -> str | None:
    """Once the request is decided, the agencies' positions are part of the decision's record
    (§7.306(e)(2)-(3))."""
    case = db.session.get(ExemptionCase, int(case_id))
    if case is None or case.state_enum in rules.UNDECIDED:
        return None
    if case.state_enum is CaseState.WITHDRAWN:
        return (
            f"The provider withdrew the request on {case.withdrawn_on}; the agencies' "
            "positions are part of its record and can no longer change (§7.306(e)(2))."
        )
    return (f"The request was decided on {case.decided_on} and is now {case.state}; the "
            "agencies' positions can no longer change (§7.306(e)(2)).")  # fmt: skip


def on_filing_received(*, filing: Filing, actor: User | None, **_: object) -> None:
    if filing.kind == FilingKind.EXEMPTION_REQUEST.value:
        open_case_for_filing(filing, actor)


def case_for_filing(filing_id: int) -> ExemptionCase | None:
    return db.session.execute(
        select(ExemptionCase).where(ExemptionCase.filing_id == filing_id)
    ).scalar_one_or_none()


def get_case(case_id: int) -> ExemptionCase | None:
    return db.session.get(ExemptionCase, case_id)


def list_cases(*, owned: ColumnElement[bool] | None = None) -> list[ExemptionCase]:
    return ownership.newest_first(ExemptionCase, owned)


def cases_query(owned: ColumnElement[bool] | None = None) -> Select[Any]:
    """The requests' list (§7.306): every case with its provider, the filing that is its
    request, and the reseller it is for, if any."""
    query = intake.with_provider(ownership.cases_query(ExemptionCase, owned), ExemptionCase)
    return query.join(ExemptionCase.filing).options(
        contains_eager(ExemptionCase.filing), selectinload(ExemptionCase.reseller)
    )


def checklist(case: ExemptionCase) -> list[rules.ChecklistItem]:
    return rules.checklist(case.filing.data)


def attach_document(
    case: ExemptionCase, *, filename: str, content: bytes, description: str, actor: User
) -> ExemptionAttachment:
    """A document supporting the request (the written program, minutes of its approval,
    an answer to an information request), kept with its hash like any document received."""
    _check_drafter(actor)
    _require(case, "attach_document", f"This request is {case.state}; its record is closed.")
    problems = documents.document_problems(filename, content, what="the document")
    if not description.strip():
        problems.append("Say what the document is.")
    if problems:
        raise ExemptionRefused(" ".join(problems))
    document = intake.store_document(filename, content, actor=actor)
    attachment = ExemptionAttachment(
        case_id=case.id, document_id=document.id, description=description.strip()
    )
    db.session.add(attachment)
    db.session.flush()
    record_event(
        "exemption.attachment",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"document": document.filename, "sha256": document.sha256},
    )
    return attachment


def attachment_of(case: ExemptionCase, attachment_id: int) -> ExemptionAttachment | None:
    attachment = db.session.get(ExemptionAttachment, attachment_id)
    return attachment if attachment is not None and attachment.case_id == case.id else None


# --- Review and information requests (§7.306(e)(2)) -------------------------------------------


def start_review(case: ExemptionCase, *, actor: User) -> None:
    _check_drafter(actor)
    _require(case, "start_review")
    _move(case, CaseState.UNDER_REVIEW, actor)
    db.session.flush()


def request_information(
    case: ExemptionCase, *, questions: str, requested_on: date, respond_by: date, actor: User
) -> InformationRequest:
    _check_drafter(actor)
    _require(case, "request_information")
    if problem := consultation_date_problem(requested_on, respond_by):
        raise ExemptionRefused(problem)
    if case.state_enum is not CaseState.INFORMATION_REQUESTED:
        _move(case, CaseState.INFORMATION_REQUESTED, actor)
    information_request = InformationRequest(
        case_id=case.id,
        questions=questions.strip(),
        requested_on=requested_on,
        respond_by=respond_by,
        requested_by_id=actor.id,
    )
    db.session.add(information_request)
    db.session.flush()
    ownership.take_unowned(SUBJECT, case, actor)
    record_event(
        "exemption.information_request",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"questions": information_request.questions, "respond_by": respond_by},
    )
    return information_request


def record_information_response(
    information_request: InformationRequest, *, responded_on: date, response: str, actor: User
) -> InformationRequest:
    """The submitter's answer; when nothing else is outstanding, review resumes, or the drafted
    finding waits again for review."""
    _check_drafter(actor)
    if information_request.responded_on is not None:
        raise IllegalTransition("A response to this request is already recorded.")
    _require(
        information_request.case,
        "record_information_response",
        f"This exemption request is {information_request.case.state}; "
        "responses can no longer be recorded.",
    )
    if responded_on < information_request.requested_on:
        raise ExemptionRefused("A response cannot come before the request.")
    information_request.responded_on = responded_on
    information_request.response = response.strip()
    information_request.recorded_by_id = actor.id
    case = information_request.case
    record_event(
        "exemption.information_response",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"request": information_request.id, "responded_on": responded_on},
    )
    outstanding = [r for r in case.information_requests if r.responded_on is None]
    if case.state_enum is CaseState.INFORMATION_REQUESTED and not outstanding:
        _move(case, CaseState.FINDING_DRAFTED if case.finding else CaseState.UNDER_REVIEW, actor)
    db.session.flush()
    notices.information_answered(information_request, actor)
    return information_request


# --- Interagency consultation (§7.306(e)(2)) ---------------------------------------------------


def consult_agencies(
    case: ExemptionCase,
    *,
    summary: str,
    requested_on: date,
    respond_by: date,
    optional_agencies: tuple[str, ...],
    actor: User,
) -> list[Consultation]:
    """Ask DoD, the Attorney General, DHS and DNI (and any others chosen) for their positions;
    the analyst sets the response-by date for the case."""
    _check_drafter(actor)
    if problem := consultation_date_problem(requested_on, respond_by):
        raise ExemptionRefused(problem)
    if consultations_of(case):
        raise IllegalTransition("The agencies have already been consulted on this request.")
    _require(case, "consult")
    _move(case, CaseState.IN_CONSULTATION, actor)
    ownership.take_unowned(SUBJECT, case, actor)
    return consultations.request_consultations(
        Purpose.EXEMPTION,
        (SUBJECT, case.id),
        label=case.label,
        summary=summary.strip(),
        requested_on=requested_on,
        respond_by=respond_by,
        actor=actor,
        optional_agencies=optional_agencies,
    )


def consultations_of(case: ExemptionCase) -> list[Consultation]:
    return consultations.for_subject(SUBJECT, case.id)


def missing_positions(case: ExemptionCase) -> list[str]:
    return consultations.missing_positions(Purpose.EXEMPTION, SUBJECT, case.id)


# --- The finding (§7.306(e)(3)) and its review -------------------------------------------------


def finding_content(case: ExemptionCase) -> dict[str, Any]:
    """What a reviewer approves: the request as filed, the finding and the positions."""
    return {
        "filing": case.filing.payload_sha256,
        "finding": case.finding,
        "decision": case.decision,
        "positions": [(c.agency, c.position, c.comments) for c in consultations_of(case)],
    }


def _require_own_finding(case: ExemptionCase, action: str, actor: User, message: str) -> None:
    """Refuse a step on the finding its page does not offer ``actor``: another's finding, or a
    request whose state does not allow it (``message`` says why)."""
    _check_drafter(actor)
    approvals.require_own_draft(
        rules.ACTIONS, action, case.state_enum, author=case.finding_drafted_by, actor=actor,
        facts=facts_of(case), message=message,
    )  # fmt: skip


def draft_finding(
    case: ExemptionCase,
    *,
    assessments: Mapping[str, tuple[str, str]],
    decision: str,
    actor: User,
) -> ExemptionCase:
    _require_own_finding(
        case, "draft_finding", actor,
        f"This request is {case.state}; the finding is drafted during the review and changes "
        "once a reviewer returns it.",
    )  # fmt: skip
    if problems := rules.finding_problems(assessments, decision):
        raise ExemptionRefused("; ".join(problems.values()))
    if case.state_enum is not CaseState.FINDING_DRAFTED:
        _move(case, CaseState.FINDING_DRAFTED, actor)
    revised = bool(case.finding)
    before = {"finding": case.finding, "decision": case.decision}
    case.finding_json = {
        key: {"assessment": assessments[key][0], "reasons": assessments[key][1].strip()}
        for key, _citation, _label in rules.FACTORS
    }
    case.decision = Decision(decision).value
    case.finding_drafted_by_id = actor.id
    ownership.take_unowned(SUBJECT, case, actor)
    after = {"finding": case.finding, "decision": case.decision}
    if revised:
        # The author's change, sealed before and after with the hash an approval binds to.
        approvals.revise_draft(
            (SUBJECT, case.id), event=FINDING_EDITED, before=before, after=after,
            content=finding_content(case), actor=actor,
        )  # fmt: skip
    else:
        record_event(
            "exemption.finding_draft", actor=actor, subject=(SUBJECT, case.id), before=before,
            after=after,
        )  # fmt: skip
    db.session.flush()
    return case


def finding_draft(case: ExemptionCase) -> dict[str, str]:
    """The drafted finding as its history shows it: the decision, each factor's assessment and
    reasons (§7.306(e)(3))."""
    factors = {
        key: f"{case.finding[key]['assessment']}: {case.finding[key]['reasons']}"
        for key, _citation, _label in rules.FACTORS
        if key in case.finding
    }
    return {"decision": case.decision or "", **factors}


def withdraw_finding(case: ExemptionCase, *, reasons: str, actor: User) -> str:
    """Its author takes the drafted finding off the request before review, or once a reviewer
    returned it: the request goes back to its review (or its consultation), and the audit trail
    keeps the finding whole with its SHA-256, shown on the request's page. The SHA-256."""
    _require_own_finding(
        case, "withdraw_finding", actor,
        f"This request is {case.state}; a finding is withdrawn while it is drafted, before "
        "review or once a reviewer returns it.",
    )  # fmt: skip
    approvals.check_withdrawal(reasons)
    draft = finding_draft(case)
    case.finding_json, case.decision, case.finding_drafted_by = None, None, None
    _move(case, CaseState.IN_CONSULTATION if consultations_of(case) else CaseState.UNDER_REVIEW,
          actor)  # fmt: skip
    db.session.flush()
    return approvals.withdraw_draft(
        (SUBJECT, case.id), event=FINDING_WITHDRAWN, draft=draft, reasons=reasons,
        content=finding_content(case), actor=actor,
    )  # fmt: skip


def withdrawn_findings(case: ExemptionCase) -> list[approvals.WithdrawnDraft]:
    return approvals.withdrawn_drafts((SUBJECT, case.id), FINDING_WITHDRAWN)


def review_blockers(case: ExemptionCase) -> list[str]:
    complete = bool(case.finding) and case.decision is not None
    return rules.review_blockers(missing_positions(case), complete)


def submit_finding(case: ExemptionCase, *, actor: User) -> Review:
    """Send the finding to a reviewer; refused while a required agency has no position."""
    _check_drafter(actor)
    _require(case, "submit_finding")
    if blockers := review_blockers(case):
        raise ExemptionRefused(" ".join(blockers))
    _move(case, CaseState.IN_REVIEW, actor)
    return approvals.submit_for_review(
        (FINDING, case.id),
        label=f"Finding ({case.decision}): {case.label}",
        content=finding_content(case),
        actor=actor,
    )


def finding_review(case: ExemptionCase) -> Review | None:
    return approvals.latest_review(FINDING, case.id)


def _decide(
    review: Review, *, approve: bool, comments: str, actor: User, content: Mapping[str, Any]
) -> None:
    """Core approvals decide, enforcing separation of duties and the bound content."""
    try:
        approvals.decide(
            review, approve=approve, actor=actor, current_content=content, comments=comments
        )
    except approvals.ReviewRefused as refusal:
        raise ExemptionRefused(str(refusal)) from refusal


def decide_finding(
    case: ExemptionCase, *, approve: bool, comments: str, actor: User, today: date
) -> ExemptionCase:
    """A reviewer who did not draft the finding approves (the decision takes effect) or
    returns it; core approvals enforce the separation of duties."""
    review = finding_review(case)
    nothing = f"The finding is not in review: the request is {case.state}."
    _require(case, "decide_finding", nothing)
    if review is None:
        raise IllegalTransition(nothing)
    _decide(review, approve=approve, comments=comments, actor=actor, content=finding_content(case))
    if not approve:
        _move(case, CaseState.FINDING_DRAFTED, actor, returned=comments)
    elif case.decision == Decision.GRANT:
        _move(case, CaseState.GRANTED, actor)
        case.decided_on = today
        # §7.306(f): annual notifications, the first a year after the finding.
        _open_annual_clock(case, today, actor)
    else:
        _move(case, CaseState.DENIED, actor)
        case.decided_on = today
    db.session.flush()
    return case


def _open_annual_clock(case: ExemptionCase, start_on: date, actor: User) -> Deadline:
    return deadlines.open_deadline(
        rules.ANNUAL_CLOCK,
        subject=(SUBJECT, case.id),
        subject_label=f"{case.provider.legal_name}: annual notification ({case.label})",
        start_on=start_on,
        actor=actor,
    )


def annual_clock(case: ExemptionCase) -> Deadline | None:
    """The open annual-notification clock, if any."""
    return next(
        (
            deadline
            for deadline in deadlines.deadlines_for_subject(SUBJECT, case.id)
            if deadline.clock_key == rules.ANNUAL_CLOCK and deadline.is_open
        ),
        None,
    )


# --- Withdrawal by the provider, before a finding (§7.306(e)(1)) ------------------------------


def withdraw(
    case: ExemptionCase, *, received_on: date, reasons: str, actor: User, today: date
) -> ExemptionCase:
    """The provider withdraws its request: the case ends without a finding, and a finding
    waiting for a reviewer leaves the queue."""
    _check_drafter(actor)
    problems: dict[str, list[str]] = {}
    if problem := rules.withdrawal_problem(
        received_on, filed_on=case.filing.received_on, today=today
    ):
        problems["withdrawn_on"] = [problem]
    if not reasons.strip():
        problems["reasons"] = ["Say why the provider withdraws its request."]
    if problems:
        raise InvalidInput(problems)
    _move(case, CaseState.WITHDRAWN, actor, received_on=received_on, reasons=reasons.strip())
    case.withdrawn_on, case.withdrawal_reasons = received_on, reasons.strip()
    approvals.withdraw_from_review(FINDING, case.id, actor=actor, reason="request withdrawn")
    db.session.flush()
    return case


# --- Maintenance (§7.306(f), §7.309(b)(2)) -----------------------------------------------------


def record_notice(
    case: ExemptionCase, *, kind: NoticeKind, received_on: date, summary: str, actor: User
) -> ExemptionNotice:
    """An annual notification meets the open clock and starts the next year's (§7.306(f)); a
    material-change notice is kept for the next review of the exemption (§7.309(b)(2))."""
    _check_drafter(actor)
    _require(case, "record_notice", "Notices are recorded only for an exemption in force.")
    if not summary.strip():
        raise ExemptionRefused("Summarise what the notice says.")
    if case.decided_on and received_on < case.decided_on:
        raise ExemptionRefused("A notice cannot be received before the finding.")
    notice = ExemptionNotice(
        case_id=case.id,
        kind=kind.value,
        received_on=received_on,
        summary=summary.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(notice)
    db.session.flush()
    if kind is NoticeKind.ANNUAL:
        clock = annual_clock(case)
        if clock is not None:
            deadlines.meet_deadline(clock, met_on=received_on, actor=actor, note=summary[:200])
        _open_annual_clock(case, received_on, actor)
    record_event(
        "exemption.notice",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"kind": notice.kind, "received_on": received_on},
    )
    return notice


@dataclass(frozen=True)
class OverdueNotification:
    case_id: int
    provider_id: int
    due_on: date


def overdue_annual_notifications(today: date) -> list[OverdueNotification]:
    """Exemptions in force whose annual notification is overdue (§7.306(f)); the deadline board
    lists these clocks and the risk score weighs them."""
    rows = db.session.execute(
        select(ExemptionCase, Deadline)
        .join(
            Deadline,
            (Deadline.subject_type == SUBJECT)
            & (Deadline.subject_id == cast(ExemptionCase.id, String)),
        )
        .where(
            ExemptionCase.state == CaseState.GRANTED.value,
            Deadline.clock_key == rules.ANNUAL_CLOCK,
            Deadline.met_on.is_(None),
        )
    ).all()
    return [
        OverdueNotification(case.id, case.provider_id, deadline.due_on)
        for case, deadline in rows
        if rules.notification_overdue(deadline.due_on, today)
    ]


# --- Revocation (§7.306(g)) --------------------------------------------------------------------


def revocation_content(case: ExemptionCase) -> dict[str, Any]:
    return {"reasons": case.revocation_reasons, "reference": case.revocation_reference}


def propose_revocation(
    case: ExemptionCase, *, reasons: str, special_measure_reference: str, actor: User
) -> Review:
    """Revocation at any time, with reasons, optionally for a special measure (§7.306(g), §7.307);
    it takes effect when a reviewer approves it."""
    _check_drafter(actor)
    _require(case, "propose_revocation", "Only an exemption in force can be revoked.")
    if problem := rules.revocation_problem(reasons):
        raise ExemptionRefused(problem)
    case.revocation_reasons = reasons.strip()
    case.revocation_reference = special_measure_reference.strip() or None
    case.revocation_drafted_by_id = actor.id
    record_event(
        "exemption.revocation_draft",
        actor=actor,
        subject=(SUBJECT, case.id),
        after=revocation_content(case),
    )
    db.session.flush()
    return approvals.submit_for_review(
        (REVOCATION, case.id),
        label=f"Revocation: {case.label}",
        content=revocation_content(case),
        actor=actor,
    )


def revocation_review(case: ExemptionCase) -> Review | None:
    return approvals.latest_review(REVOCATION, case.id)


def decide_revocation(
    case: ExemptionCase, *, approve: bool, comments: str, actor: User, today: date
) -> ExemptionCase:
    review = revocation_review(case)
    _require(case, "decide_revocation", "No revocation is waiting for review.")
    assert review is not None
    _decide(
        review, approve=approve, comments=comments, actor=actor, content=revocation_content(case)
    )
    if approve:
        _move(case, CaseState.REVOKED, actor, reasons=case.revocation_reasons)
        case.revoked_on = today
        clock = annual_clock(case)
        if clock is not None:
            # No more notifications are owed once the exemption ends.
            deadlines.meet_deadline(clock, met_on=today, actor=actor, note="exemption revoked")
    db.session.flush()
    return case


# --- What intake expects (through core.hooks, so intake never imports this module) ------------


def _case_link(case: ExemptionCase) -> str | None:
    if not has_request_context():
        return None
    return url_for("exemptions.case", case_id=case.id)


def waivers_in_force(provider_ids: Collection[int] | None) -> dict[int, list[hooks.Waiver]]:
    """Obligations a granted, unrevoked exemption lifts (§7.306(b), (e)), by provider."""
    query = select(ExemptionCase).where(ExemptionCase.state == CaseState.GRANTED.value)
    if provider_ids is not None:
        query = query.where(ExemptionCase.provider_id.in_(list(provider_ids)))
    waivers: dict[int, list[hooks.Waiver]] = {}
    for case in db.session.execute(query).scalars():
        waivers.setdefault(case.provider_id, []).extend(_waivers_of(case))
    return waivers


def _waivers_of(case: ExemptionCase) -> list[hooks.Waiver]:
    waivers = []
    since = f"exempt since {case.decided_on.isoformat()} (§7.306(e))"
    if rules.waives_provider_certification(case.scope):
        waivers.append(hooks.Waiver(hooks.CIP_CERTIFICATION, None, since, _case_link(case)))
    # A reseller the request named may have reached the provider's list only later, from a
    # certification's list (§7.304(a)(2)(viii)): it is the one exempted all the same.
    if rules.waives_reseller_certification(case.scope) and (
        reseller := case.reseller or _named_reseller(case.filing)
    ):
        waivers.append(
            hooks.Waiver(
                hooks.RESELLER_CERTIFICATION,
                reseller.id,
                f"{reseller.name}, {since}",
                _case_link(case),
            )
        )
    return waivers


def risk_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """An exempt provider stands in for its certifications with annual notifications; one that
    is overdue on ``today`` counts as a failure to submit (§7.305(d)(2)(i), §7.306(f)). For the
    providers asked about (None: every one)."""
    signals: dict[int, list[RiskSignal]] = {}
    for overdue in overdue_annual_notifications(today):
        if provider_ids is not None and overdue.provider_id not in provider_ids:
            continue
        signals.setdefault(overdue.provider_id, []).append(
            RiskSignal(
                "§7.305(d)(2)(i)",
                "overdue_exemption_notification",
                1,
                f"Annual notification of an exemption due {overdue.due_on.isoformat()} "
                "not received (§7.306(f)).",
            )
        )
    return signals


# --- Downloads: each is a read the audit trail records, in the request's transaction ----------


def download_attachment(case: ExemptionCase, attachment_id: int, *, actor: User) -> Document | None:
    """A document attached to the case, or None if the case has no such attachment."""
    attached = attachment_of(case, attachment_id)
    if attached is None:
        return None
    record_event(
        "export.exemption_attachment",
        actor=actor,
        subject=(SUBJECT, case.id),
        after={"document": attached.document.filename},
    )
    return attached.document


def download_decision_letter(case: ExemptionCase, *, actor: User) -> None:
    record_event("export.exemption_letter", actor=actor, subject=(SUBJECT, case.id))
