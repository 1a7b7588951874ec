"""The CUI marking rule as a test (32 CFR 2002.20; docs/architecture.md §12): every kind of
message the system sends is produced through its real path, with realistic records (providers
with names, AI training reports naming foreign parties with their payment identifiers,
findings, comments), delivered to a real SMTP server, and scanned for every protected field of
its records. A kind of notice, or a mail template, without a row in ``SCANS`` fails the suite."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from casework import services as casework
from casework.rules import AssessmentOrigin
from core import clocks
from core.audit.checks import DAILY_CHECK
from core.auth import links
from core.auth.rules import Role
from core.consultations import reminders
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from core.deadlines import services as deadlines
from core.jobs.models import Job
from core.notifications import rules
from core.notifications.digest import send_digests
from core.notifications.models import Notification, NotificationSetting, OutgoingMail
from core.notifications.rules import Delivery
from core.ownership import registry
from core.ownership import services as ownership
from core.users import services as users
from exemptions import services as exemptions
from intake import services as intake
from intake.ai import services as ai_services
from intake.examples import payload
from intake.models import ForeignReseller, Provider
from intake.reviews import services as reviews
from intake.reviews.rules import Reason
from tests.core.audit.test_daily_check import _rewrite_event
from tests.core.audit.test_tamper_resistance import _five_events
from tests.core.notifications.test_mail import _failed_import
from tests.factories import (
    FINDING_REASONS,
    commit_and_deliver,
    file_exemption_request,
    file_report,
    make_admin,
    make_filing,
    make_measure,
    make_provider,
    make_user,
    prepare_finding,
    run_daily,
)
from tests.intake.test_requests import PDF_BYTES
from tests.mailcatcher import MailCatcher, html_of, text_of
from violation_reports import services as violation_reports
from violation_reports.rules import Requirement, Timing

MAIL_TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "mail"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def protected_strings(value: object) -> Iterator[str]:
    """Every free-text leaf of a filing's data: names, addresses, identifiers, narratives (a
    code such as "entity" or a date is not protected, and appears in ordinary words)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from protected_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from protected_strings(item)
    elif isinstance(value, str) and _free_text(value):
        yield value


def _free_text(value: str) -> bool:
    if ISO_DATE.fullmatch(value):
        return False
    return " " in value or "@" in value or any(c.isdigit() for c in value)


def of_provider(provider: Provider) -> list[str]:
    return [
        provider.legal_name, *provider.business_names, provider.contact_name,
        provider.contact_email, provider.contact_phone, provider.street_address,
    ]  # fmt: skip


def _named_provider() -> Provider:
    return make_provider("Northwind Cloud Services, Inc.", business_names=["Northwind Cloud"])


def _report(provider: Provider, **changes: object):
    """An AI training report and what it says: its payload as filed, payment identifiers whole
    (the stored data masks them)."""
    report = file_report(provider, **changes)
    return report, list(protected_strings(payload("ai_initial_report", **changes)))


# --- Scans, one a kind of message: each makes it happen and names what it must not say --------


def scan_job_failed() -> list[str]:
    provider = _named_provider()
    _failed_import(make_user(Role.ANALYST))
    return of_provider(provider)


def _consulted(respond_in_days: int = 30, *, requested_days_ago: int = 0):
    make_user(Role.LIAISON, agency="DHS")
    analyst = make_user(Role.ANALYST)
    case = file_exemption_request(_named_provider())
    exemptions.start_review(case, actor=analyst)
    today = clocks.office_today()
    summary = "Northwind Cloud Services asks to be exempted; its reseller Neva Cloud OOO is in RU."
    made = exemptions.consult_agencies(
        case, summary=summary, requested_on=today - timedelta(days=requested_days_ago),
        respond_by=today + timedelta(days=respond_in_days), optional_agencies=(), actor=analyst,
    )  # fmt: skip
    commit_and_deliver()
    dhs = next(c for c in made if c.agency == "DHS")
    return dhs, [summary, dhs.subject_label, case.label, *of_provider(case.provider),
                 *protected_strings(case.filing.data_json)]  # fmt: skip


def scan_consultation_requested() -> list[str]:
    return _consulted()[1]


