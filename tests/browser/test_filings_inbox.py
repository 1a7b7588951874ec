"""An analyst opens the filings received across providers, narrows them to the late ones,
sorts by provider with a header, moves to the next page and downloads what the filters select;
every page passes axe-core."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from scale_seed import Scale, seed_scale
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox_page(live_server, page: Page):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    seed_scale(Scale(providers=15, filings=130, deadlines=0), today=clocks.office_today())
    db.session.commit()
    sign_in(page, base_url, analyst.email, PASSWORD)
    return page


def _rows(page: Page):
    return page.get_by_test_id("filing-row")


def test_filter_sort_page_and_download_the_filings_received(inbox_page, tmp_path):
    page = inbox_page
    page.get_by_role("link", name="Filings received").click()
    expect(page.get_by_role("heading", name="Filings received")).to_be_visible()
    expect(page.get_by_test_id("list-count")).to_have_text("1–50 of 130 filings")
    assert axe_violations(page) == []

    page.get_by_label("Timeliness").select_option(label="Late (§7.304(b), §7.308(c))")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"timeliness=late"))
    late = int(re.search(r"of (\d+) filings?", page.get_by_test_id("list-count").inner_text())[1])
    assert 0 < late < 130
    for timeliness in _rows(page).locator("td:nth-child(6)").all_text_contents():
        assert timeliness == "Late"

    provider = page.locator('th[data-sort-key="provider"]')
    provider.get_by_role("link").click()
    expect(provider).to_have_attribute("aria-sort", "ascending")
    names = _rows(page).locator("td:nth-child(4)").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "filings.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert len(rows) == late and {row["Timeliness"] for row in rows} == {"Late"}
    assert [row["Provider"] for row in rows] == sorted(
        (row["Provider"] for row in rows), key=str.casefold
    )

    page.get_by_role("link", name="Clear").click()
    page.get_by_role("navigation", name="Pages of filings").get_by_role("link", name="Next").click()
    expect(page.get_by_test_id("list-count")).to_have_text("51–100 of 130 filings")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    page.screenshot(path=str(tmp_path / "filings-page-2.png"), full_page=True)
    assert axe_violations(page) == []
