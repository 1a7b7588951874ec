"""Reports of suspected violations (§7.310): received from anyone, triaged by an analyst,
linked to a provider, a reseller or a case, and closed with an outcome. Never a provider's to
read: no provider-facing route or API touches this module."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import selectinload

from core import clocks, counters, crypto, documents
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.errors import DomainError, InvalidInput
from core.ownership import registry
from core.ownership import services as ownership
from core.schema import check_email, check_phone
from core.workflow import rules as workflow
from core.workflow.services import change_state
from intake.models import ForeignReseller, Provider
from violation_reports import notices, rules
from violation_reports.models import ViolationReport, ViolationReportAttachment
from violation_reports.rules import SUBJECT, Outcome, ReportState, Requirement, Timing

# Whoever sends a report is nobody the system knows: the audit trail names them so.
PUBLIC_ACTOR = "public reporter"


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""


def _checked_contact(contact: Contact, problems: dict[str, list[str]]) -> Contact:
    email, phone = contact.email.strip(), contact.phone.strip()
    if email:
        email, why = check_email(email)
        if why:
            problems["email"] = [f"The email address {why}."]
    if phone:
        phone, why = check_phone(phone)
        if why:
            problems["phone"] = [f"The telephone number {why}."]
    return Contact(" ".join(contact.name.split()), email or "", phone or "")


def _checked_uploads(uploads: list[Upload]) -> list[str]:
    return rules.attachment_problems(
        [
            rules.Attachment(
                upload.filename,
                len(upload.content),
                documents.document_type(
                    upload.filename, upload.content[:8], documents.zip_names(upload.content)
                )
                is not None,
            )
            for upload in uploads
        ]
    )


def submission_problems(
    description: str, contact: Contact, uploads: list[Upload]
) -> tuple[dict[str, list[str]], Contact]:
    """What stops a report being kept, by field (§7.310(a)), and the contact details as kept."""
    problems: dict[str, list[str]] = {}
    if found := rules.description_problems(description):
        problems["description"] = found
    contact = _checked_contact(contact, problems)
    if found := _checked_uploads(uploads):
        problems["attachments"] = found
    return problems, contact


def submit(
    *,
    requirement: Requirement,
    timing: Timing,
    concerns: str,
    description: str,
    contact: Contact,
    uploads: list[Upload],
) -> ViolationReport:
    """Keep a report as sent, with its acknowledgement number, and tell the analysts. Every
    problem is named at its field before anything is kept (§7.310(a))."""
    problems, contact = submission_problems(description, contact, uploads)
    if problems:
        raise InvalidInput(problems)
    today = clocks.office_today()
    report = ViolationReport(
        acknowledgement=counters.next_reference(rules.SERIES, today.year, digits=rules.DIGITS),
        received_on=today,
        requirement=requirement,
        timing=timing,
        concerns=" ".join(concerns.split()),
        description=description.strip(),
        contact_sealed=None
        if rules.is_anonymous(contact.name, contact.email, contact.phone)
        else crypto.encrypt(json.dumps(contact.__dict__)),
        state=ReportState.RECEIVED,
    )
    db.session.add(report)
    db.session.flush()
    for upload in uploads:
        attachment = ViolationReportAttachment(report_id=report.id)
        attachment.keep(documents.describe(upload.filename, upload.content), upload.content)
        db.session.add(attachment)
    db.session.flush()
    record_event(
        "violation_report.received",
        actor=None,
        actor_label=PUBLIC_ACTOR,
        subject=(SUBJECT, report.id),
        after={
            "acknowledgement": report.acknowledgement,
            "anonymous": report.anonymous,
            "attachments": [(a.filename, a.sha256) for a in report.attachments],
        },
    )
    notices.report_received(report)
    return report


def get_report(report_id: int) -> ViolationReport | None:
    return db.session.get(ViolationReport, report_id)


def queue_query(
    owned: ColumnElement[bool] | None = None, states: Collection[ReportState] = ()
) -> Select[Any]:
    """The triage queue: every report with its owner, newest first, narrowed to ``states``."""
    query = ownership.cases_query(ViolationReport, owned).options(
        selectinload(ViolationReport.provider)
    )
    return query.where(ViolationReport.state.in_(list(states))) if states else query


def actions_for(report: ViolationReport, role: Any) -> frozenset[str]:
    return workflow.available_actions(rules.ACTIONS, report.state_enum, role, _facts(report))


def _facts(report: ViolationReport) -> dict[str, bool]:
    return {rules.HAS_CASE: report.case_id is not None}


def _require(report: ViolationReport, action: str, actor: User) -> None:
    if actor.role_enum not in rules.ACTIONS[action].roles:
        raise DomainError("Only an analyst triages reports.")
    workflow.check_action(
        rules.ACTIONS, action, report.state_enum, _facts(report),
        message=f"This report now stands at “{report.state}”; this step is not open.",
    )  # fmt: skip


def start_triage(report: ViolationReport, *, actor: User) -> None:
    """The analyst who starts triage owns the report, as one owns a case
    (docs/architecture.md §16)."""
    _require(report, "start_triage", actor)
    change_state(
        report, ReportState.IN_TRIAGE, rules.ALLOWED, subject_type=SUBJECT, actor=actor,
        noun="report",
    )  # fmt: skip
    ownership.take_unowned(SUBJECT, report, actor)
    db.session.flush()


def _linked(report: ViolationReport, what: str, before: Any, after: Any, actor: User) -> None:
    db.session.flush()
    record_event(
        "violation_report.link", actor=actor, subject=(SUBJECT, report.id),
        before={what: before}, after={what: after},
    )  # fmt: skip


def link_provider(report: ViolationReport, provider_id: int | None, *, actor: User) -> None:
    """The provider the report is about; changing it unlinks a reseller and a case of another."""
    _require(report, "link", actor)
    provider = db.session.get(Provider, provider_id) if provider_id is not None else None
    if provider_id is not None and provider is None:
        raise InvalidInput({"provider": ["Choose one of the providers on record."]})
    before = report.provider.legal_name if report.provider else None
    if report.provider_id != provider_id:
        report.provider, report.reseller = provider, None
        report.case_kind = report.case_id = None
    _linked(report, "provider", before, provider.legal_name if provider else None, actor)


def resellers_of(report: ViolationReport) -> list[ForeignReseller]:
    if report.provider_id is None:
        return []
    return list(
        db.session.scalars(
            select(ForeignReseller)
            .where(ForeignReseller.provider_id == report.provider_id)
            .order_by(ForeignReseller.name, ForeignReseller.id)
        )
    )


def link_reseller(report: ViolationReport, reseller_id: int | None, *, actor: User) -> None:
    """One of the linked provider's foreign resellers (§7.303)."""
    _require(report, "link", actor)
    reseller = db.session.get(ForeignReseller, reseller_id) if reseller_id is not None else None
    if reseller_id is not None and (reseller is None or reseller.provider_id != report.provider_id):
        raise InvalidInput({"reseller": ["Choose one of the linked provider's foreign resellers."]})
    before = report.reseller.name if report.reseller else None
    report.reseller = reseller
    _linked(report, "reseller", before, reseller.name if reseller else None, actor)


