"""Who is told of a report received, and how reports are known to the kernel's ownership
(docs/architecture.md §12, §16). A report comes from outside the office, so nobody owns it
until an analyst triages it; until then every active analyst hears of it."""

from __future__ import annotations

import functools
from typing import Any

from core import clocks
from core.notifications.rules import NoticeKind, register_kind, register_sample
from core.notifications.services import notify, path_for
from core.ownership import registry
from core.ownership.services import possible_owners
from core.workflow.rules import open_states
from violation_reports import rules
from violation_reports.rules import SUBJECT

REPORT_RECEIVED = register_kind(
    NoticeKind(
        "violation_report_received",
        "A report of a suspected violation received from the public",
        "every active analyst",
        citation="§7.310(a)",
    )
)


@functools.cache
def owned_kind() -> registry.OwnedKind:
    """Reports as the kernel's ownership knows them (registered by init_app)."""
    return registry.OwnedKind(
        SUBJECT, "Violation reports", _model(),
        registry.open_values(open_states(rules.ALLOWED)),
        reference=lambda report: report.acknowledgement,
        subject_label=lambda report: report.provider.legal_name if report.provider else "",
        link=report_link, list_endpoint="violation_reports.queue", subject_type=SUBJECT,
    )  # fmt: skip


def _model() -> Any:
    from violation_reports.models import ViolationReport

    return ViolationReport


def report_link(report_id: str) -> str:
    return path_for("violation_reports.report", report_id=int(report_id))


def report_received(report: Any) -> None:
    """The inbox names the report by its number; the email says only that one arrived, its
    number and day (the report itself may be CUI, 32 CFR 2002.20)."""
    notify(
        possible_owners(),
        REPORT_RECEIVED.name,
        title=f"Violation report {report.acknowledgement} received; it waits for triage",
        link=report_link(str(report.id)),
        subject=(SUBJECT, report.id),
        mail_context={
            "acknowledgement": report.acknowledgement,
            "received_on": report.received_on,
            "citation": REPORT_RECEIVED.citation,
        },
    )


register_sample(
    REPORT_RECEIVED.name,
    lambda: {
        "acknowledgement": "VR-2026-00042",
        "received_on": clocks.office_today(),
        "citation": REPORT_RECEIVED.citation,
    },
)
