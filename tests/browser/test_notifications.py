"""A person's notices in the browser: the header's count, the inbox, a notice followed to its
record, marking read, and the settings page; the administrators' outbox and templates. Each
page is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.jobs.services import send_committed
from tests.browser.conftest import axe_violations, enter_second_factor, sign_in
from tests.factories import PASSWORD, make_admin, make_provider, make_user

pytestmark = pytest.mark.browser


def _assigned_deadlines(assignee, count: int):
    reviewer = make_user(Role.REVIEWER)
    opened = []
    for _ in range(count):
        provider = make_provider()
        deadline = deadlines.open_deadline(
            "cip.copy_on_request", subject=("provider", provider.id),
            subject_label=provider.legal_name, start_on=clocks.office_today(), actor=reviewer,
            assignee=assignee,
        )  # fmt: skip
        opened.append(deadline)
    db.session.commit()
    send_committed()
    return opened


def test_a_person_reads_a_notice_follows_it_and_chooses_how_they_are_told(page: Page, live_server):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    first, _ = _assigned_deadlines(analyst, 2)
    sign_in(page, base_url, analyst.email, PASSWORD)

    header = page.get_by_role("link", name=re.compile(r"^Notifications, 2 unread$"))
    expect(header).to_be_visible()
    header.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_test_id("inbox-count")).to_have_text("2 notices, 2 unread.")
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(f"^Deadline {first.id} ")).click()
    expect(page).to_have_url(f"{base_url}/deadlines/{first.id}")
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications, 1 unread").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notice marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()

    page.get_by_role("link", name="Choose how each kind reaches you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    assert axe_violations(page) == []
    assigned = page.get_by_role("group", name="A deadline was assigned to me")
    assigned.get_by_text("In the daily digest email").click()
    page.get_by_label("Time of my daily digest (office time, Eastern)").select_option("16:15")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(assigned.get_by_label("In the daily digest email")).to_be_checked()
    expect(page.get_by_label("Time of my daily digest (office time, Eastern)")).to_have_value(
        "16:15"
    )
    assert axe_violations(page) == []


def test_the_outbox_a_message_and_the_templates_have_no_violations(page: Page, live_server):
    _, base_url = live_server
    [deadline] = _assigned_deadlines(make_user(Role.ANALYST), 1)
    admin = make_admin()
    sign_in(page, base_url, admin.email, PASSWORD)
    enter_second_factor(page, admin)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"{base_url}/admin/outbox")
    expect(page.get_by_test_id("development-outbox")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Message \d+$")).first.click()
    expect(page.get_by_test_id("delivery-log")).to_contain_text("development outbox")
    assert axe_violations(page) == []
    page.goto(f"{base_url}/admin/message-templates")
    assert axe_violations(page) == []
    page.get_by_role("link", name="deadline_due_soon").click()
    expect(page.get_by_test_id("preview-subject")).to_contain_text("§7.305(a)")
    assert axe_violations(page) == []
    assert deadline.subject_label not in page.get_by_test_id("mail-text").inner_text()
