"""A member of the public reports a suspected violation (§7.310) from the sign-in page's link,
with the keyboard and without an account, mends what the page names, and gets an
acknowledgement number; an analyst then finds it in the triage queue, links it and closes it.
Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, add_reseller, make_provider, make_user

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_report_from_the_public_to_its_outcome(
    live_server, page: Page, browser: Browser, browser_context_args, tmp_path
):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    provider = make_provider("Northwind Cloud Services, Inc.")
    add_reseller(provider, "Neva Cloud OOO", "RU")

    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Report a suspected violation").first.click()
    expect(page.get_by_role("heading", name="Report a suspected violation")).to_be_visible()
    assert axe_violations(page) == []

    # Too little, and an address that is none: named at the fields, the text kept.
    # USWDS draws its own radio buttons; people click the label, so the test does too.
    _choose(page, "Foreign resellers and their programs (§7.303)")
    _choose(page, "It is likely to occur")
    page.get_by_label("What happened, or is likely to happen?").fill("They cheat.")
    page.get_by_label("Your email address (optional)").fill("ada at example")
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Documents (optional", exact=False).set_input_files(str(evidence))
    page.get_by_role("button", name="Send the report").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("at least 20 characters")
    expect(summary).to_contain_text("must be an email address")
    expect(page.locator("#attachments-error")).to_contain_text("choose them again")
    expect(page.get_by_label("Your email address (optional)")).to_have_value("ada at example")
    expect(page.get_by_label("It is likely to occur")).to_be_checked()
    assert axe_violations(page) == []

    description = page.get_by_label("What happened, or is likely to happen?")
    description.fill("Neva Cloud OOO sells Northwind accounts to anyone, with no identity check.")
    page.get_by_label("Your email address (optional)").fill("ada@example.org")
    page.get_by_label("Documents (optional", exact=False).set_input_files(str(evidence))
    page.get_by_label("Your telephone number (optional)").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the send button, reached from the keyboard
    number = page.get_by_test_id("acknowledgement")
    expect(number).to_have_text(_pattern())
    acknowledgement = number.inner_text()
    expect(page.get_by_text("with 1 document")).to_be_visible()
    assert axe_violations(page) == []

    staff = browser.new_context(**browser_context_args).new_page()
    sign_in(staff, base_url, analyst.email, PASSWORD)
    staff.get_by_role("link", name="Triage queue").click()
    assert axe_violations(staff) == []
    staff.get_by_role("link", name=acknowledgement).click()
    expect(staff.get_by_test_id("reporter")).to_contain_text("kept encrypted")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="Start triage (it becomes yours)").click()
    expect(staff.get_by_test_id("case-owner")).to_have_text(analyst.full_name)
    staff.get_by_label("Provider", exact=True).select_option(label=provider.legal_name)
    staff.get_by_role("button", name="Link the provider").click()
    staff.get_by_label("Foreign reseller").select_option(label="Neva Cloud OOO (RU)")
    staff.get_by_role("button", name="Link the reseller").click()
    expect(staff.get_by_test_id("report-links")).to_contain_text("Neva Cloud OOO")
    staff.get_by_role("button", name="Show the contact details (audited)").click()
    expect(staff.get_by_test_id("reporter-contact")).to_contain_text("ada@example.org")
    assert axe_violations(staff) == []
    _choose(staff, "Too little to act on")
    staff.get_by_label("Reasons").fill("Asked the reporter for the accounts concerned.")
    staff.get_by_role("button", name="Close the report").click()
    expect(staff.get_by_test_id("report-state")).to_have_text("closed: Too little to act on")
    assert axe_violations(staff) == []


def _choose(page: Page, label: str) -> None:
    page.locator("label", has_text=label).first.click()


def _pattern():
    import re

    return re.compile(r"VR-\d{4}-\d{5}")
