"""Reports of suspected violations from anyone (§7.310): what a report needs, its
acknowledgement number, and its triage. Pure: no Flask, no database."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from core.auth.rules import Role
from core.workflow.rules import Action

SUBJECT = "violation_report"
# Acknowledgement numbers, VR-2026-00042, from core.counters like every reference people quote.
SERIES, DIGITS = "VR", 5

# §7.310(a): "facts or circumstances that indicate a violation ... may have occurred, or are
# likely to occur". A short sentence is the least that can say what happened; the upper bound keeps
# one report to what one analyst can read, attachments carrying anything longer.
MIN_DESCRIPTION_CHARS = 20
MAX_DESCRIPTION_CHARS = 10_000
# A member of the public sends a few documents, not an archive: three files of at most 10 MB
# each (core.documents keeps 20 MB for the office's own uploads). Office choice, shown on the page.
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Requirement(enum.StrEnum):
    """The requirement of subpart D the reporter believes is, or will be, violated."""

    CIP = "cip"
    FOREIGN_RESELLER = "foreign_reseller"
    CIP_REPORTING = "cip_reporting"
    EXEMPTION = "exemption"
    SPECIAL_MEASURE = "special_measure"
    AI_TRAINING = "ai_training"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        return REQUIREMENT_LABELS[self]


REQUIREMENT_LABELS = {
    Requirement.CIP: "Customer Identification Program: verifying foreign customers (§7.302)",
    Requirement.FOREIGN_RESELLER: "Foreign resellers and their programs (§7.303)",
    Requirement.CIP_REPORTING: "Certifications and reports to the Department (§7.304)",
    Requirement.EXEMPTION: "The conditions of an exemption (§7.306)",
    Requirement.SPECIAL_MEASURE: "A special measure on a foreign jurisdiction or person (§7.307)",
    Requirement.AI_TRAINING: "Reporting of large AI model training (§7.308)",
    Requirement.NOT_SURE: "I am not sure which requirement",
}


class Timing(enum.StrEnum):
    """The two cases §7.310(a) names, and a reporter who cannot tell."""

    OCCURRED = "occurred"
    LIKELY = "likely"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        return TIMING_LABELS[self]


TIMING_LABELS = {
    Timing.OCCURRED: "It may have occurred",
    Timing.LIKELY: "It is likely to occur",
    Timing.NOT_SURE: "I cannot tell",
}


class ReportState(enum.StrEnum):
    RECEIVED = "received"
    IN_TRIAGE = "in triage"
    CLOSED = "closed"


# Received reports wait in the queue; an analyst triages one, or closes it at once when it is
# plainly not a report (an advertisement, an empty complaint). A closed report stays closed: a
# later report about the same thing is a new report.
ALLOWED = {
    ReportState.RECEIVED: {ReportState.IN_TRIAGE, ReportState.CLOSED},
    ReportState.IN_TRIAGE: {ReportState.CLOSED},
    ReportState.CLOSED: set(),
}


class Outcome(enum.StrEnum):
    CASE = "case"
    DUPLICATE = "duplicate"
    NO_VIOLATION = "no_violation"
    INSUFFICIENT = "insufficient"
    NOT_SUBPART_D = "not_subpart_d"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


# In the order the page offers them: from no action to a case.
OUTCOME_LABELS = {
    Outcome.NO_VIOLATION: "The facts do not indicate a violation of subpart D",
    Outcome.INSUFFICIENT: "Too little to act on",
    Outcome.DUPLICATE: "Duplicate of an earlier report",
    # §7.310(b): a violation of the EAR, or a voluntary self-disclosure, is not this reporting.
    Outcome.NOT_SUBPART_D: "Not a subpart D matter (for example the EAR, §7.310(b))",
    Outcome.CASE: "Taken into a case (linked above)",
}

HAS_CASE = "has_case"
TRIAGERS = frozenset({Role.ANALYST})
# Contact details are the reporter's PII: read by those who work reports, each reading audited.
CONTACT_READERS = frozenset({Role.ANALYST, Role.REVIEWER})

ACTIONS: dict[str, Action[ReportState]] = {
    "start_triage": Action(TRIAGERS, frozenset({ReportState.RECEIVED})),
    "link": Action(TRIAGERS, frozenset({ReportState.IN_TRIAGE})),
    "close": Action(TRIAGERS, frozenset({ReportState.RECEIVED, ReportState.IN_TRIAGE})),
    "read_contact": Action(CONTACT_READERS, frozenset(ReportState)),
}


@dataclass(frozen=True)
class Attachment:
    """What the check needs of an uploaded file: its name, size, and whether its bytes are a
    PDF or a Word document (core.documents.document_type)."""

    filename: str
    size_bytes: int
    is_document: bool


def description_problems(text: str) -> list[str]:
    """Why the description cannot be a report of facts or circumstances (§7.310(a))."""
    length = len(" ".join(text.split()))
    if length == 0:
        return ["Describe the facts or circumstances that suggest a violation."]
    if length < MIN_DESCRIPTION_CHARS:
        return [
            f"Describe what happened in at least {MIN_DESCRIPTION_CHARS} characters: who, "
            "what and when, as far as you know."
        ]
    if length > MAX_DESCRIPTION_CHARS:
        return [
            f"Keep the description to {MAX_DESCRIPTION_CHARS:,} characters; attach a document "
            "for anything longer."
        ]
    return []


def attachment_problems(attachments: Sequence[Attachment]) -> list[str]:
    """Why the files cannot be kept: too many, empty, too large, or not a PDF or .docx."""
    megabytes = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    if len(attachments) > MAX_ATTACHMENTS:
        return [f"Attach at most {MAX_ATTACHMENTS} files."]
    problems = []
    for attachment in attachments:
        name = attachment.filename or "The file"
        if attachment.size_bytes == 0:
            problems.append(f"{name} is empty.")
        elif attachment.size_bytes > MAX_ATTACHMENT_BYTES:
            problems.append(f"{name} is larger than {megabytes} MB: nothing was kept.")
        elif not attachment.is_document:
            problems.append(f"{name} is not a PDF or a Word (.docx) document.")
    return problems


def close_problems(
    outcome: Outcome | None, reasons: str, *, has_case: bool
) -> dict[str, list[str]]:
    """Why a report cannot be closed so: an outcome and its reasons are always needed, and a
    report taken into a case names the case."""
    problems: dict[str, list[str]] = {}
    if outcome is None:
        problems["outcome"] = ["Choose the outcome."]
    elif outcome is Outcome.CASE and not has_case:
        problems["outcome"] = ["Link the case first, or choose another outcome."]
    if not reasons.strip():
        problems["reasons"] = ["Say why, for whoever reads the report later."]
    return problems


def is_anonymous(name: str, email: str, phone: str) -> bool:
    """A report with no way back to its reporter (§7.310(a) asks for none)."""
    return not (name.strip() or email.strip() or phone.strip())
