"""A compliance assessment end to end in the browser (§7.305): opened from the risk queue,
findings drafted with citations, reviewed by someone else, the report read back, the remediation
clock met by a resubmitted CIP, and closed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from core.clocks import office_today
from core.pdf import formal_date
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_filing, make_provider, make_user
from tests.pdftext import pdf_text

pytestmark = pytest.mark.browser


def _switch_to(page: Page, base_url: str, user) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, base_url, user.email, PASSWORD)


def test_an_assessment_from_the_queue_to_closing(page: Page, live_server):
    _, base_url = live_server
    today = office_today()
    provider = make_provider("Harbor Light Compute, Inc.")
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)

    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/casework/risk")
    page.get_by_role("link", name="Harbor Light Compute, Inc.").click()
    expect(page.get_by_text("No CIP certification has been received.")).to_be_visible()
    page.get_by_role("link", name="Open a compliance assessment (§7.305)").click()
    page.get_by_label("Opened from (§7.305(e)(1))").select_option("RISK_QUEUE")
    page.get_by_label("Scope").fill("The written CIP and its verification of foreign customers.")
    page.get_by_role("button", name="Open the assessment").click()
    expect(page.get_by_text("opened.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_text("Add a finding").click()
    page.get_by_label("Requirement the CIP falls short of").select_option("d2")
    page.get_by_label("The shortcoming", exact=True).fill(
        "Documents are accepted without validity checks."
    )
    page.get_by_label("Kind of recommendation (§7.305(f)(1))").select_option("f1i")
    page.get_by_label("Recommended remediation").fill("Check every document's validity.")
    page.get_by_role("button", name="Add the finding").click()
    expect(page.get_by_test_id("findings")).to_contain_text("§7.302(d)(2)")
    page.get_by_label("Days the provider has to resolve").fill("60")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to the reviewers' queue.")).to_be_visible()
    # The analyst who drafted it cannot decide it.
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)

    _switch_to(page, base_url, reviewer)
    page.goto(f"{base_url}/reviews/")
    page.get_by_role("link", name="Assessment AS-").click()
    assert axe_violations(page) == []
    page.get_by_text("Approve", exact=True).click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    page.get_by_label("Date the report was issued to the provider").fill(today.isoformat())
    page.get_by_role("button", name="Issue").click()
    due_on = today + timedelta(days=60)
    expect(page.get_by_test_id("remediation-due")).to_contain_text(
        f"{due_on} = notice {today} + 60 calendar days, §7.305(a)"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Assessment report (PDF)").click()
    report = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    assert "§7.302(d)(2) Documents are accepted without" in report
    assert f"by {formal_date(due_on)}" in report and reviewer.full_name in report

    resubmitted = make_filing(provider)
    _switch_to(page, base_url, analyst)
    page.goto(f"{base_url}/casework/assessments")
    page.get_by_role("link", name="AS-").click()
    page.get_by_label("Receipt number of the resubmitted CIP").fill(resubmitted.receipt_number)
    page.get_by_role("button", name="Record the resubmission").click()
    expect(page.get_by_test_id("resubmitted")).to_contain_text("(on time)")
    page.get_by_label("Closing note").fill("The resubmitted CIP checks document validity.")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_test_id("assessment-state")).to_have_text("closed")
    assert axe_violations(page) == []
