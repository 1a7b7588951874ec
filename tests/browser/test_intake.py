"""An analyst registers a provider, keys in its certification, gets the receipt, sees the
annual clock, and later files annual certifications judged early, on time and late; the foreign
resellers a certification lists are shown with their source and any exemption."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db, utcnow
from intake import services
from intake.examples import payload
from tests.browser.conftest import axe_violations, fill_schema_form, sign_in
from tests.factories import (
    PASSWORD,
    file_exemption_request,
    grant_exemption,
    make_filing,
    make_provider,
    make_user,
)
from tests.pdftext import pdf_text

pytestmark = pytest.mark.browser


@pytest.fixture
def analyst_page(live_server, page: Page):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST, email="casey.analyst@oicts.example")
    sign_in(page, base_url, analyst.email, PASSWORD)
    return page, base_url


def test_register_certify_receipt_and_annual_clock(analyst_page):
    page, base_url = analyst_page
    page.goto(f"{base_url}/intake/providers")
    page.get_by_role("link", name="Register a provider").click()
    assert axe_violations(page) == []
    fill_schema_form(
        page,
        {
            "legal_name": "Tidewater Compute, Inc.",
            "business_names": ["Tidewater"],
            "street_address": "77 Waterside Dr",
            "city": "Norfolk",
            "state": "VA",
            "postal_code": "23510",
            "primary_contact_name": "Hannah Price",
            "primary_contact_title": "Compliance Officer",
            "primary_contact_email": "hprice@tidewater.example",
            "primary_contact_phone": "757-555-0108",
        },
    )
    page.get_by_role("button", name="Register provider").click()
    expect(page.get_by_text("Tidewater Compute, Inc. registered.")).to_be_visible()

    page.get_by_role("link", name="CIP certification form §7.304(a)").click()
    fill_schema_form(page, payload("cip_certification"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="File the CIP certification form").click()
    receipt = page.get_by_test_id("receipt-number").inner_text()
    expect(page.get_by_text(f"Filed. Receipt {receipt}.")).to_be_visible()
    expect(page.get_by_test_id("cui-top")).to_have_text("CUI//PRVCY/PROPIN")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the acknowledgement (PDF)").click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert receipt in text
    assert "Tidewater Compute, Inc." in text

    page.get_by_role("link", name="Deadline board", exact=True).click()
    due_on = clocks.due("cip.annual_certification", clocks.office_today())
    row = page.locator("tr", has_text="Tidewater Compute, Inc.")
    expect(row).to_contain_text(due_on.isoformat())
    expect(row).to_contain_text("§7.304(b)")


@pytest.mark.parametrize(
    ("days_since_certified", "verdict"),
    [(300, "too early"), (330, "on time"), (370, "late")],
)
def test_the_annual_certification_is_judged_against_the_window(
    analyst_page, days_since_certified, verdict
):
    page, base_url = analyst_page
    provider = make_provider("Harborview Cloud LLC")
    initial = payload("cip_certification")
    services.receive_filing(
        provider,
        services.Submission(
            "cip_certification",
            initial,
            json.dumps({"kind": "cip_certification", "payload": initial}),
            channel="web",
        ),
        received_at=utcnow() - timedelta(days=days_since_certified),
    )
    db.session.commit()
    page.goto(f"{base_url}/intake/providers/{provider.id}/file/annual_certification")
    fill_schema_form(page, payload("annual_certification"))
    page.get_by_role("button", name="File the annual CIP certification").click()
    expect(page.get_by_test_id("timeliness")).to_have_text(verdict)
    if verdict != "on time":
        expect(page.get_by_test_id("filing-warning")).to_contain_text("§7.304(b)")


def test_the_resellers_a_certification_lists_are_shown_with_their_source(analyst_page):
    page, base_url = analyst_page
    provider = make_provider("Northwind Cloud Services, Inc.")
    case = file_exemption_request(
        provider, scope="foreign_reseller", reseller_name="Sakura Hosting KK",
        reseller_jurisdiction="JP",
    )  # fmt: skip
    grant_exemption(case, analyst=make_user(Role.ANALYST), reviewer=make_user(Role.REVIEWER))
    certification = make_filing(provider)

    page.goto(f"{base_url}/intake/providers/{provider.id}")
    expect(page.get_by_test_id("primary-contact")).to_contain_text("+1 206-555-0142")
    rows = page.get_by_test_id("reseller-row")
    expect(rows).to_have_count(2)
    rheinland = rows.filter(has_text="Rheinland Cloud GmbH")
    expect(rheinland.get_by_test_id("reseller-source")).to_contain_text(
        f"Listed in the CIP certification {certification.receipt_number} §7.304(a)(2)(viii)"
    )
    expect(rheinland).to_contain_text("CIP not yet certified in a compiled certification")
    sakura = rows.filter(has_text="Sakura Hosting KK")
    expect(sakura.get_by_test_id("reseller-exempt")).to_have_text("Exempt")
    expect(sakura).to_contain_text("exempt since 2027-03-01 (§7.306(e))")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Search and download the list of foreign resellers").click()
    expect(page.get_by_test_id("reseller-row")).to_have_count(2)
    assert axe_violations(page) == []
    page.get_by_test_id("reseller-row").filter(has_text="Rheinland Cloud GmbH").get_by_role(
        "link", name=certification.receipt_number
    ).click()
    expect(page.get_by_test_id("receipt-number")).to_have_text(certification.receipt_number)


def test_a_receipt_gives_every_time_in_the_offices_time_zone_and_says_which(analyst_page):
    page, base_url = analyst_page
    filing = make_filing(make_provider("Lakeshore Servers, Inc."))
    zone = clocks.office_time(filing.received_at).rsplit(" ", 1)[1]  # EST or EDT
    page.goto(f"{base_url}/intake/filings/{filing.receipt_number}")
    received = clocks.office_time(filing.received_at)
    expect(page.locator("main")).to_contain_text(f"Received{received}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the acknowledgement (PDF)").click()
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    # The received time as the screen gives it, the print time as a letter writes it.
    times = re.findall(r"(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d{1,2}:\d{2} [ap]\.m\.) (\w+)", text)
    assert len(times) >= 2, text  # when it was received, and when the receipt was printed
    assert set(times) == {zone}, text
    assert "UTC" not in text
    assert f"Received {received}" in text


def test_a_form_sent_with_gaps_lists_each_problem_under_its_fields_label(analyst_page):
    page, base_url = analyst_page
    provider = make_provider("Harborview Cloud LLC")
    page.goto(f"{base_url}/intake/providers/{provider.id}/file/annual_certification")
    fill_schema_form(page, payload("annual_certification", customer_count=None))
    page.locator('label[for="attest_complies"]').click()  # untick one attestation
    page.get_by_role("button", name="File the annual CIP certification").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Number of IaaS customers: is required (§7.304(a)(2)(vi))",
            "Ensured its CIP complies with subpart D: must be attested for the filing to be "
            "complete (§7.304(b)(4))",
        ]
    )
    summary.get_by_role("link").first.click()
    expect(page.locator("#customer_count")).to_be_focused()
    assert axe_violations(page) == []
