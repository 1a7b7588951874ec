"""A report of a suspected violation from receipt to its outcome (§7.310), on both databases:
kept with its acknowledgement number, told to the analysts, triaged, linked to a provider, a
foreign reseller and a case, and closed."""

import pytest
from sqlalchemy import select, text

from casework import services as casework
from casework.rules import AssessmentOrigin
from core import clocks
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.errors import IllegalTransition, InvalidInput
from core.ownership import services as ownership
from tests.factories import (
    add_reseller,
    make_provider,
    make_user,
    make_violation_report,
    notices_of,
)
from violation_reports import services
from violation_reports.models import ViolationReport
from violation_reports.rules import Outcome, ReportState

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_each_report_gets_the_next_acknowledgement_number_of_the_year(app):
    first, second = make_violation_report(), make_violation_report()
    year = clocks.office_today().year
    assert first.acknowledgement == f"VR-{year}-00001"
    assert second.acknowledgement == f"VR-{year}-00002"
    assert first.state is ReportState.RECEIVED and first.owner is None


def test_contact_details_are_kept_sealed_and_read_back_audited(app):
    report = make_violation_report()
    raw = db.session.execute(
        text("SELECT contact_sealed FROM violation_reports WHERE id = :id"), {"id": report.id}
    ).scalar_one()
    assert "ada@example.org" not in raw and "Ada Reporter" not in raw
    reviewer = make_user(Role.REVIEWER)
    contact = services.contact_of(report, actor=reviewer)
    assert contact == services.Contact("Ada Reporter", "ada@example.org", "+12025550100")
    db.session.commit()  # an event is linked into the trail when its transaction commits
    read = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "violation_report.contact_read")
    ).one()
    assert read.actor_id == reviewer.id
    with pytest.raises(Exception, match="Only analysts and reviewers"):
        services.contact_of(report, actor=make_user(Role.VIEWER))


def test_a_report_without_contact_details_is_anonymous(app):
    report = make_violation_report(contact=services.Contact())
    assert report.anonymous and report.contact_sealed is None


def test_every_problem_is_named_at_its_field_and_nothing_is_kept(app):
    with pytest.raises(InvalidInput) as refused:
        make_violation_report(
            description="Bad.",
            contact=services.Contact("", "not-an-address", "555"),
            uploads=[services.Upload("photo.jpg", b"\xff\xd8\xff\xe0 jpeg")],
        )
    assert set(refused.value.field_errors) == {"description", "email", "phone", "attachments"}
    db.session.rollback()
    assert db.session.scalar(select(ViolationReport.id)) is None


def test_every_active_analyst_is_told_with_the_number_alone(app):
    analysts = [make_user(Role.ANALYST), make_user(Role.ANALYST)]
    reviewer = make_user(Role.REVIEWER)
    report = make_violation_report()
    for analyst in analysts:
        [notice] = notices_of(analyst, "violation_report_received")
        assert report.acknowledgement in notice.title
        assert notice.link == f"/violation-reports/{report.id}"
    assert notices_of(reviewer, "violation_report_received") == []


def test_report_to_queue_to_links_to_closed_with_an_outcome(app):
    analyst = make_user(Role.ANALYST)
    provider = make_provider("Northwind Cloud Services, Inc.")
    other = make_provider("Harbor Light Compute, Inc.")
    reseller = add_reseller(provider, "Neva Cloud OOO", "RU")
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    report = make_violation_report(
        uploads=[services.Upload("evidence.pdf", PDF)],
    )
    assert [a.sha256 for a in report.attachments] and report.attachments[0].size_bytes == len(PDF)

    queued = db.session.scalars(services.queue_query(states=(ReportState.RECEIVED,))).all()
    assert queued == [report]

    services.start_triage(report, actor=analyst)
    assert report.state == ReportState.IN_TRIAGE
    assert report.owner == analyst
    assert ownership.open_cases_by_state(analyst)[0][1:] == ("in triage", 1)

    services.link_provider(report, provider.id, actor=analyst)
    services.link_reseller(report, reseller.id, actor=analyst)
    offered = services.candidate_cases(report)
    assert [(kind.key, case.id) for kind, case in offered] == [("assessment", assessment.id)]
    services.link_case(report, services.case_choice(*offered[0]), actor=analyst)
    assert services.linked_case(report)[1] == assessment

    with pytest.raises(InvalidInput, match="foreign resellers"):
        services.link_reseller(report, add_reseller(other, "Elsewhere", "CN").id, actor=analyst)
    with pytest.raises(InvalidInput, match="provider's cases"):
        services.link_case(report, "assessment:999999", actor=analyst)

    services.close(report, outcome=Outcome.CASE, reasons="Taken into the assessment.",
                   actor=analyst)  # fmt: skip
    db.session.commit()
    assert report.state == ReportState.CLOSED and report.outcome == Outcome.CASE
    assert report.closed_on == clocks.office_today() and report.closed_by == analyst
    still_open = services.queue_query(states=(ReportState.RECEIVED, ReportState.IN_TRIAGE))
    assert db.session.scalars(still_open).all() == []
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "violation_report")
    ).all()
    assert actions == [
        "violation_report.received", "violation_report.transition", "case.owner",
        "violation_report.link", "violation_report.link", "violation_report.link",
        "violation_report.transition",
    ]  # fmt: skip
    with pytest.raises(IllegalTransition):
        services.link_provider(report, other.id, actor=analyst)


def test_changing_the_provider_unlinks_its_reseller_and_case(app):
    analyst = make_user(Role.ANALYST)
    provider, other = make_provider(), make_provider("Harbor Light Compute, Inc.")
    report = make_violation_report()
    services.start_triage(report, actor=analyst)
    services.link_provider(report, provider.id, actor=analyst)
    services.link_reseller(report, add_reseller(provider, "Neva Cloud OOO", "RU").id, actor=analyst)
    services.link_provider(report, other.id, actor=analyst)
    assert report.provider == other and report.reseller is None and report.case_id is None


def test_a_report_is_not_taken_into_a_case_it_is_not_linked_to(app):
    analyst = make_user(Role.ANALYST)
    report = make_violation_report()
    with pytest.raises(InvalidInput, match="Link the case first"):
        services.close(report, outcome=Outcome.CASE, reasons="Opened one.", actor=analyst)
    services.close(report, outcome=Outcome.NOT_SUBPART_D, reasons="An EAR matter (§7.310(b)).",
                   actor=analyst)  # fmt: skip
    # Closed straight from the queue, by the analyst who closed it, who now owns it.
    assert report.state == ReportState.CLOSED and report.owner == analyst


def test_only_an_analyst_triages(app):
    report = make_violation_report()
    with pytest.raises(Exception, match="Only an analyst"):
        services.start_triage(report, actor=make_user(Role.REVIEWER))
