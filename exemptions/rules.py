"""The exemption workflow (§7.306(e) to (g)): states and allowed transitions, the review checklist
of the program's elements (§7.306(b) to (d)), the finding's factors (§7.306(e)(3)) and the annual
notification clock (§7.306(f)). Pure: takes ``today`` and the facts as arguments."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import clocks
from core.approvals.rules import OWN_DRAFT, OWN_DRAFT_NEEDED
from core.auth.rules import Role
from core.errors import IllegalTransition
from core.workflow import rules as workflow
from intake.kinds import ADP_APPROVERS, ADP_ELEMENTS, ExemptionScope

ANNUAL_CLOCK = "exemption.annual_notification"
# What the kernel's records (consultations, deadlines, the audit trail) call an exemption case.
SUBJECT = "exemption"


class CaseState(enum.StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under review"
    INFORMATION_REQUESTED = "information requested"
    IN_CONSULTATION = "in consultation"
    FINDING_DRAFTED = "finding drafted"
    IN_REVIEW = "in review"
    GRANTED = "granted"
    DENIED = "denied"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


S = CaseState
# Until the finding is made the request is the provider's own: it starts the process
# (§7.306(e)(1)) and may withdraw it; nothing in §7.306 holds it to a finding it no longer asks for.
UNDECIDED = frozenset(
    {S.RECEIVED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.IN_CONSULTATION, S.FINDING_DRAFTED,
     S.IN_REVIEW}
)  # fmt: skip
ALLOWED: dict[CaseState, frozenset[CaseState]] = {
    S.RECEIVED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN}),
    # §7.306(e)(2): review, information requests and consultation, in whatever order the case
    # needs, until the finding is made. The finding is made when a reviewer approves it, so a
    # drafted finding may still wait for more information or for the agencies' positions.
    S.UNDER_REVIEW: frozenset(
        {S.INFORMATION_REQUESTED, S.IN_CONSULTATION, S.FINDING_DRAFTED, S.WITHDRAWN}
    ),
    S.INFORMATION_REQUESTED: frozenset(
        {S.UNDER_REVIEW, S.IN_CONSULTATION, S.FINDING_DRAFTED, S.WITHDRAWN}
    ),
    S.IN_CONSULTATION: frozenset(
        {S.INFORMATION_REQUESTED, S.FINDING_DRAFTED, S.IN_REVIEW, S.WITHDRAWN}
    ),
    # A drafted finding its author withdraws leaves the request under review, or in consultation
    # once the agencies are asked.
    S.FINDING_DRAFTED: frozenset(
        {
            S.FINDING_DRAFTED,
            S.UNDER_REVIEW,
            S.INFORMATION_REQUESTED,
            S.IN_CONSULTATION,
            S.IN_REVIEW,
            S.WITHDRAWN,
        }
    ),
    # A returned finding goes back to its drafter; an approved one is granted or denied.
    S.IN_REVIEW: frozenset({S.FINDING_DRAFTED, S.GRANTED, S.DENIED, S.WITHDRAWN}),
    # §7.306(g): revocable at any time.
    S.GRANTED: frozenset({S.REVOKED}),
    S.DENIED: frozenset(),
    S.REVOKED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# §7.306(e)(2): "Prior to making a finding, the Secretary will consult with" DoD, the Attorney
# General, DHS and DNI: a finding goes to the reviewer who makes it only once they are consulted.
AFTER_CONSULTATION = frozenset({S.IN_REVIEW})


ANALYSTS = frozenset({Role.ANALYST})
REVIEWERS = frozenset({Role.REVIEWER})
# Facts about a request that some actions need, besides its state.
UNCONSULTED = "unconsulted"
HAS_FINDING = "has_finding"
OPEN_INFORMATION_REQUEST = "open_information_request"
REVOCATION_PENDING = "revocation_pending"
NO_REVOCATION_PENDING = "no_revocation_pending"
# What a person may do to a request, named as the route that does it.
ACTIONS: dict[str, workflow.Action[CaseState]] = {
    "start_review": workflow.Action(ANALYSTS, frozenset({S.RECEIVED})),
    # The record stays open to documents until the request ends without an exemption in force.
    "attach_document": workflow.Action(
        ANALYSTS, frozenset(CaseState) - {S.DENIED, S.REVOKED, S.WITHDRAWN}
    ),
    "request_information": workflow.Action(
        ANALYSTS,
        frozenset({S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.IN_CONSULTATION, S.FINDING_DRAFTED}),
    ),
    "record_information_response": workflow.Action(
        ANALYSTS,
        UNDECIDED,
        {OPEN_INFORMATION_REQUEST: "Every information request already has its response."},
    ),
    "consult": workflow.Action(
        ANALYSTS,
        frozenset({S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.FINDING_DRAFTED}),
        {UNCONSULTED: "The agencies have already been consulted on this request."},
    ),
    # A finding in review changes only once the reviewer returns it, and only by its author
    # (docs/architecture.md §5); anyone may draft one while there is none.
    "draft_finding": workflow.Action(
        ANALYSTS,
        frozenset({S.UNDER_REVIEW, S.IN_CONSULTATION, S.FINDING_DRAFTED}),
        {OWN_DRAFT: OWN_DRAFT_NEEDED},
    ),
    "withdraw_finding": workflow.Action(
        ANALYSTS,
        frozenset({S.FINDING_DRAFTED}),
        {HAS_FINDING: "There is no drafted finding to withdraw.", OWN_DRAFT: OWN_DRAFT_NEEDED},
    ),
    "submit_finding": workflow.Action(
        ANALYSTS,
        frozenset({S.IN_CONSULTATION, S.FINDING_DRAFTED}),
        {HAS_FINDING: "Draft the finding before it goes to review (§7.306(e)(3))."},
    ),
    "decide_finding": workflow.Action(REVIEWERS, frozenset({S.IN_REVIEW})),
    "withdraw": workflow.Action(ANALYSTS, UNDECIDED),
    "record_notice": workflow.Action(ANALYSTS, frozenset({S.GRANTED})),
    "propose_revocation": workflow.Action(
        ANALYSTS,
        frozenset({S.GRANTED}),
        {NO_REVOCATION_PENDING: "A revocation is already waiting for a reviewer."},
    ),
    "decide_revocation": workflow.Action(
        REVIEWERS,
        frozenset({S.GRANTED}),
        {REVOCATION_PENDING: "No revocation is waiting for review."},
    ),
}


def check_transition(current: CaseState, wanted: CaseState, *, consulted: bool) -> None:
    """``consulted``: the agencies of §7.306(e)(2) have been asked for their positions."""
    workflow.check_transition(ALLOWED, current, wanted, record="request")
    if wanted in AFTER_CONSULTATION and not consulted:
        raise IllegalTransition(
            "Request the agencies' positions before the finding goes to review (§7.306(e)(2))."
        )


# --- The review checklist (§7.306(b) to (d)) ------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    citation: str
    label: str
    says: str
    addressed: bool


def _approval_text(data: Mapping[str, Any]) -> str:
    body = dict(ADP_APPROVERS).get(data.get("approved_by_body") or "", "")
    parts = [body, data.get("approved_by_name") or "", str(data.get("approved_on") or "")]
    return ", ".join(part for part in parts if part)


def checklist(data: Mapping[str, Any]) -> list[ChecklistItem]:
    """Each element of the program in the rule's order, what the request says about it, and
    whether it says anything. The (b)(1) items are examples ("such as"): an unaddressed one is
    for the reviewer to weigh, not a defect in itself."""
    items = [
        ChecklistItem(
            spec.citation, spec.label, data.get(spec.name) or "", bool(data.get(spec.name))
        )
        for spec in ADP_ELEMENTS
    ]
    approval = _approval_text(data)
    position = next(i for i, item in enumerate(items) if item.citation == "§7.306(b)(5)(ii)")
    items.insert(
        position,
        ChecklistItem(
            "§7.306(b)(5)(i)",
            "Administration: approval of the initial written program",
            approval,
            bool(data.get("approved_by_body") and data.get("approved_by_name")),
        ),
    )
    return items


def unaddressed(items: list[ChecklistItem]) -> list[str]:
    return [item.citation for item in items if not item.addressed]


# --- The finding (§7.306(e)(3)) ----------------------------------------------------------------

FACTORS: tuple[tuple[str, str, str], ...] = (
    ("size", "§7.306(e)(3)(i)",
     "The program is of a size and complexity commensurate with the nature and scope of "
     "product offerings"),
    ("robustness", "§7.306(e)(3)(ii)",
     "The program's ability to deter, detect and respond to Red Flags is sufficiently robust"),
    ("reseller_oversight", "§7.306(e)(3)(iii)", "Oversight of reseller arrangements is effective"),
    ("law_enforcement", "§7.306(e)(3)(iv)",
     "The extent of cooperation with law enforcement to provide forensic information"),
    ("collaboration", "§7.306(e)(3)(v)",
     "Participation in public-private collaborative efforts (§7.306(c))"),
)  # fmt: skip


class Assessment(enum.StrEnum):
    SATISFIED = "satisfied"
    PARTLY = "partly satisfied"
    NOT_SATISFIED = "not satisfied"


class Decision(enum.StrEnum):
    GRANT = "grant"
    DENY = "deny"


def finding_problems(
    assessments: Mapping[str, tuple[str | None, str]], decision: str | None
) -> dict[str, str]:
    """Field -> message for a finding that cannot go to review: every factor assessed, each
    with reasons (§7.306(e)(3)), and a decision."""
    problems = {}
    for key, citation, _label in FACTORS:
        assessment, reasons = assessments.get(key, (None, ""))
        if assessment not in {a.value for a in Assessment}:
            problems[f"{key}_assessment"] = f"Assess this factor ({citation})."
        if not (reasons or "").strip():
            problems[f"{key}_reasons"] = f"Give the reasons for this assessment ({citation})."
    if decision not in {d.value for d in Decision}:
        problems["decision"] = "Choose whether to grant or deny the exemption."
    return problems


def review_blockers(missing_positions: list[str], finding_complete: bool) -> list[str]:
    """Why a finding cannot go to review yet: every required agency's position recorded
    (§7.306(e)(2), "prior to making a finding") and the finding complete."""
    blockers = []
    if missing_positions:
        blockers.append(
            "No recorded position yet from " + ", ".join(missing_positions) + " (§7.306(e)(2))."
        )
    if not finding_complete:
        blockers.append("The finding is not complete (§7.306(e)(3)).")
    return blockers


# --- What an exemption waives (§7.306(b), (e)) -------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What a granted exemption lifts, under which paragraph, the conflict of the rule's text
    where there is one, and what changes in this system."""

    lifts: str
    citation: str
    conflict: str
    in_this_system: str


