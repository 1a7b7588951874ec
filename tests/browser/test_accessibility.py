"""axe-core finds no WCAG 2.1 A/AA violations on the system's pages, for the roles that use
them; each page is reached and used from the keyboard-visible controls a person would use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from casework.oversight import services as oversight_services
from casework.oversight.rules import EvidenceKind
from casework.penalties import services as penalties
from casework.penalties.rules import ProceedingKind
from core import clocks
from core.audit.checks import AUDIT_CHECK_JOB
from core.auth.rules import Role
from core.db import db, utcnow
from core.deadlines import printed
from core.deadlines.services import DAILY_SWEEP, BoardFilter
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.jobs.services import send_committed
from intake import services as intake
from intake.correspondence import requests as sent_requests
from intake.correspondence import services as channel
from intake.models import ForeignReseller
from special_measures import actions as measure_actions
from special_measures import screening
from special_measures.lapse import DAILY_LAPSE
from tests.browser.conftest import axe_violations, enter_second_factor, sign_in
from tests.factories import (
    PASSWORD,
    make_admin,
    make_measure,
    make_provider,
    make_user,
    run_daily,
    violations_of,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def records(live_server):
    _, base_url = live_server
    provider = make_provider("Meridian Edge Networks LLC")
    analyst = make_user(Role.ANALYST)
    department_request = intake.request_cip_copy(
        provider, reseller=None, requested_on=clocks.office_today(), actor=analyst,
        sent_by_hand=True,
    )  # fmt: skip
    db.session.add(
        Job(kind="reseller_import", state=JobState.FAILED, attempts=3, requested_by_id=analyst.id,
            failure_reason="OperationalError: the database went away", failure_reference="9F2C41AB")
    )  # fmt: skip
    db.session.commit()
    return base_url, provider, department_request


@pytest.fixture
def measure_records(records):
    """An issued measure, a revocation waiting for review, and a screening with a hit."""
    _, provider, _ = records
    measure = make_measure()
    action = measure_actions.draft_action(
        measure, kind="revocation", reasons="The jurisdiction has acted.", new_last_day_on=None,
        effective_on=clocks.office_today(), actor=measure.drafted_by, today=clocks.office_today(),
    )  # fmt: skip
    db.session.add(ForeignReseller(provider_id=provider.id, name="Neva Cloud", jurisdiction="RU"))
    run = screening.screen_provider_resellers(
        provider, relevant_on=clocks.office_today(), actor=None
    )
    oversight = oversight_services.open_oversight(
        provider.resellers[0], evidence_kind=EvidenceKind.NO_CIP, evidence="No written CIP.",
        received_on=clocks.office_today(), reported_to_authorities="", actor=measure.drafted_by,
        today=clocks.office_today(),
    )  # fmt: skip
    penalty = penalties.draft_penalty(
        provider, violations=violations_of("a2", "a8"), conduct="Certified falsely.",
        proposed_amount=10_000, actor=measure.drafted_by, today=clocks.office_today(),
    )  # fmt: skip
    penalties.record_proceeding(
        penalty, kind=ProceedingKind.REFERRAL, started_on=clocks.office_today(),
        note="Referred for criminal action.", actor=measure.drafted_by,
        today=clocks.office_today(),
    )  # fmt: skip
    db.session.commit()
    return measure, action, run, oversight, penalty


def test_special_measure_pages_have_no_violations(page: Page, records, measure_records):
    base_url, provider, _ = records
    measure, action, run, oversight, _ = measure_records
    sign_in(page, base_url, make_user(Role.REVIEWER).email, PASSWORD)
    for path in (
        "/special-measures/cases",
        f"/special-measures/cases/{measure.id}",
        f"/special-measures/notices/{measure.notices[0].id}",
        f"/special-measures/actions/{action.id}",
        f"/special-measures/screening/runs/{run.id}",
        f"/intake/providers/{provider.id}",
        "/special-measures/in-force",
        f"/casework/oversight/{oversight.id}",
    ):
        page.goto(base_url + path)
        assert axe_violations(page) == [], path


def test_staff_pages_have_no_violations(page: Page, records, measure_records):
    base_url, provider, department_request = records
    oversight, penalty = measure_records[-2:]
    analyst = make_user(Role.ANALYST, email="axe.analyst@oicts.example")
    # The board printed as a PDF: one made (the suite's queue runs its job at once), one waiting.
    made, made_job = printed.request_board_pdf(BoardFilter(), actor=analyst)
    db.session.commit()
    send_committed()
    waiting, _ = printed.request_board_pdf(BoardFilter(module="intake"), actor=analyst)
    # A §7.308(f) case, whose page offers the notice to the reseller.
    reporting = oversight_services.open_oversight(
        oversight.reseller, evidence_kind=EvidenceKind.REPORT_LATE, evidence="Reported late.",
        received_on=clocks.office_today(), reported_to_authorities="", actor=analyst,
        today=clocks.office_today(),
    )  # fmt: skip
    db.session.commit()
    sign_in(page, base_url, analyst.email, PASSWORD)
    for path in (
        "/deadlines/",
        f"/deadlines/pdfs/{made.id}",
        f"/deadlines/pdfs/{waiting.id}",
        f"/jobs/{made_job.id}",
        "/intake/providers",
        f"/intake/providers/{provider.id}",
        f"/intake/requests/{department_request.id}",
        f"/deadlines/{department_request.deadline_id}",
        f"/correspondence/{sent_requests.sent_of(department_request).id}",
        "/casework/",
        "/casework/risk",
        f"/casework/risk/providers/{provider.id}",
        "/casework/risk/changes",
        f"/casework/resellers/{oversight.reseller_id}/oversight",
        f"/casework/oversight/{oversight.id}",
        f"/casework/oversight/{reporting.id}",
        f"/casework/providers/{provider.id}/penalties/new",
        f"/casework/resellers/{oversight.reseller_id}/penalties/new",
        "/casework/penalties/new",
        f"/casework/penalties/{penalty.id}",
        "/casework/penalties",
        "/exemptions/",
        "/special-measures/",
        "/parameters/",
        "/parameters/penalty.ieepa_civil_cap",
        "/account/two-factor",
        "/jobs/",
        "/jobs/1",
        "/no/such/page",
    ):
        page.goto(base_url + path)
        assert axe_violations(page) == [], path


def test_administration_pages_have_no_violations(page: Page, records):
    base_url, _, _ = records
    admin = make_admin(email="axe.admin@oicts.example")
    sign_in(page, base_url, admin.email, PASSWORD)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert axe_violations(page) == []
    enter_second_factor(page, admin)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    for path in (
        "/admin/audit/",
        "/admin/users/",
        "/intake/api-tokens",
        "/parameters/assessment.resubmission_days",
        "/admin/office-settings/",
    ):
        page.goto(base_url + path)
        assert axe_violations(page) == [], path


def test_a_providers_one_time_link_page_has_no_violations(page: Page, records):
    """The page an emailed link opens, for anyone holding the link, and the page of a link
    used already."""
    base_url, _, department_request = records
    token = channel.new_link(sent_requests.sent_of(department_request))
    db.session.commit()
    page.goto(f"{base_url}/correspondence/link/{token}")
    expect(page.get_by_role("button", name="Download the document")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download():
        page.get_by_role("button", name="Download the document").click()
    page.goto(f"{base_url}/correspondence/link/{token}")
    expect(page.get_by_test_id("refusal")).to_contain_text("used already")
    assert axe_violations(page) == []


def test_a_liaison_dashboard_has_no_violations(page: Page, records):
    base_url, _, _ = records
    liaison = make_user(Role.LIAISON, agency="Treasury", email="axe.liaison@treasury.example")
    sign_in(page, base_url, liaison.email, PASSWORD)
    expect(page.get_by_role("heading", name="Treasury consultations")).to_be_visible()
    assert axe_violations(page) == []


def test_the_daily_runs_and_the_audit_alert_have_no_violations(page: Page, records):
    """The jobs list filtered to the daily runs, a daily run's page, a failed check of the audit
    trail as the administrators' dashboard shows it, and a lapsed measure."""
    base_url, _, _ = records
    lapsed = make_measure(clocks.office_today() - timedelta(days=400))
    run_daily(DAILY_LAPSE)
    sweep = run_daily(DAILY_SWEEP)
    failed = Job(
        kind=AUDIT_CHECK_JOB, state=JobState.FAILED, attempts=1, finished_at=utcnow(),
        run_key=f"{AUDIT_CHECK_JOB}@{clocks.office_today().isoformat()}",
        requested_by_label="scheduler",
        failure_reason="audit chain broken at event #2 (id 2): its contents were altered",
    )  # fmt: skip
    db.session.add(failed)
    db.session.commit()
    admin = make_admin(email="axe.jobs.admin@oicts.example")
    sign_in(page, base_url, admin.email, PASSWORD)
    enter_second_factor(page, admin)
    expect(page.get_by_text("The audit trail failed its daily check on")).to_be_visible()
    assert axe_violations(page) == []
    for path in (
        "/jobs/?kind=daily",
        "/jobs/?kind=nightly_backup",
        f"/jobs/{sweep.id}",
        f"/jobs/{failed.id}",
        f"/special-measures/cases/{lapsed.id}",
    ):
        page.goto(base_url + path)
        assert axe_violations(page) == [], path