def scan_position_due_soon() -> list[str]:
    protected = _consulted(respond_in_days=2)[1]
    reminders.remind_agencies(clocks.office_today())
    return protected


def scan_position_overdue() -> list[str]:
    protected = _consulted(respond_in_days=-1, requested_days_ago=30)[1]
    reminders.remind_agencies(clocks.office_today())
    return protected


def scan_position_recorded() -> list[str]:
    dhs, protected = _consulted()
    comments = "Neva Cloud OOO sells to Volga Hosting Group; DHS does not concur."
    consultations.record_position(
        dhs, position=Position.DO_NOT_CONCUR, comments=comments,
        actor=make_user(Role.LIAISON, agency="DHS"),
    )  # fmt: skip
    return [*protected, comments]


def _finding_in_review():
    analyst = make_user(Role.ANALYST)
    case = file_exemption_request(_named_provider())
    prepare_finding(case, analyst=analyst)
    exemptions.submit_finding(case, actor=analyst)
    review = exemptions.finding_review(case)
    return case, [
        review.subject_label, case.label, *FINDING_REASONS.values(), *of_provider(case.provider),
        *protected_strings(case.filing.data_json),
    ]  # fmt: skip


def scan_review_awaiting() -> list[str]:
    make_user(Role.REVIEWER)
    return _finding_in_review()[1]


def _decided(approve: bool) -> list[str]:
    case, protected = _finding_in_review()
    comments = "" if approve else "Say how Northwind audits Neva Cloud OOO before granting."
    exemptions.decide_finding(
        case, approve=approve, comments=comments, actor=make_user(Role.REVIEWER),
        today=clocks.office_today(),
    )  # fmt: skip
    return [*protected, *([comments] if comments else [])]


def scan_case_assigned() -> list[str]:
    provider = _named_provider()
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.REFERRAL, scope="The written CIP.", origin_note="",
        actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    ownership.reassign(registry.kind("assessment"), assessment,
                       owner_id=make_user(Role.ANALYST).id, team_id=None,
                       actor=make_user(Role.REVIEWER))  # fmt: skip
    return of_provider(provider)


def scan_review_returned() -> list[str]:
    return _decided(approve=False)


def scan_review_approved() -> list[str]:
    return _decided(approve=True)


def scan_request_answered() -> list[str]:
    provider = _named_provider()
    asker, today = make_user(Role.ANALYST), clocks.office_today()
    report, protected = _report(provider)
    note = "Explain the quota Kestrel Analytics Pte Ltd runs under."
    request = ai_services.request_information(
        report, requested_on=today, note=note, actor=asker, today=today
    )
    file_report(
        provider, "ai_follow_up_report", request_number=request.id,
        request_received_on=today.isoformat(),
    )  # fmt: skip
    copy = intake.request_cip_copy(provider, reseller=None, requested_on=today, actor=asker)
    intake.record_response(
        copy, filename="Northwind CIP.pdf", content=PDF_BYTES, responded_on=today,
        actor=make_user(Role.ANALYST),
    )  # fmt: skip
    return [
        *protected,
        note,
        *protected_strings(payload("ai_follow_up_report")),
        *of_provider(provider),
    ]


def _owned_provider() -> tuple[Provider, list[str]]:
    provider = _named_provider()
    scope = "Northwind's screening of Kestrel Analytics Pte Ltd."
    casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope=scope, origin_note="",
        actor=make_user(Role.ANALYST), today=clocks.office_today(),
    )  # fmt: skip
    return provider, [scope, *of_provider(provider)]


def scan_filing_for_my_case() -> list[str]:
    provider, protected = _owned_provider()
    return [*protected, *_report(provider)[1]]


def scan_information_answered() -> list[str]:
    owner, colleague = make_user(Role.ANALYST), make_user(Role.ANALYST)
    case = file_exemption_request(_named_provider())
    exemptions.start_review(case, actor=owner)
    today = clocks.office_today()
    questions = "Describe how Northwind audits Neva Cloud OOO."
    asked = exemptions.request_information(
        case, questions=questions, requested_on=today, respond_by=today + timedelta(days=14),
        actor=owner,
    )  # fmt: skip
    response = "Neva Cloud OOO is audited each March by Harrow Assurance."
    exemptions.record_information_response(
        asked, responded_on=today, response=response, actor=colleague
    )
    return [questions, response, case.label, *of_provider(case.provider),
            *protected_strings(case.filing.data_json)]  # fmt: skip


