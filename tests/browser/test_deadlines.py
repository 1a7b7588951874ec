"""The deadline board printed as a PDF, as an analyst asks for it: the board's PDF button, the
job's page it leads to, and the printed PDF's page with its download."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_measure, make_provider, make_user
from tests.pdftext import pdf_text

pytestmark = pytest.mark.browser


def test_the_board_filtered_is_printed_by_the_job_worker_and_downloaded_from_its_page(
    page: Page, live_server
):
    _, base_url = live_server
    provider = make_provider("Ironbridge LLC")
    deadlines.open_deadline(
        "cip.copy_on_request", subject=("provider", provider.id), subject_label=provider.legal_name,
        start_on=clocks.office_today() - timedelta(days=3), actor=None,
    )  # fmt: skip
    db.session.commit()
    make_measure()
    sign_in(page, base_url, make_user(Role.ANALYST).email, PASSWORD)
    page.goto(f"{base_url}/deadlines/?module=intake")

    page.get_by_role("button", name="PDF").click()

    # The suite's queue runs the job as the request commits: its page says it is done.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deadline board printed as a PDF")
    expect(page.get_by_test_id("job-outcome")).to_contain_text("Printed 1 open deadline")
    assert axe_violations(page) == []
    page.get_by_role("link", name="deadline board pdf").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deadline board PDF")
    expect(page.get_by_text("module: intake")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    assert "Ironbridge LLC" in text and "Filters: module: intake" in text
    assert "§7.307(d)" not in text  # the measure's letters to Congress are filtered out
