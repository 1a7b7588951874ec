"""The decision on a request for an exemption (§7.306), sent to the provider through intake's
channel."""

from __future__ import annotations

from datetime import date

from core.auth.models import User
from core.consultations import services as consultations
from core.db import utcnow
from core.errors import IllegalTransition
from core.office import services as office
from exemptions import reports, services
from exemptions.models import ExemptionCase
from intake.correspondence import services as channel
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind


def decision_letter_pdf(case: ExemptionCase) -> bytes:
    return reports.decision_letter_pdf(
        case,
        consultations=consultations.for_subject(services.SUBJECT, case.id),
        office=office.documents(),
        generated_at=utcnow(),
    )


def send_decision_letter(case: ExemptionCase, *, actor: User, today: date) -> Correspondence:
    """Send the decision letter to the provider's contact on record."""
    if case.decided_on is None:
        raise IllegalTransition("Only a decided request has a decision letter to send.")
    return channel.issue_once(
        case.provider,
        CorrespondenceKind.EXEMPTION_DECISION,
        title=f"Decision on the request for an exemption, receipt {case.filing.receipt_number}",
        subject=(services.SUBJECT, case.id),
        pdf=lambda: decision_letter_pdf(case),
        filename=f"exemption-{case.filing.receipt_number}.pdf",
        actor=actor,
        today=today,
    )