def scan_violation_report_received() -> list[str]:
    make_user(Role.ANALYST)
    contact = violation_reports.Contact("Ada Reporter", "ada@example.org", "+1 202 555 0100")
    description = "Northwind Cloud opens accounts for Neva Cloud OOO's customers unchecked."
    report = violation_reports.submit(
        requirement=Requirement.FOREIGN_RESELLER, timing=Timing.OCCURRED,
        concerns="Northwind Cloud Services, Inc.", description=description, contact=contact,
        uploads=[violation_reports.Upload("evidence-northwind.pdf", PDF_BYTES)],
    )  # fmt: skip
    return [description, report.concerns, contact.name, contact.email, "202 555 0100",
            "evidence-northwind.pdf"]  # fmt: skip


def scan_screening_hit() -> list[str]:
    measure = make_measure(kind="person")  # Volga Hosting Group LLC, alias "Volga Host"
    provider, protected = _owned_provider()
    _report(provider, person_name="Volga Hosting Group LLC")
    return [
        *protected, *_report(make_provider("Harbor Light Compute, Inc."),
                             person_name="Volga Host")[1],
        measure.person_name, *measure.aliases, measure.referral_summary,
        "Harbor Light Compute, Inc.",
    ]  # fmt: skip


def _deadline_for(assignee, due_in_days: int) -> tuple[object, list[str]]:
    """A CIP copy request's 10 days (§7.305(a)) on a named provider, given to ``assignee``."""
    provider = _named_provider()
    label = f"{provider.legal_name}: copy of its CIP"
    deadline = deadlines.open_deadline(
        "cip.copy_on_request", subject=("provider", provider.id), subject_label=label,
        start_on=clocks.office_today() - timedelta(days=10 - due_in_days),
        actor=make_user(Role.ANALYST), assignee=assignee,
    )  # fmt: skip
    return deadline, [label, *of_provider(provider)]


def scan_deadline_assigned() -> list[str]:
    return _deadline_for(make_user(Role.ANALYST), 9)[1]


def _swept(kind: str, due_in_days: int) -> list[str]:
    assignee = make_user(Role.ANALYST)
    db.session.add(NotificationSetting(user_id=assignee.id, kind=kind, delivery=Delivery.AT_ONCE))
    protected = _deadline_for(assignee, due_in_days)[1]
    deadlines.sweep_due_soon(clocks.office_today())
    return protected


def scan_deadline_due_soon() -> list[str]:
    return _swept("deadline_due_soon", 5)


def scan_deadline_overdue() -> list[str]:
    return _swept("deadline_overdue", -2)


def scan_audit_check_failed() -> list[str]:
    make_admin()
    _five_events()
    commit_and_deliver()
    tampered = '{"role": "admin", "note": "Northwind Cloud Services, Inc."}'
    _rewrite_event(2, tampered)
    run_daily(DAILY_CHECK)
    reason = db.session.scalars(select(Job.failure_reason).where(Job.kind == DAILY_CHECK.kind))
    return ["Northwind Cloud Services, Inc.", tampered, *filter(None, reason)]


def scan_digest() -> list[str]:
    """The digest lists notices whose titles name their records: it says only their kinds."""
    assignee = make_user(Role.ANALYST)
    protected = _deadline_for(assignee, 5)[1]
    deadlines.sweep_due_soon(clocks.office_today())  # due soon: kept for the digest
    commit_and_deliver()
    titles = db.session.scalars(
        select(Notification.title).where(Notification.user_id == assignee.id)
    ).all()
    # Late tomorrow, office time, whatever the hour the suite runs: every digest is due.
    send_digests(datetime.combine(clocks.office_today() + timedelta(days=1), time(23, 0),
                                  tzinfo=clocks.OFFICE_TIME_ZONE))  # fmt: skip
    return [*protected, *titles]


