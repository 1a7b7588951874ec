"""The risk score of §7.305(b)–(d): what the office knows about a provider, weighed line by line,
each line citing the criterion it bears on. Pure: facts and weights in, lines out."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from core import clocks
from core.approvals.rules import OWN_DRAFT, OWN_DRAFT_NEEDED
from core.auth.rules import Role
from core.risk import RiskSignal
from core.workflow import rules as workflow
from core.workflow.rules import leading_to
from intake.kinds import AI_RUN_REPORT_KINDS
from intake.reviews import paragraphs

# Intake's certification status of a provider whose exemption waives it (§7.306(e)).
EXEMPT = "exempt"


@dataclass(frozen=True)
class ProviderFacts:
    provider_id: int
    legal_name: str
    certification_status: str  # intake's: current, window open, overdue, never certified, …
    certification_due_on: date | None
    late_filings: int
    unverified_accounts: int
    # Provisioning dates of the unverified accounts listed (§7.304(a)(2)(ix)(A)).
    unverified_since: tuple[date, ...] = field(default=())
    signals: tuple[RiskSignal, ...] = field(default=())

    @property
    def exempt(self) -> bool:
        return is_exempt(self.certification_status)


def is_exempt(certification_status: str) -> bool:
    """Intake expects no certification: an exemption lifts §§7.302, 7.304 and 7.305
    (§7.306(e)), so none missing is a failure to submit (§7.305(d)(2)(i))."""
    return certification_status == EXEMPT


@dataclass(frozen=True)
class ScheduledProvider:
    """What the assessment schedule reads of a provider (§7.305(e)(1)), as its kept risk score
    records it: enough to tell whether it is due, without the facts the score was made of."""

    provider_id: int
    legal_name: str
    certification_status: str

    @property
    def exempt(self) -> bool:
        return is_exempt(self.certification_status)


@dataclass(frozen=True)
class ScoreLine:
    criterion: str
    kind: str
    count: int
    weight: int
    explanation: str

    @property
    def points(self) -> int:
        return self.count * self.weight

    @property
    def why_no_points(self) -> str:
        """What the line's page says beside a line that adds nothing."""
        if self.weight:
            return ""
        if self.kind == IN_REMEDIATION:
            return "not scored while the remediation period runs (§7.305(a), (d)(2)(ii))"
        return f"no weight set for “{self.kind}”"


CRITERIA = {
    "§7.305(d)(1)(i)": "Use by foreign malicious cyber actors",
    "§7.305(d)(1)(ii)": "Use by foreign persons to train large AI models",
    "§7.305(d)(2)(i)": "Failure to submit a CIP certification",
    "§7.305(d)(2)(ii)": "Failure to implement recommended measures",
}


# An account left unverified this long weighs more: verification should take weeks, not months.
STALE_DAYS = 90

# The version of the rules below that turn facts into lines, kept with every score and snapshot
# beside its weights (weights_version), so a score reads as it was computed. Raised whenever what
# a line counts changes. 2026-12-03: a late AI report counts once, under §7.305(d)(1)(ii);
# findings within their remediation period are not a failure to implement (§7.305(d)(2)(ii));
# notices of material change owed under §7.309(b) are weighed.
SCORING_RULES_VERSION = "2026-12-03"

# A late training report (§7.308(c)) is scored once, by intake's AI source, under
# §7.305(d)(1)(ii): it is not a CIP certification, which is all §7.305(d)(2)(i) names.
LATE_UNDER_AI_CRITERION = frozenset(AI_RUN_REPORT_KINDS)


def late_filing_criterion(kind: str) -> str:
    """The one paragraph a late filing of ``kind`` scores under."""
    return "§7.305(d)(1)(ii)" if kind in LATE_UNDER_AI_CRITERION else "§7.305(d)(2)(i)"