# §7.306(b) says a provider's finding "exempts an IaaS provider from the CIP requirements in
# §§7.302 and 7.304"; §7.306(e) says the finding exempts it "from the requirements in §§ 7.302,
# 7.304, and 7.305". The system reads §7.306(e) everywhere: the finding is made under (e)'s
# procedure, and (a) allows an exemption from any requirement of the subpart but §§7.308 and
# 7.309, so (e)'s wider list is within the Secretary's power.
PROVIDER_CONFLICT = (
    "The rule's text conflicts: §7.306(b) says such a finding exempts the provider from §§7.302 "
    "and 7.304, §7.306(e) from §§7.302, 7.304 and 7.305. This system applies §7.306(e), under "
    "whose procedure the finding is made and which §7.306(a) permits (any requirement of the "
    "subpart but §§7.308 and 7.309)."
)
EFFECTS: dict[ExemptionScope, Effect] = {
    ExemptionScope.PROVIDER: Effect(
        "§§7.302, 7.304 and 7.305",
        "§7.306(e)",
        PROVIDER_CONFLICT,
        "No CIP certification is expected (§7.304), and none missing adds to the risk score "
        "(§7.305(d)(2)(i)); no compliance assessment is scheduled (§7.305(e)(1)); no copy of "
        "its CIP may be requested (§7.305(a)). AI training reports (§7.308) and enforcement "
        "(§7.309) still apply.",
    ),
    ExemptionScope.FOREIGN_RESELLER: Effect(
        "§§7.303 and 7.304 with regard to that foreign reseller",
        "§7.306(b), (e)",
        "",
        "The foreign reseller is not expected in the provider's compiled certifications "
        "(§7.304(e)-(f)), and no copy of its CIP may be requested (§7.303(d)).",
    ),
    ExemptionScope.ACCOUNT_TYPE: Effect(
        "this subpart, except §§7.308 and 7.309, for the accounts or lessees of that type",
        "§7.306(a)",
        "",
        "None in intake, which keeps no record of accounts by type, nor of lessees: a "
        "certification lists unverified foreign accounts only by a reference and free-text "
        "information on their nature (§7.304(a)(2)(ix)), so nothing intake expects of the "
        "provider, and nothing in its risk score, changes. The exemption is kept with its "
        "finding and decision letter.",
    ),
}


