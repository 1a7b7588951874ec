"""Sortable tables arrive sorted by the server and their headers say by what. In Chromium, the
page's scripts never reorder a small table on load, the header that says how it is sorted stays
true, and a person's click on a column's sort button still sorts it; a paged list is sorted by
the server, through its header links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_filing, make_measure, make_provider, make_user

pytestmark = pytest.mark.browser

# The rows of every sortable table, as text, and the sorted header of each.
ROWS_SCRIPT = """root => [...root.querySelectorAll("table:has(th[data-sortable])")].map(table => ({
    rows: [...table.querySelectorAll("tbody tr")].map(row => row.textContent.trim()),
    sorted: [...table.querySelectorAll("th[aria-sort]")].map(
        th => [th.textContent.trim(), th.getAttribute("aria-sort")]),
}))"""


@pytest.fixture
def office(live_server):
    """Three providers, two of them certified (score 2) and one never (score 40); open
    deadlines due on different days; two measures issued a month apart."""
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    for name in ("Alder Compute, Inc.", "Cedar Hosting Co."):
        make_filing(make_provider(name))
    never = make_provider("Birch Cloud LLC")
    today = clocks.office_today()
    for days_ago in (12, 5, 1):
        deadlines.open_deadline(
            "cip.copy_on_request",
            subject=("provider", never.id),
            subject_label=never.legal_name,
            start_on=today - timedelta(days=days_ago),
            actor=analyst,
            assignee=analyst,
        )
    make_measure(today - timedelta(days=30), analyst=analyst)
    make_measure(today, kind="person", analyst=analyst)
    db.session.commit()
    return base_url, analyst


def _scores(page: Page) -> list[int]:
    table = page.get_by_role("table", name="Providers ranked by risk score")
    return [int(text) for text in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]


def test_the_risk_queue_is_sorted_by_the_server_and_its_header_says_so(page: Page, office):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/casework/risk")
    score = page.locator('th[data-sort-key="score"]')

    expect(score).to_have_attribute("aria-sort", "descending")
    assert _scores(page) == [40, 2, 2]
    expect(page.locator("table.app-table tbody tr").first).to_contain_text("Birch Cloud LLC")
    assert axe_violations(page) == []

    score.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"sort=score&dir=asc"))
    expect(score).to_have_attribute("aria-sort", "ascending")
    assert _scores(page) == [2, 2, 40]


@pytest.mark.parametrize(
    ("path", "table", "key", "cells", "first"),
    [
        ("/deadlines/?module=intake", "deadlines", "due", "td:nth-child(2) a", "ascending"),
        ("/special-measures/cases?owner=me", "cases", "reference", "td:first-child", "descending"),
    ],
)
def test_a_paged_list_is_sorted_by_the_server_says_so_and_keeps_its_filters(
    page: Page, office, path, table, key, cells, first
):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(base_url + path)
    listed = page.get_by_test_id(table)
    header = listed.locator(f'th[data-sort-key="{key}"]')
    expect(header).to_have_attribute("aria-sort", first)
    expect(listed.locator("th[data-sortable]")).to_have_count(0)
    values = listed.locator(f"tbody tr {cells}")
    served = values.all_inner_texts()
    assert len(set(served)) >= 2 and served == sorted(served, reverse=first == "descending")
    expect(page.get_by_test_id("list-count")).to_contain_text(f"1–{len(served)} of {len(served)} ")
    assert axe_violations(page) == []

    header.get_by_role("link").click()
    other = {"ascending": "descending", "descending": "ascending"}[first]
    shown = {"ascending": "asc", "descending": "desc"}[other]
    expect(page).to_have_url(re.compile(rf"{re.escape(path.split('?')[1])}&sort={key}&dir={shown}"))
    expect(header).to_have_attribute("aria-sort", other)
    assert values.all_inner_texts() == sorted(served, reverse=other == "descending")


def test_a_small_table_sorts_in_the_page_when_its_header_button_is_pressed(page: Page, office):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/")
    mine = page.get_by_role("table", name="Deadlines assigned to you")
    due = mine.get_by_role("columnheader", name="Due on, sortable column")
    expect(due).to_have_attribute("aria-sort", "ascending")
    first_due = mine.locator("tbody tr td:nth-child(2)").first

    served_first = first_due.text_content()
    due.get_by_role("button").click()
    expect(due).to_have_attribute("aria-sort", "descending")
    expect(first_due).not_to_have_text(served_first)
    due.get_by_role("button").click()
    expect(due).to_have_attribute("aria-sort", "ascending")
    expect(first_due).to_have_text(served_first)


@pytest.mark.parametrize(
    "path",
    ["/", "/special-measures/", "/special-measures/in-force"],
)  # fmt: skip
def test_no_sortable_table_is_reordered_on_load(page: Page, office, path):
    base_url, analyst = office
    sign_in(page, base_url, analyst.email, PASSWORD)
    served = page.goto(base_url + path)
    page.wait_for_load_state("load")
    as_served = page.evaluate(
        f"html => ({ROWS_SCRIPT})(new DOMParser().parseFromString(html, 'text/html'))",
        served.text(),
    )
    as_shown = page.evaluate(f"({ROWS_SCRIPT})(document)")

    assert as_served and all(len(table["rows"]) >= 2 for table in as_served), path
    assert all(table["sorted"] for table in as_served), f"{path}: a table does not say its order"
    assert as_shown == as_served, path
    assert axe_violations(page) == [], path