def _own_signals(facts: ProviderFacts, today: date) -> Iterable[RiskSignal]:
    """What intake's records say, in the form every module's signals take."""
    if facts.certification_status == "never certified":
        yield RiskSignal(
            "§7.305(d)(2)(i)", "never_certified", 1, "No CIP certification has been received."
        )
    elif facts.certification_status == "overdue" and facts.certification_due_on:
        days = (today - facts.certification_due_on).days
        yield RiskSignal(
            "§7.305(d)(2)(i)",
            "overdue_certification",
            1,
            f"Annual certification due {facts.certification_due_on.isoformat()}, "
            f"{days} days overdue.",
        )
    if facts.late_filings:
        yield RiskSignal(
            "§7.305(d)(2)(i)",
            "late_filing",
            facts.late_filings,
            f"{facts.late_filings} filing(s) received after their due date (late AI training "
            "reports are scored once, under §7.305(d)(1)(ii), not here).",
        )
    if facts.unverified_accounts:
        yield RiskSignal(
            "§7.305(d)(1)(i)",
            "unverified_account",
            facts.unverified_accounts,
            f"{facts.unverified_accounts} unverified foreign customer account(s) in the latest "
            "certification.",
        )
    stale = [since for since in facts.unverified_since if (today - since).days > STALE_DAYS]
    if stale:
        yield RiskSignal(
            "§7.305(d)(1)(i)",
            "stale_unverified_account",
            len(stale),
            f"{len(stale)} of them unverified for more than {STALE_DAYS} days (the oldest since "
            f"{min(stale).isoformat()}).",
        )


def findings_signal(
    reference: str, findings: int, remediation_due_on: date | None, today: date
) -> RiskSignal:
    """An issued assessment's findings not yet remediated. The provider resolves them "within a
    reasonable time period, as determined by the Department" (§7.305(a)): until that period ends
    they are not a "failure ... to implement measures recommended" (§7.305(d)(2)(ii)), so they
    are shown without points (their kind has no weight); from the day after it they score."""
    if remediation_due_on is not None and today > remediation_due_on:
        return RiskSignal(
            "§7.305(d)(2)(ii)",
            "overdue_findings",
            findings,
            f"{findings} finding(s) of {reference} not remediated by "
            f"{remediation_due_on.isoformat()}.",
        )
    period = (
        f"its remediation period, which ends {remediation_due_on.isoformat()}"
        if remediation_due_on
        else "a remediation period not yet set"
    )
    return RiskSignal(
        "§7.305(d)(2)(ii)",
        IN_REMEDIATION,
        findings,
        f"{findings} finding(s) of {reference} within {period} (§7.305(a)): not a failure to "
        "implement until then, so no points.",
    )


# Findings within their period: shown, never weighed (no rule parameter has this kind).
IN_REMEDIATION = "findings_in_remediation"


def score_lines(facts: ProviderFacts, weights: Mapping[str, int], today: date) -> list[ScoreLine]:
    """Every signal as a line: its count times the weight in force for its kind (no weight, no
    points, but the line is still shown so nobody wonders where a fact went)."""
    return [
        ScoreLine(
            signal.criterion,
            signal.kind,
            signal.count,
            0 if signal.kind == IN_REMEDIATION else weights.get(signal.kind, 0),
            signal.explanation,
        )
        for signal in (*_own_signals(facts, today), *facts.signals)
    ]


def total(lines: Iterable[ScoreLine]) -> int:
    return sum(line.points for line in lines)


@dataclass(frozen=True)
class Change:
    provider_id: int
    legal_name: str
    before: int | None
    now: int

    @property
    def delta(self) -> int:
        return self.now - (self.before or 0)


def changes(now: Mapping[int, tuple[str, int]], before: Mapping[int, int]) -> list[Change]:
    """Providers whose score moved since the earlier snapshot (new providers included), the
    largest movement first."""
    moved = [
        Change(provider_id, name, before.get(provider_id), score)
        for provider_id, (name, score) in now.items()
        if before.get(provider_id) != score
    ]
    return sorted(moved, key=lambda change: (-abs(change.delta), change.legal_name))