def scan_correspondence_issued() -> list[str]:
    """A request to a provider's contact on record: the kind, its citation and where to read
    it, never whom it is about."""
    provider = _named_provider()
    reseller = ForeignReseller(provider_id=provider.id, name="Neva Cloud OOO", jurisdiction="RU")
    db.session.add(reseller)
    db.session.flush()
    today = clocks.office_today()
    intake.request_cip_copy(
        provider, reseller=reseller, requested_on=today, actor=make_user(Role.ANALYST),
        today=today, note="Neva Cloud OOO's screening of Volga Hosting Group LLC",
    )  # fmt: skip
    # A notice of a certification's deficiencies (§7.305(b)): its reasons stay in the letter.
    certification = make_filing(provider)
    shortcoming = "Volga Hosting Group LLC's payments are taken without a customer identifier"
    reviews.review_filing(
        certification, outcome="deficient", reasons=[Reason("d1iiiC", shortcoming)],
        actor=make_user(Role.ANALYST), today=today,
    )  # fmt: skip
    return [*of_provider(provider), reseller.name, "Volga Hosting Group LLC", shortcoming]


def scan_account_enrolment() -> list[str]:
    """An enrolment link: neither whose account it is, nor its role or agency, nor who made it."""
    admin = make_admin()
    made = users.create_account(
        email="imogen.vale@dhs.example", full_name="Imogen Vale", role=Role.LIAISON,
        agency="Department of Homeland Security", actor=admin,
    )  # fmt: skip
    return [made.user.full_name, made.user.email, made.user.agency, admin.full_name, admin.email,
            *of_provider(_named_provider())]  # fmt: skip


def scan_password_reset() -> list[str]:
    """A new password's link: not whose account it is, nor anything about it."""
    person = make_user(Role.ANALYST)
    links.request_password_reset(person.email)
    return [person.full_name, person.email, *of_provider(_named_provider())]


# One row a kind of message (its template's name): adding a kind is adding its row here.
SCANS: dict[str, Callable[[], list[str]]] = {
    "job_failed": scan_job_failed,
    "consultation_requested": scan_consultation_requested,
    "position_due_soon": scan_position_due_soon,
    "position_overdue": scan_position_overdue,
    "position_recorded": scan_position_recorded,
    "review_awaiting": scan_review_awaiting,
    "review_returned": scan_review_returned,
    "case_assigned": scan_case_assigned,
    "review_approved": scan_review_approved,
    "request_answered": scan_request_answered,
    "filing_for_my_case": scan_filing_for_my_case,
    "information_answered": scan_information_answered,
    "screening_hit": scan_screening_hit,
    "violation_report_received": scan_violation_report_received,
    "deadline_assigned": scan_deadline_assigned,
    "deadline_due_soon": scan_deadline_due_soon,
    "deadline_overdue": scan_deadline_overdue,
    "audit_check_failed": scan_audit_check_failed,
    "digest": scan_digest,
    "correspondence_issued": scan_correspondence_issued,
    "account_enrolment": scan_account_enrolment,
    "password_reset": scan_password_reset,
}


def _templates_on_disk() -> set[str]:
    return {
        path.name.split(".")[0]
        for path in MAIL_TEMPLATES.iterdir()
        if path.is_file() and not path.name.startswith("_")
    }


def test_every_kind_of_notice_and_every_mail_template_is_scanned(app):
    registered = {kind.name for kind in rules.notice_kinds()}
    assert registered <= _templates_on_disk(), "a kind of notice without its templates"
    assert set(SCANS) == registered | _templates_on_disk()


def _leaks(body: str, protected: list[str]) -> list[str]:
    return rules.protected_leaks(html.unescape(body), protected)


@pytest.mark.parametrize("template", sorted(SCANS))
def test_no_message_says_anything_protected_of_its_records(
    template: str, mail_app, smtp_server: MailCatcher
):
    protected = SCANS[template]()
    commit_and_deliver()

    sent = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.template == template).order_by(OutgoingMail.id)
    ).all()
    assert sent, f"the scan of {template} sent no message"
    assert len([value for value in protected if value]) >= 3
    for mail in sent:
        for part in (mail.subject_line, mail.text_body, mail.html_body):
            assert _leaks(part, protected) == [], f"{template} to {mail.to_address}"
        for message in smtp_server.to(mail.to_address):
            for part in (message["Subject"], text_of(message), html_of(message)):
                assert _leaks(part, protected) == [], f"{template} delivered to {mail.to_address}"
