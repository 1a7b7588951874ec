"""A compiled foreign-reseller certification (§7.304(f)) uploaded in the browser: refused,
rejected, imported in the background while its page shows progress, and every page passing
axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_provider, make_user
from tests.intake.resellers.test_import import RESELLERS, csv_file, reseller

pytestmark = pytest.mark.browser


def upload(page: Page, upload_url: str, path) -> None:
    page.goto(upload_url)
    page.set_input_files("#compiled_file", str(path))
    page.get_by_role("button", name="Upload and check").click()


@pytest.mark.large
def test_an_analyst_uploads_a_compiled_certification(page: Page, live_server, tmp_path):
    _, base_url = live_server
    provider = make_provider()
    sign_in(page, base_url, make_user(Role.ANALYST).email, PASSWORD)
    upload_url = f"{base_url}/intake/providers/{provider.id}/resellers/upload"

    page.goto(upload_url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Choose the compiled file to upload.").first).to_be_visible()
    assert axe_violations(page) == []

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([reseller(jurisdiction="XX"), reseller(reseller_name="B")]))
    upload(page, upload_url, bad)
    expect(page.get_by_text("Nothing was stored").first).to_be_visible()
    expect(page.get_by_text("must be an ISO 3166-1 two-letter country code").first).to_be_visible()
    assert axe_violations(page) == []

    large = tmp_path / "large.csv"
    large.write_bytes(csv_file([reseller(reseller_name=f"R{n}") for n in range(20_000)]))
    upload(page, upload_url, large)
    expect(page.get_by_text("Imported: receipt OICTS-")).to_be_visible(timeout=60_000)
    assert axe_violations(page) == []

    good = tmp_path / "good.csv"
    good.write_bytes(csv_file([reseller(**changes) for changes in RESELLERS]))
    upload(page, upload_url, good)
    expect(page.get_by_text("Imported: receipt OICTS-")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"{base_url}/intake/providers/{provider.id}")
    assert axe_violations(page) == []
    page.get_by_role("link", name="All 20,003 foreign resellers").click()
    page.get_by_label("Name contains").fill("Rheinland")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("list-count")).to_have_text("1–1 of 1 foreign reseller")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Request its CIP").click()
    expect(page.get_by_label("Whose CIP")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("is being sent to the provider's contact on record")).to_be_visible()