def candidate_cases(report: ViolationReport) -> list[tuple[registry.OwnedKind, Any]]:
    """The linked provider's cases of every module, as the ownership registry knows them:
    the cases a report can be taken into."""
    if report.provider_id is None:
        return []
    found = []
    for kind in registry.kinds():
        model: Any = kind.model
        if kind.key == SUBJECT or not hasattr(model, "provider_id"):
            continue
        rows = db.session.scalars(
            select(model).where(model.provider_id == report.provider_id).order_by(model.id.desc())
        )
        found += [(kind, case) for case in rows]
    return found


def linked_case(report: ViolationReport) -> tuple[registry.OwnedKind, Any] | None:
    kind = registry.kind(report.case_kind) if report.case_kind else None
    if kind is None or report.case_id is None:
        return None
    case = ownership.get_case(kind, report.case_id)
    return (kind, case) if case is not None else None


def case_choice(kind: registry.OwnedKind, case: Any) -> str:
    return f"{kind.key}:{case.id}"


def link_case(report: ViolationReport, choice: str | None, *, actor: User) -> None:
    """One of the linked provider's cases (``candidate_cases``), or none."""
    _require(report, "link", actor)
    chosen = None
    if choice:
        chosen = next(
            ((k, c) for k, c in candidate_cases(report) if case_choice(k, c) == choice), None
        )
        if chosen is None:
            raise InvalidInput({"case": ["Choose one of the linked provider's cases."]})
    before = linked_case(report)
    report.case_kind = chosen[0].key if chosen else None
    report.case_id = chosen[1].id if chosen else None
    _linked(
        report, "case", before[0].reference(before[1]) if before else None,
        chosen[0].reference(chosen[1]) if chosen else None, actor,
    )  # fmt: skip


def close(report: ViolationReport, *, outcome: Outcome | None, reasons: str, actor: User) -> None:
    _require(report, "close", actor)
    if problems := rules.close_problems(outcome, reasons, has_case=report.case_id is not None):
        raise InvalidInput(problems)
    assert outcome is not None
    change_state(
        report, ReportState.CLOSED, rules.ALLOWED, subject_type=SUBJECT, actor=actor,
        noun="report", outcome=outcome.value, reasons=reasons.strip(),
    )  # fmt: skip
    report.outcome, report.outcome_reasons = outcome, reasons.strip()
    report.closed_on, report.closed_by = clocks.office_today(), actor
    ownership.take_unowned(SUBJECT, report, actor)
    db.session.flush()


def contact_of(report: ViolationReport, *, actor: User) -> Contact | None:
    """The reporter's contact details, unsealed for one reading, which is audited."""
    if actor.role_enum not in rules.CONTACT_READERS:
        raise DomainError("Only analysts and reviewers read a reporter's contact details.")
    if report.contact_sealed is None:
        return None
    record_event("violation_report.contact_read", actor=actor, subject=(SUBJECT, report.id))
    return Contact(**json.loads(crypto.decrypt(report.contact_sealed)))


def attachment_of(
    report: ViolationReport, attachment_id: int, *, actor: User
) -> ViolationReportAttachment | None:
    attachment = db.session.get(ViolationReportAttachment, attachment_id)
    if attachment is None or attachment.report_id != report.id:
        return None
    record_event(
        "violation_report.attachment_read", actor=actor, subject=(SUBJECT, report.id),
        after={"filename": attachment.filename, "sha256": attachment.sha256},
    )  # fmt: skip
    return attachment
