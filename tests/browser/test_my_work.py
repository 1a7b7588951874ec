"""Who owns a case, in real headless Chromium: an administrator adds an analyst by enrolment
link; the analyst chooses a password through it, signs in, opens an assessment, finds it under
"My work" and gives it to a colleague, who finds it under theirs. axe-core checks the dashboard
and the case page with its owner panel."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, enter_second_factor, sign_in
from tests.factories import (
    NEW_PASSWORD,
    PASSWORD,
    link_path,
    make_admin,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.browser

MY_ASSESSMENTS = "my-assessment-open"


def _new_analyst_by_link(page: Page, base_url: str) -> str:
    admin = make_admin()
    sign_in(page, base_url, admin.email, PASSWORD)
    enter_second_factor(page, admin)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Add an account").click()
    page.get_by_label("Email address").fill("morgan.reyes@bis.example")
    page.get_by_label("Full name").fill("Morgan Reyes")
    page.get_by_label("Role").select_option(label="Analyst")
    page.get_by_role("button", name="Add the account and make its enrolment link").click()
    return page.get_by_test_id("enrolment-link").inner_text()


def test_an_enrolled_analyst_opens_a_case_finds_it_in_my_work_and_gives_it_on(
    page: Page, browser: Browser, live_server
):
    _, base_url = live_server
    provider = make_provider("Harbor Light Compute, Inc.")
    colleague = make_user(Role.ANALYST)
    address = _new_analyst_by_link(page, base_url)

    analyst = browser.new_context(bypass_csp=True).new_page()
    analyst.goto(base_url + link_path(address, "/account/enrol/"))
    analyst.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    analyst.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    analyst.get_by_role("button", name="Set my password").click()
    expect(analyst.get_by_text("Your password is set. Sign in with it now.")).to_be_visible()
    sign_in(analyst, base_url, "morgan.reyes@bis.example", NEW_PASSWORD)
    expect(analyst.get_by_test_id("my-cases-none")).to_be_visible()

    analyst.goto(f"{base_url}/casework/risk/providers/{provider.id}")
    analyst.get_by_role("link", name="Open a compliance assessment (§7.305)").click()
    analyst.get_by_label("Opened from (§7.305(e)(1))").select_option("RISK_QUEUE")
    analyst.get_by_label("Scope").fill("The written CIP and its verification of customers.")
    analyst.get_by_role("button", name="Open the assessment").click()
    expect(analyst.get_by_test_id("case-owner")).to_have_text("Morgan Reyes")
    reference = analyst.get_by_role("heading", level=1).inner_text().rsplit(" ", 1)[1]
    case_page = analyst.url

    analyst.get_by_role("link", name="Dashboard").first.click()
    expect(analyst.get_by_test_id(MY_ASSESSMENTS)).to_contain_text("1")
    assert axe_violations(analyst) == []
    analyst.get_by_test_id(MY_ASSESSMENTS).click()
    expect(analyst.get_by_role("link", name=reference)).to_be_visible()

    analyst.goto(case_page)
    analyst.get_by_text("Reassign this case").click()
    assert axe_violations(analyst) == []
    analyst.get_by_label("Owner", exact=True).select_option(label=colleague.full_name)
    analyst.get_by_role("button", name="Reassign", exact=True).click()
    expect(
        analyst.get_by_text(f"{reference} is now owned by {colleague.full_name}.")
    ).to_be_visible()
    expect(analyst.get_by_test_id("case-owner")).to_have_text(colleague.full_name)
    assert axe_violations(analyst) == []
    analyst.get_by_role("link", name="Dashboard").first.click()
    expect(analyst.get_by_test_id("my-cases-none")).to_be_visible()

    other = browser.new_context(bypass_csp=True).new_page()
    sign_in(other, base_url, colleague.email, PASSWORD)
    expect(other.get_by_test_id(MY_ASSESSMENTS)).to_contain_text("1")
    other.get_by_test_id(MY_ASSESSMENTS).click()
    expect(other.get_by_role("link", name=reference)).to_be_visible()
    assert axe_violations(other) == []
