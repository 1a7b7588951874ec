"""A notice of material change (§7.309(b)) recorded from the keyboard on a provider's page, its
risk line read back, and every page it passes through free of axe violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser


def test_a_change_not_notified_is_recorded_then_its_late_notice(live_server, page: Page):
    _, base_url = live_server
    provider = make_provider("Tamarack Cloud LLC")
    analyst = make_user(Role.ANALYST)
    today = clocks.office_today()
    sign_in(page, base_url, analyst.email, PASSWORD)

    page.goto(f"{base_url}/intake/providers/{provider.id}")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record a notice or a change not notified").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record").click()  # nothing filled in
    expect(page.get_by_text("Choose what the notice concerns").first).to_be_visible()
    assert axe_violations(page) == []

    # USWDS draws its own radio button over the input: the label is what is clicked.
    page.locator("label", has_text="A material change to the CIP").first.click()
    page.get_by_label("Date the change took effect").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Date the Department learned of the change by other means").fill(
        (today - timedelta(days=5)).isoformat()
    )
    page.get_by_label("How the Department learned of it").fill("A press release")
    page.get_by_label("What changed").fill("Stopped offering IaaS products to foreign persons.")
    page.get_by_label("What changed").press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("notice-standing")).to_have_text("notice owed, not given")
    page.get_by_role("link", name="Record its receipt").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record the receipt").click()
    expect(page.get_by_test_id("notice-standing")).to_have_text("notice given late")

    page.goto(f"{base_url}/casework/risk/providers/{provider.id}")
    expect(page.get_by_test_id("score-lines")).to_contain_text(
        "given only after the Department learned of it otherwise"
    )
    expect(page.get_by_test_id("score-version")).to_contain_text("scoring rules of")
    assert axe_violations(page) == []
