"""A consultation told through the inbox (§7.306(e)(2)): the liaison reads the notice, follows
it to the consultation and records the agency's position; the analyst who asked finds in their
own inbox that the position arrived, and follows it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from core import clocks
from core.auth.rules import Role
from exemptions import services as exemptions
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    PASSWORD,
    commit_and_deliver,
    file_exemption_request,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.browser


def test_a_liaison_answers_from_the_inbox_and_the_analyst_sees_the_position_arrive(
    live_server, page: Page, browser: Browser, browser_context_args
):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    liaison = make_user(Role.LIAISON, agency="DHS")
    case = file_exemption_request(make_provider("Northwind Cloud Services, Inc."))
    exemptions.start_review(case, actor=analyst)
    today = clocks.office_today()
    consulted = exemptions.consult_agencies(
        case, summary="Northwind asks to be exempted under §7.306.", requested_on=today,
        respond_by=today + timedelta(days=21), optional_agencies=(), actor=analyst,
    )  # fmt: skip
    commit_and_deliver()
    dhs = next(c for c in consulted if c.agency == "DHS")

    sign_in(page, base_url, liaison.email, PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_contain_text("1")
    page.goto(f"{base_url}/notifications/")
    expect(page.get_by_test_id("inbox-count")).to_have_text("1 notice, 1 unread.")
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Consultation {dhs.id} requested").click()
    expect(page).to_have_url(f"{base_url}/consultations/{dhs.id}")
    expect(page.get_by_text("Northwind asks to be exempted under §7.306.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("The agency's position").select_option("concur with conditions")
    page.get_by_label("Comments, conditions or reasons").fill(
        "Concur if the reseller audits continue yearly."
    )
    page.get_by_role("button", name="Record position").click()
    expect(page.get_by_text("Position recorded for DHS.")).to_be_visible()
    page.goto(f"{base_url}/notifications/")
    expect(page.get_by_test_id("inbox-count")).to_have_text("1 notice, 0 unread.")

    analyst_page = browser.new_context(**browser_context_args).new_page()
    sign_in(analyst_page, base_url, analyst.email, PASSWORD)
    analyst_page.goto(f"{base_url}/notifications/")
    arrived = analyst_page.get_by_role(
        "link", name=f"DHS recorded its position (concur with conditions) on consultation {dhs.id}"
    )
    expect(arrived).to_be_visible()
    assert axe_violations(analyst_page) == []
    arrived.click()
    expect(analyst_page).to_have_url(f"{base_url}/consultations/{dhs.id}")
    recorded = analyst_page.get_by_role("definition").filter(has_text="audits continue yearly")
    expect(recorded).to_be_visible()
    assert axe_violations(analyst_page) == []
