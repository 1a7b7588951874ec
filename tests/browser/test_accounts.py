"""Accounts in real headless Chromium: an administrator adds an analyst, who chooses a password
through the enrolment link and signs in; a person who forgot their password asks for a link
from the sign-in page, follows the one the mail server received, and chooses a new password,
which ends the session a second browser had. axe-core checks every page on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, enter_second_factor, sign_in
from tests.factories import NEW_PASSWORD, PASSWORD, link_path, make_admin, make_user
from tests.mailcatcher import text_of

pytestmark = pytest.mark.browser


def _checked(page: Page, heading: str, shots: Path | None = None, name: str = "") -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert axe_violations(page) == []
    if shots is not None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _choose_password(page: Page, password: str) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Type the new password again").fill(password)
    page.get_by_role("button", name="Set my password").click()


def test_an_administrator_adds_an_analyst_who_enrols_and_signs_in(
    page: Page, browser: Browser, live_server, tmp_path
):
    _, base_url = live_server
    admin = make_admin()
    sign_in(page, base_url, admin.email, PASSWORD)
    enter_second_factor(page, admin)
    page.get_by_role("link", name="Users").click()
    _checked(page, "Users", tmp_path, "users")
    page.get_by_role("link", name="Add an account").click()
    _checked(page, "Add an account", tmp_path, "new")
    page.get_by_label("Email address").fill("morgan.reyes@bis.example")
    page.get_by_label("Full name").fill("Morgan Reyes")
    page.get_by_label("Role").select_option(label="Analyst")
    page.get_by_role("button", name="Add the account and make its enrolment link").click()

    _checked(page, "Enrolment link for Morgan Reyes", tmp_path, "shown_once")
    address = page.get_by_test_id("enrolment-link").inner_text()
    assert "/account/enrol/" in address
    page.get_by_role("link", name="Go to the account's page").click()
    _checked(page, "Morgan Reyes", tmp_path, "account")
    expect(page.get_by_test_id("account-status")).to_contain_text("Waiting for its owner")
    assert address not in page.content()

    newcomer = browser.new_context(bypass_csp=True).new_page()
    # PUBLIC_URL names the office's own address; this server listens elsewhere.
    newcomer.goto(base_url + link_path(address, "/account/enrol/"))
    _checked(newcomer, "Choose your password", tmp_path, "enrol")
    _choose_password(newcomer, "short")
    expect(newcomer.get_by_test_id("error-summary")).to_contain_text("Use at least 15 characters")
    assert axe_violations(newcomer) == []
    _choose_password(newcomer, NEW_PASSWORD)
    expect(newcomer.get_by_text("Your password is set. Sign in with it now.")).to_be_visible()
    sign_in(newcomer, base_url, "morgan.reyes@bis.example", NEW_PASSWORD)
    _checked(newcomer, "Dashboard")

    newcomer.goto(base_url + link_path(address, "/account/enrol/"))  # the link is spent
    _checked(newcomer, "This link no longer works", tmp_path, "spent")
    page.reload()
    expect(page.get_by_test_id("account-status")).to_have_text("Active")
    expect(page.get_by_test_id("account-history")).to_contain_text("user.enrol")


def test_a_forgotten_password_is_replaced_through_the_emailed_link_ending_other_sessions(
    page: Page, browser: Browser, live_server, smtp_server, tmp_path
):
    app, base_url = live_server
    app.config.update(smtp_server.settings)
    reviewer = make_user(Role.REVIEWER, email="rowan.ellis@oicts.example")
    earlier = browser.new_context(bypass_csp=True).new_page()
    sign_in(earlier, base_url, reviewer.email, PASSWORD)
    _checked(earlier, "Dashboard")

    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Forgot password?").click()
    _checked(page, "Forgot your password?", tmp_path, "forgot")
    page.get_by_label("Email address").fill(reviewer.email)
    page.get_by_role("button", name="Send me a link").click()
    _checked(page, "Check your email", tmp_path, "forgot_sent")

    [message] = smtp_server.wait_for(1)
    page.goto(base_url + link_path(text_of(message), "/account/reset/"))
    _checked(page, "Choose a new password", tmp_path, "reset")
    _choose_password(page, NEW_PASSWORD)
    expect(page.get_by_text("Your new password is set")).to_be_visible()
    _checked(page, "Sign in", tmp_path, "signed_out")
    sign_in(page, base_url, reviewer.email, NEW_PASSWORD)
    _checked(page, "Dashboard")
    page.get_by_role("link", name="My account").click()
    _checked(page, "My account", tmp_path, "my_account")
    expect(page.get_by_test_id("my-sessions")).to_contain_text("This session")

    earlier.reload()  # the session signed in before the new password has ended
    _checked(earlier, "Sign in")
