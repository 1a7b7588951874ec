"""Casework's documents sent to providers through intake's channel: the assessment report
(§7.305)."""

from __future__ import annotations

from datetime import date

from casework import reports, services
from casework.models import Assessment
from core.approvals import services as approvals
from core.auth.models import User
from core.db import utcnow
from core.errors import IllegalTransition
from core.office import services as office
from intake.correspondence import services as channel
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind


def assessment_report_pdf(assessment: Assessment) -> bytes:
    return reports.assessment_report_pdf(
        assessment,
        risk_lines=assessment.risk_lines_json,
        approved_by=approvals.approval_line(services.ASSESSMENT, assessment.id),
        office=office.documents(),
        generated_at=utcnow(),
    )


def send_assessment_report(assessment: Assessment, *, actor: User, today: date) -> Correspondence:
    """Send the issued report to the provider's contact on record."""
    if assessment.issued_on is None:
        raise IllegalTransition("Only an issued report is sent to the provider.")
    return channel.issue_once(
        assessment.provider,
        CorrespondenceKind.ASSESSMENT_REPORT,
        title=f"Compliance assessment report {assessment.reference}",
        subject=(services.ASSESSMENT, assessment.id),
        pdf=lambda: assessment_report_pdf(assessment),
        filename=f"{assessment.reference}.pdf",
        actor=actor,
        today=today,
    )