def effect_of(scope: str) -> Effect:
    return EFFECTS[ExemptionScope(scope)]


def waives_provider_certification(scope: str) -> bool:
    """A provider's exemption releases it from §§7.302, 7.304 and 7.305 (§7.306(e); EFFECTS
    says why (e) and not (b))."""
    return scope == ExemptionScope.PROVIDER


def waives_reseller_certification(scope: str) -> bool:
    """A reseller's exemption releases the provider from §§7.303 and 7.304 for that reseller."""
    return scope == ExemptionScope.FOREIGN_RESELLER


# --- Maintenance (§7.306(f), §7.309(b)(2)) -----------------------------------------------------


class NoticeKind(enum.StrEnum):
    ANNUAL = "annual notification"  # §7.306(f)
    MATERIAL_CHANGE = "material change"  # §7.309(b)(2)


NOTICE_CITATIONS = {NoticeKind.ANNUAL: "§7.306(f)", NoticeKind.MATERIAL_CHANGE: "§7.309(b)(2)"}


def annual_notification_due(start_on: date) -> date:
    """One year after the finding, then after each notification (§7.306(f))."""
    return clocks.due(ANNUAL_CLOCK, start_on)


def notification_overdue(due_on: date | None, today: date) -> bool:
    return due_on is not None and today > due_on


def information_overdue(respond_by: date, responded_on: date | None, today: date) -> bool:
    return responded_on is None and today > respond_by


def withdrawal_problem(received_on: date, *, filed_on: date, today: date) -> str | None:
    """The day the provider's withdrawal reached the office."""
    if received_on > today:
        return "The withdrawal cannot be received on a future date."
    if received_on < filed_on:
        return f"The request was filed on {filed_on.isoformat()}; it cannot be withdrawn earlier."
    return None


def revocation_problem(reasons: str) -> str | None:
    if not reasons.strip():
        return "State the reasons for revoking the exemption (§7.306(g))."
    return None
