"""The states of an oversight case and the decisions on it (§7.303(e), §7.308(f)). Pure."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from casework.rules import ANALYSTS
from core.risk import RiskSignal
from core.workflow import rules as workflow


class OversightBasis(enum.StrEnum):
    # §7.303(e): the reseller fails to maintain or implement a CIP, or lacks good faith.
    CIP = "§7.303(e)"
    # §7.308(f): the reseller has not complied with the reporting requirements of §7.308.
    REPORTING = "§7.308(f)"


class EvidenceKind(enum.StrEnum):
    NO_CIP = "failure to maintain a CIP"
    NOT_IMPLEMENTED = "failure to implement its CIP"
    NO_GOOD_FAITH = "lack of good-faith efforts to prevent malicious cyber-enabled use"
    REPORT_NOT_MADE = "failure to report a covered transaction to the provider"
    REPORT_LATE = "report of a covered transaction made after its 15 days"
    REPORT_INCOMPLETE = "report lacking what §7.308(d) requires"


# What each kind of evidence is evidence of, and so which path the case follows.
BASIS_OF: Mapping[EvidenceKind, OversightBasis] = {
    EvidenceKind.NO_CIP: OversightBasis.CIP,
    EvidenceKind.NOT_IMPLEMENTED: OversightBasis.CIP,
    EvidenceKind.NO_GOOD_FAITH: OversightBasis.CIP,
    EvidenceKind.REPORT_NOT_MADE: OversightBasis.REPORTING,
    EvidenceKind.REPORT_LATE: OversightBasis.REPORTING,
    EvidenceKind.REPORT_INCOMPLETE: OversightBasis.REPORTING,
}
EVIDENCE_CITATION: Mapping[EvidenceKind, str] = {
    EvidenceKind.NO_CIP: "§7.303(e)",
    EvidenceKind.NOT_IMPLEMENTED: "§7.303(e)",
    EvidenceKind.NO_GOOD_FAITH: "§7.303(e)",
    EvidenceKind.REPORT_NOT_MADE: "§7.308(a)(2)",
    EvidenceKind.REPORT_LATE: "§7.308(c)(2)",
    EvidenceKind.REPORT_INCOMPLETE: "§7.308(d)(1)",
}


def basis_of(kind: EvidenceKind) -> OversightBasis:
    return BASIS_OF[kind]


class TerminationTrigger(enum.StrEnum):
    """The two facts that start the 30 days to terminate the relationship (§7.303(e))."""

    NOT_REMEDIATED = "knowledge that the reseller has not remediated the issues"
    INCREASED_RISK = "continuing the relationship otherwise increases the risk of malicious use"


class OversightState(enum.StrEnum):
    EVIDENCE = "evidence received"
    TERMINATION_CLOCK = "termination clock running"
    TERMINATED = "relationship terminated"
    REMEDIATED = "remediated"
    NOTIFIED = "reseller notified"
    SUSPENDED = "provision suspended"
    RESUMED = "provision resumed on assurances"


S = OversightState
OVERSIGHT_ALLOWED: dict[OversightState, frozenset[OversightState]] = {
    S.EVIDENCE: frozenset({S.TERMINATION_CLOCK, S.TERMINATED, S.REMEDIATED, S.NOTIFIED}),
    S.TERMINATION_CLOCK: frozenset({S.TERMINATED, S.REMEDIATED}),
    S.TERMINATED: frozenset(),
    S.REMEDIATED: frozenset(),
    # §7.308(f): notified, the reseller confirms compliance or remediation, or is suspended.
    S.NOTIFIED: frozenset({S.SUSPENDED, S.REMEDIATED}),
    S.SUSPENDED: frozenset({S.RESUMED}),
    S.RESUMED: frozenset(),
}
# Still open: the reseller has neither remediated, nor been let go, nor given its assurances.
OVERSIGHT_OPEN = workflow.open_states(OVERSIGHT_ALLOWED)

# Facts of a case an action needs, with what the page says when one is missing.
CIP_CASE = "cip_case"
REPORTING_CASE = "reporting_case"
ACCOUNT_OPEN = "account_open"
_CIP_ONLY = {CIP_CASE: "This step belongs to a case under §7.303(e)."}
_REPORTING_ONLY = {REPORTING_CASE: "This step belongs to a case under §7.308(f)."}

# What a person may do to an oversight case, named as the route that does it.
OVERSIGHT_ACTIONS: dict[str, workflow.Action[OversightState]] = {
    "oversight_knowledge": workflow.Action(
        ANALYSTS, workflow.leading_to(OVERSIGHT_ALLOWED, S.TERMINATION_CLOCK), _CIP_ONLY
    ),
    "oversight_outcome": workflow.Action(
        ANALYSTS, frozenset({S.EVIDENCE, S.TERMINATION_CLOCK}), _CIP_ONLY
    ),
    # §7.303(e): on the evidence the provider takes steps to close the account, whatever
    # the termination clock says; a recorded closure is not recorded twice.
    "oversight_account_closure": workflow.Action(
        ANALYSTS,
        frozenset({S.EVIDENCE, S.TERMINATION_CLOCK, S.TERMINATED}),
        {**_CIP_ONLY, ACCOUNT_OPEN: "The reseller's account is already recorded as closed."},
    ),
    "oversight_notice": workflow.Action(
        ANALYSTS, workflow.leading_to(OVERSIGHT_ALLOWED, S.NOTIFIED), _REPORTING_ONLY
    ),
    "oversight_suspension": workflow.Action(
        ANALYSTS, workflow.leading_to(OVERSIGHT_ALLOWED, S.SUSPENDED)
    ),
    "oversight_compliance": workflow.Action(ANALYSTS, frozenset({S.NOTIFIED}), _REPORTING_ONLY),
    "oversight_resumption": workflow.Action(
        ANALYSTS, workflow.leading_to(OVERSIGHT_ALLOWED, S.RESUMED)
    ),
}


def case_facts(basis: OversightBasis, *, account_closed: bool) -> dict[str, bool]:
    """What the actions of a case read of it."""
    return {
        CIP_CASE: basis is OversightBasis.CIP,
        REPORTING_CASE: basis is OversightBasis.REPORTING,
        ACCOUNT_OPEN: not account_closed,
    }


@dataclass(frozen=True)
class OpenCase:
    """An open case as the risk score reads it."""

    reseller: str
    evidence_kind: str
    basis: OversightBasis
    state: OversightState


def oversight_signals(cases: Sequence[OpenCase]) -> list[RiskSignal]:
    """Open cases against the provider's foreign resellers, as information recorded against the
    provider (§7.305(c)(4)). A reseller failing its CIP (§7.303(e)) bears on use by foreign
    malicious cyber actors (§7.305(d)(1)(i)); one failing to report AI training (§7.308(f)), on
    use by foreign persons to train large AI models (§7.305(d)(1)(ii))."""
    found = []
    cip = [case for case in cases if case.basis is OversightBasis.CIP]
    if cip:
        named = "; ".join(f"{case.reseller}: {case.evidence_kind}" for case in cip)
        found.append(
            RiskSignal(
                "§7.305(d)(1)(i)",
                "reseller_oversight",
                len(cip),
                f"{len(cip)} open case(s) of evidence against a foreign reseller (§7.303(e)) — "
                f"{named}.",
            )
        )
    reporting = [case for case in cases if case.basis is OversightBasis.REPORTING]
    if reporting:
        named = "; ".join(
            f"{case.reseller}: {case.evidence_kind}"
            + (" (provision suspended)" if case.state is S.SUSPENDED else "")
            for case in reporting
        )
        found.append(
            RiskSignal(
                "§7.305(d)(1)(ii)",
                "reseller_reporting_oversight",
                len(reporting),
                f"{len(reporting)} open case(s) of a foreign reseller not complying with §7.308 "
                f"(§7.308(f)) — {named}.",
            )
        )
    return found


# --- The steps recorded with a date and words (§7.303(e), §7.308(f)) -----------------------------


@dataclass(frozen=True)
class Step:
    """A step of a case recorded as a day and words: the state it moves the case to (None: it
    stays), the record's fields it fills, the earlier day it cannot precede, and what the page
    says when the words are missing (None: they may be left out)."""

    to: OversightState | None
    day_field: str
    note_field: str
    after_field: str
    what_day: str
    note_needed: str | None
    done: str
    heading: str


STEPS: Mapping[str, Step] = {
    "oversight_account_closure": Step(
        None, "account_closed_on", "account_closure_note", "evidence_received_on",
        "date the account was closed", None,
        "The closing of the reseller's account is recorded (§7.303(e)).",
        "The reseller's account is closed",
    ),
    "oversight_notice": Step(
        S.NOTIFIED, "notified_on", "notice_note", "evidence_received_on",
        "date of the notice",
        "Say what the provider told the reseller and what confirmation and evidence it asked "
        "for (§7.308(f)).",
        "The provider's notice to the reseller is recorded (§7.308(f)).",
        "The provider notified the reseller",
    ),
    "oversight_suspension": Step(
        S.SUSPENDED, "suspended_on", "suspension_note", "notified_on",
        "date provision was suspended",
        "Say what shows the reseller did not remediate or remains out of compliance "
        "(§7.308(f)).",
        "Provision to the reseller is recorded as suspended (§7.308(f)).",
        "The provider suspended provision",
    ),
    "oversight_compliance": Step(
        S.REMEDIATED, "outcome_on", "outcome_note", "notified_on",
        "date of the reseller's confirmation",
        "Describe the written confirmation and the evidence of compliance or remediation "
        "(§7.308(f)).",
        "The reseller's confirmation of compliance is recorded (§7.308(f)).",
        "The reseller confirmed compliance or remediation",
    ),
    "oversight_resumption": Step(
        S.RESUMED, "resumed_on", "assurances", "suspended_on",
        "date provision resumed",
        "Describe the assurances the reseller gave to prevent future violations (§7.308(f)).",
        "Provision to the reseller is recorded as resumed on its assurances (§7.308(f)).",
        "The provider resumed provision on assurances",
    ),
}  # fmt: skip
