"""An analyst reviews a certification from the filings inbox: a deficiency without a reason is
named at its field, then recorded with reasons citing §7.302 items; the filing's page shows the
notice and the resubmission clock, and the inbox shows the outcome. Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_filing, make_provider, make_user

pytestmark = pytest.mark.browser


def test_review_a_certification_to_deficient_from_the_inbox(live_server, page: Page):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    filing = make_filing(make_provider("Harbor Light Compute LLC"))
    sign_in(page, base_url, analyst.email, PASSWORD)

    page.goto(f"{base_url}/intake/filings?review=not_reviewed")
    expect(page.get_by_test_id("review-standing").first).to_have_text("not reviewed")
    assert axe_violations(page) == []
    page.get_by_role("link", name=filing.receipt_number).click()
    page.get_by_role("link", name="Review this certification").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(filing.receipt_number)
    assert axe_violations(page) == []

    # USWDS draws the radio button on its label, which is what a person clicks.
    page.get_by_text("Deficient: the provider is sent a notice").click()
    expect(page.get_by_label("Deficient")).to_be_checked()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("needs at least one reason")
    assert axe_violations(page) == []

    page.get_by_label("Reason 1: the paragraph it falls short of").select_option("d1iiiF")
    page.get_by_label("Reason 1: how the certification falls short").fill(
        "IP addresses are kept without the time of each access."
    )
    # Keyboard alone: from the second reason's paragraph to its text, then submit.
    second = page.get_by_label("Reason 2: the paragraph it falls short of")
    second.focus()
    page.keyboard.press("ArrowDown")  # the first paragraph offered
    second.select_option("e3")
    page.keyboard.press("Tab")
    page.keyboard.type("Every employee may read the records.")
    page.get_by_role("button", name="Record the review").press("Enter")

    expect(page.get_by_test_id("review-outcome")).to_contain_text("Deficient")
    expect(page.get_by_test_id("review-reasons")).to_contain_text("§7.302(e)(3)")
    expect(page.get_by_test_id("resubmission-clock")).to_contain_text("Due")
    assert axe_violations(page) == []

    page.goto(f"{base_url}/intake/filings?review=deficient_open")
    expect(page.get_by_test_id("review-standing")).to_have_text("deficient: resubmission due")
    assert axe_violations(page) == []
