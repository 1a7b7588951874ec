"""A person makes, copies and resets their own calendar address from the deadline board, with
the keyboard, in real headless Chromium; axe-core finds no violations on either page."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _feed_status(address: str) -> int:
    try:
        with urllib.request.urlopen(address) as response:  # noqa: S310 (the local test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _open_subscription(page: Page) -> None:
    page.get_by_text("Subscribe in a calendar program").focus()
    page.keyboard.press("Enter")


def test_making_and_resetting_the_calendar_address(page: Page, live_server):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/deadlines/")
    _open_subscription(page)
    make = page.get_by_role("button", name="Make my calendar address")
    expect(make).to_be_visible()
    assert axe_violations(page) == []

    make.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your calendar address")).to_be_visible()
    expect(page.get_by_text("this is the only time it is shown")).to_be_visible()
    assert axe_violations(page) == []
    first = page.get_by_test_id("calendar-address").inner_text()
    assert _feed_status(first) == 200

    page.get_by_role("link", name="Back to the deadline board").click()
    _open_subscription(page)
    subscription = page.get_by_test_id("calendar-subscription")
    expect(subscription).to_contain_text("A calendar program last read it on")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Reset my calendar address").click()
    second = page.get_by_test_id("calendar-address").inner_text()
    assert second != first
    assert _feed_status(first) == 404
    assert _feed_status(second) == 200
