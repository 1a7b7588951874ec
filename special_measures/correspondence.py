"""Notice of a special measure to a provider it affects (§7.307), through intake's channel: the
unclassified written determination (§7.307(a)(3)-(4)) as the document."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.approvals import services as approvals
from core.auth.models import User
from core.consultations import services as consultations
from core.db import db, utcnow
from core.errors import IllegalTransition
from intake.correspondence import services as channel
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind
from intake.models import Provider
from special_measures import reports, services
from special_measures.models import ScreeningHit, ScreeningRun, SpecialMeasureCase


def determination_pdf(case: SpecialMeasureCase) -> bytes:
    return reports.determination_pdf(
        case,
        consultations=consultations.for_subject(services.CASE, case.id),
        approved_by=approvals.approval_line(services.CASE, case.id),
        generated_at=utcnow(),
    )


def affected_provider_ids(case: SpecialMeasureCase) -> set[int]:
    """Providers whose filings or foreign resellers the screenings matched to the measure."""
    return set(
        db.session.scalars(
            select(ScreeningRun.provider_id)
            .join(ScreeningHit, ScreeningHit.run_id == ScreeningRun.id)
            .where(ScreeningHit.case_id == case.id)
            .distinct()
        )
    )


def send_notice(
    case: SpecialMeasureCase, provider: Provider, *, actor: User, today: date
) -> Correspondence:
    """Send the issued determination to an affected provider's contact on record."""
    if case.issued_on is None:
        raise IllegalTransition("Only an issued determination is sent to providers.")
    return channel.issue_once(
        provider,
        CorrespondenceKind.SPECIAL_MEASURE_NOTICE,
        title=f"Special measure {case.reference}",
        subject=(services.CASE, case.id),
        pdf=lambda: determination_pdf(case),
        filename=f"{case.reference}-determination.pdf",
        actor=actor,
        today=today,
    )
