"""An analyst's draft in the browser (docs/architecture.md §5): a finding drafted, changed and
sent for review; returned by the reviewer with comments; changed again and resubmitted; another
finding withdrawn, and kept in the assessment's history."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from casework import rules, services
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser

# Where the journey's screenshots go when asked for (DRAFT_SCREENSHOTS=<folder>), to look at.
SHOTS = os.environ.get("DRAFT_SCREENSHOTS")


def _look(page: Page, name: str) -> None:
    assert axe_violations(page) == []
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _switch_to(page: Page, base_url: str, user) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, base_url, user.email, PASSWORD)


def _add_finding(page: Page, shortcoming: str) -> None:
    page.get_by_text("Add a finding").click()
    page.get_by_label("Requirement the CIP falls short of").select_option("d2")
    page.get_by_label("The shortcoming", exact=True).fill(shortcoming)
    page.get_by_label("Kind of recommendation (§7.305(f)(1))").select_option("f1i")
    page.get_by_label("Recommended remediation").fill("Check every document's validity.")
    page.get_by_role("button", name="Add the finding").click()
    expect(page.get_by_text("Finding added.")).to_be_visible()


def test_a_finding_changed_returned_changed_again_and_another_withdrawn(page: Page, live_server):
    _, base_url = live_server
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    assessment = services.open_assessment(
        make_provider("Harbor Light Compute, Inc."), origin=rules.AssessmentOrigin.REFERRAL,
        scope="The written CIP.", origin_note="", actor=analyst,
        today=office_today() - timedelta(days=20),
    )  # fmt: skip
    db.session.commit()
    url = f"{base_url}/casework/assessments/{assessment.id}"
    findings = page.get_by_test_id("findings")

    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(url)
    _add_finding(page, "Documents are accepted without checks.")
    page.get_by_role("link", name="Change finding 1 (§7.302(d)(2))").click()
    _look(page, "1-change-form")
    page.get_by_label("The shortcoming", exact=True).fill("")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Describe the shortcoming.")
    expect(page.get_by_label("Recommended remediation")).to_have_value(
        "Check every document's validity."
    )
    page.get_by_label("The shortcoming", exact=True).fill(
        "Passports are accepted without validity checks."
    )
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Finding changed.")).to_be_visible()
    expect(findings).to_contain_text("Passports are accepted without validity checks.")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to the reviewers' queue.")).to_be_visible()
    expect(page.get_by_role("link", name="Change finding 1 (§7.302(d)(2))")).to_have_count(0)
    _look(page, "2-in-review")

    _switch_to(page, base_url, reviewer)
    page.goto(url)
    page.get_by_text("Return with comments").click()
    page.get_by_label("Comments (required when returning)").fill("Say which documents.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    _switch_to(page, base_url, analyst)
    page.goto(url)
    expect(page.get_by_test_id("returned")).to_contain_text("Say which documents.")
    _look(page, "3-returned")
    page.get_by_role("link", name="Change finding 1 (§7.302(d)(2))").click()
    expect(page.get_by_test_id("returned")).to_contain_text("Say which documents.")
    page.get_by_label("The shortcoming", exact=True).fill(
        "Passports and national identity cards are accepted without validity checks."
    )
    page.get_by_role("button", name="Save the changes").click()
    expect(findings).to_contain_text("national identity cards")

    _add_finding(page, "Utility bills are accepted as proof of address.")
    page.get_by_text("Withdraw finding 2").click()
    page.get_by_role("button", name="Withdraw the draft").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("Say why the draft is withdrawn.")
    # Shown again open, with the message beside the field.
    page.get_by_label("Why finding 2 is withdrawn").fill("Proof of address is out of scope.")
    page.get_by_role("button", name="Withdraw the draft").click()
    expect(
        page.get_by_text("Finding withdrawn; the assessment's history keeps it.")
    ).to_be_visible()
    expect(findings).not_to_contain_text("Utility bills")
    history = page.get_by_test_id("withdrawn-drafts")
    expect(history).to_contain_text("Proof of address is out of scope.")
    history.get_by_text("The withdrawn draft").click()
    expect(history).to_contain_text("Utility bills are accepted as proof of address.")
    _look(page, "4-withdrawn")

    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to the reviewers' queue.")).to_be_visible()
    _switch_to(page, base_url, reviewer)
    page.goto(url)
    page.get_by_text("Approve", exact=True).click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("assessment-state")).to_have_text("approved")