def histogram(scores: Iterable[int], *, bucket: int = 10) -> list[tuple[str, int]]:
    """How many providers score in each band of ``bucket`` points, for the distribution chart."""
    counts: dict[int, int] = {}
    for score in scores:
        counts[score // bucket] = counts.get(score // bucket, 0) + 1
    if not counts:
        return []
    return [
        (f"{band * bucket}–{band * bucket + bucket - 1}", counts.get(band, 0))
        for band in range(0, max(counts) + 1)
    ]


# --- Who does what to a casework record -------------------------------------------------------

ANALYSTS = frozenset({Role.ANALYST})
REVIEWERS = frozenset({Role.REVIEWER})
RECORDERS = ANALYSTS | REVIEWERS


def oversight_date_problem(day: date, *, not_before: date, what: str, today: date) -> str | None:
    if day > today:
        return f"The {what} cannot be in the future."
    if day < not_before:
        return f"The {what} cannot be before {not_before.isoformat()}."
    return None


# A draft is its drafter's (docs/architecture.md §5): to change while drafted, and to withdraw
# until it ends.
OWN = {OWN_DRAFT: OWN_DRAFT_NEEDED}


# --- Compliance assessments (§7.305) -------------------------------------------------------------

# The requirements of §7.302(b)–(f) a finding may say the CIP falls short of, itemised to the
# sub-paragraph where the rule lists items: intake's catalogue, which its reviews of
# certifications cite too.
CIP_REQUIREMENTS = paragraphs.CIP_REQUIREMENTS
RECOMMENDATION_KINDS = {
    "f1i": ("§7.305(f)(1)(i)", "Measures to address the risk of malicious cyber-enabled use or "
            "of training a foreign-owned large AI model"),
    "f1ii": ("§7.305(f)(1)(ii)", "Special measures the provider must take under §7.307"),
}  # fmt: skip


class AssessmentOrigin(enum.StrEnum):
    RISK_QUEUE = "the risk queue"
    REFERRAL = "a referral"
    ANNUAL = "the annual schedule"
    RISK_SCHEDULE = "a risk-based schedule"
    FOLLOW_UP = "a follow-up of an earlier assessment"


class AssessmentState(enum.StrEnum):
    OPEN = "open"
    INFORMATION_REQUESTED = "information requested"
    DRAFTED = "findings drafted"
    IN_REVIEW = "in review"
    APPROVED = "approved"
    ISSUED = "issued; remediation due"
    REMEDIATED = "CIP resubmitted"
    CLOSED = "closed"


# Assessments are conducted at the Department's "sole discretion as to time and manner"
# (§7.305(b)): one may close, with a note saying why, at any point before its report is issued.
# Once issued, it closes when the provider's resubmitted CIP is in (§7.305(a)).
ASSESSMENT_ALLOWED: dict[AssessmentState, frozenset[AssessmentState]] = {
    AssessmentState.OPEN: frozenset(
        {AssessmentState.INFORMATION_REQUESTED, AssessmentState.DRAFTED, AssessmentState.CLOSED}
    ),
    AssessmentState.INFORMATION_REQUESTED: frozenset(
        {AssessmentState.DRAFTED, AssessmentState.CLOSED}
    ),
    AssessmentState.DRAFTED: frozenset({AssessmentState.IN_REVIEW, AssessmentState.CLOSED}),
    AssessmentState.IN_REVIEW: frozenset(
        {AssessmentState.APPROVED, AssessmentState.DRAFTED, AssessmentState.CLOSED}
    ),
    # A report with no shortcomings closes the assessment on issue.
    AssessmentState.APPROVED: frozenset(
        {AssessmentState.ISSUED, AssessmentState.CLOSED, AssessmentState.DRAFTED}
    ),
    AssessmentState.ISSUED: frozenset({AssessmentState.REMEDIATED}),
    AssessmentState.REMEDIATED: frozenset({AssessmentState.CLOSED}),
    AssessmentState.CLOSED: frozenset(),
}

# A follow-up checks the remediation of findings already made (§7.305(e)(2)): only once the
# report has gone to the provider.
FOLLOW_UP_FROM = frozenset(
    {AssessmentState.ISSUED, AssessmentState.REMEDIATED, AssessmentState.CLOSED}
)


def follow_up_problem(state: AssessmentState) -> str | None:
    if state in FOLLOW_UP_FROM:
        return None
    return (
        f"A follow-up assessment checks the remediation of findings already issued "
        f"(§7.305(e)(2)); this assessment is {state}, and its report has not been issued."
    )


A = AssessmentState
# The findings may change until the report goes to review, and again once the reviewer returns it
# (to "findings drafted"); in review or approved they stand as the reviewer read them
# (docs/architecture.md §5). Each finding is its author's to change or withdraw.
DRAFTING = frozenset({A.OPEN, A.INFORMATION_REQUESTED, A.DRAFTED})
ASSESSMENT_ACTIONS: dict[str, workflow.Action[AssessmentState]] = {
    "assessment_request": workflow.Action(
        ANALYSTS, frozenset({A.OPEN, A.INFORMATION_REQUESTED, A.DRAFTED})
    ),
    "assessment_finding": workflow.Action(ANALYSTS, DRAFTING),
    "edit_assessment_finding": workflow.Action(ANALYSTS, DRAFTING, OWN),
    "withdraw_assessment_finding": workflow.Action(ANALYSTS, DRAFTING, OWN),
    "submit_assessment": workflow.Action(
        ANALYSTS, frozenset({A.OPEN, A.INFORMATION_REQUESTED, A.DRAFTED})
    ),
    "decide_assessment": workflow.Action(REVIEWERS, frozenset({A.IN_REVIEW})),
    "issue_assessment": workflow.Action(RECORDERS, frozenset({A.APPROVED})),
    "assessment_resubmission": workflow.Action(ANALYSTS, frozenset({A.ISSUED})),
    "close_assessment": workflow.Action(ANALYSTS, leading_to(ASSESSMENT_ALLOWED, A.CLOSED)),
    "follow_up_assessment": workflow.Action(ANALYSTS, FOLLOW_UP_FROM),
    "assessment_action": workflow.Action(ANALYSTS, frozenset(AssessmentState)),
}


FURTHER_ACTIONS = {
    "audit": ("§7.305(e)(3)", "Request an audit of the provider's CIP processes and procedures"),
    "transaction_review": ("§7.305(f)(2)", "Refer for review of a transaction or class of "
                           "transactions under subpart B"),
    "special_measure": ("§7.305(a), §7.307", "Refer for a special-measure evaluation"),
}  # fmt: skip


# --- Scheduled assessments (§7.305(e)(1)) --------------------------------------------------------

# A provider whose score reaches this is due for a risk-based assessment (§7.305(e)(1)): the
# default of the rule parameter "assessment.risk_schedule_points", the office's starting figure
# (the weight of a never-certified provider), not the rule's.
RISK_SCHEDULE_THRESHOLD = 40


@dataclass(frozen=True)
class AssessmentHistory:
    """A provider's assessments so far: when the latest was opened, and whether one is still
    under way (not closed)."""

    last_opened_on: date | None = None
    in_progress: bool = False


@dataclass(frozen=True)
class DueAssessment:
    provider_id: int
    legal_name: str
    score: int
    last_opened_on: date | None
    origin: AssessmentOrigin
    reasons: tuple[str, ...]


def assessment_due(
    facts: ProviderFacts | ScheduledProvider,
    score: int,
    history: AssessmentHistory,
    today: date,
    *,
    threshold: int = RISK_SCHEDULE_THRESHOLD,
) -> DueAssessment | None:
    """Due annually when never assessed or last assessed more than a year ago, and on a risk
    basis when the score is at or above ``threshold`` (§7.305(e)(1)). Not while an assessment is
    under way (a follow-up of that one comes under §7.305(e)(2)), nor for an exempt provider
    (§7.306(e))."""
    if facts.exempt or history.in_progress:
        return None
    reasons = []
    risky = score >= threshold
    if risky:
        reasons.append(f"Risk score {score}, at or above {threshold} (§7.305(d), (e)(1)).")
    if history.last_opened_on is None:
        reasons.append("Never assessed (§7.305(e)(1)).")
    elif today > (anniversary := clocks.add_one_year(history.last_opened_on)):
        reasons.append(
            f"Last assessment opened {history.last_opened_on.isoformat()}; a year passed on "
            f"{anniversary.isoformat()} (§7.305(e)(1))."
        )
    if not reasons:
        return None
    return DueAssessment(
        provider_id=facts.provider_id,
        legal_name=facts.legal_name,
        score=score,
        last_opened_on=history.last_opened_on,
        origin=AssessmentOrigin.RISK_SCHEDULE if risky else AssessmentOrigin.ANNUAL,
        reasons=tuple(reasons),
    )


def annual_assessment_edge(today: date) -> date:
    """The latest day an assessment may have been opened for a year to have passed by
    ``today`` (§7.305(e)(1)): ``today > add_one_year(opened_on)`` exactly when ``opened_on``
    is on or before it, so that a query can ask the question of every provider at once."""
    edge = today - timedelta(days=366)
    # add_one_year never decreases, so the edge is found by stepping over at most two days.
    while clocks.add_one_year(edge) >= today:
        edge -= timedelta(days=1)
    while clocks.add_one_year(edge + timedelta(days=1)) < today:
        edge += timedelta(days=1)
    return edge


def due_for_assessment(
    providers: Iterable[tuple[ProviderFacts | ScheduledProvider, int, AssessmentHistory]],
    today: date,
    *,
    threshold: int = RISK_SCHEDULE_THRESHOLD,
) -> list[DueAssessment]:
    """Every provider due, risk-based first (highest score first), then the annual ones."""
    due = [
        entry
        for facts, score, history in providers
        if (entry := assessment_due(facts, score, history, today, threshold=threshold))
    ]
    return sorted(
        due,
        key=lambda entry: (
            entry.origin is not AssessmentOrigin.RISK_SCHEDULE,
            -entry.score,
            entry.legal_name,
        ),
    )
