"""A person signs in, looks at the dashboard and the deadline board, and signs out, in real
headless Chromium; axe-core finds no accessibility violations on any of those pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def office(live_server):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST, email="casey.analyst@oicts.example")
    provider = make_provider("Lakeshore Servers, Inc.")
    deadlines.open_deadline(
        "cip.copy_on_request",
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=clocks.office_today() - timedelta(days=12),
        actor=analyst,
        assignee=analyst,
    )
    db.session.commit()
    return base_url, analyst


def test_sign_in_dashboard_board_and_sign_out(page: Page, office):
    base_url, analyst = office
    page.goto(f"{base_url}/login")
    expect(page.get_by_test_id("system-use-notice")).to_contain_text("U.S. Government")
    assert axe_violations(page) == []

    sign_in(page, base_url, analyst.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Deadline board", exact=True).click()
    expect(page.get_by_role("heading", name="Deadline board")).to_be_visible()
    expect(page.get_by_role("link", name="Lakeshore Servers, Inc.")).to_be_visible()
    requested_on = clocks.office_today() - timedelta(days=12)
    due_on = requested_on + timedelta(days=10)
    expect(page.get_by_test_id("computation")).to_have_text(
        f"{due_on} = requested {requested_on} + 10 calendar days, §7.305(a)"
    )
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto(f"{base_url}/deadlines/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_answered_on_the_field_and_keeps_the_email(page: Page, office):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, "not-the-right-password-at-all")
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value(analyst.email)
    expect(page.locator("#password-error")).to_contain_text("not correct")
    assert axe_violations(page) == []


def test_a_refused_sign_in_says_how_long_to_wait_and_keeps_the_email(
    page: Page, live_server, office
):
    application, _ = live_server
    application.config["RATELIMIT_SIGN_IN_PER_ADDRESS"] = "1 per 15 minutes"
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, "not-the-right-password-at-all")
    sign_in(page, base_url, analyst.email, PASSWORD)
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Too many failed sign-in attempts from this address; try again in 15 minutes."
    )
    expect(page.get_by_label("Email address")).to_have_value(analyst.email)
    expect(page.get_by_label("Password")).to_have_value("")
    assert axe_violations(page) == []


def test_the_board_filters_by_module_with_the_keyboard(page: Page, office):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/deadlines/")
    page.get_by_label("Module", exact=True).select_option("casework")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("No open deadlines match these filters.")).to_be_visible()
    assert "module=casework" in page.url
