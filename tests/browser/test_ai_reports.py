"""Reports of large AI model training (§7.308) in the browser: an analyst keys in an initial
report, reads its clock, coverage and plausibility with the card masked, attaches an IP log and
asks for more; the cross-filing search links two providers' reports without echoing a card
number; and axe-core finds nothing wrong on any of the report's pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.jobs.services import send_committed
from intake import kinds
from intake.ai import ip_logs
from intake.ai import services as ai_services
from intake.examples import payload
from tests.browser.conftest import axe_violations, fill_schema_form, sign_in
from tests.factories import PASSWORD, file_report, make_provider, make_running_ip_log, make_user

pytestmark = pytest.mark.browser

CARD = "4111 1111 1111 1111"
EMAIL = "ops@kestrel-analytics.example"
# The card's place in the report, as the report's page names it.
CARD_FIELD = "Means and source of payment for the account, row 1: Number, identifier or address"


def card_appears(html: str) -> bool:
    """Whether the full card number is anywhere in the text, however it is spaced."""
    compact = "".join(html.split()).replace("-", "").replace("&nbsp;", "")
    return CARD.replace(" ", "") in compact


def ip_log_csv(rows: list[str]) -> dict:
    """A CSV log as Playwright uploads it from memory."""
    content = "ip_address,accessed_at,action\n" + "\n".join(rows) + "\n"
    return {"name": "accesses.csv", "mimeType": "text/csv", "buffer": content.encode()}


def no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}:\n{json.dumps(violations, indent=2)}"


@pytest.fixture
def analyst_page(live_server, page: Page):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST, email="morgan.analyst@oicts.example")
    sign_in(page, base_url, analyst.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    return page, base_url


def test_an_analyst_keys_in_a_report_attaches_an_ip_log_and_asks_for_more(analyst_page):
    page, base_url = analyst_page
    provider = make_provider("Redwood GPU Cloud, Inc.")
    today = clocks.office_today()
    spec = kinds.kind_spec("ai_initial_report")

    page.goto(f"{base_url}/intake/providers/{provider.id}")
    page.get_by_role("link", name=f"{spec.title} {spec.citation}").click()
    transaction_on = (today - timedelta(days=3)).isoformat()
    fill_schema_form(page, payload("ai_initial_report", transaction_on=transaction_on))
    page.get_by_role("button", name="File the large AI model training report").click()

    receipt = page.get_by_test_id("receipt-number").inner_text()
    assert receipt.startswith("OICTS-")
    expect(page.get_by_text(f"Filed. Receipt {receipt}.")).to_be_visible()
    expect(page.get_by_test_id("timeliness")).to_have_text("on time")
    expect(page.get_by_test_id("report-clock")).to_contain_text(
        f"received {today.isoformat()}: on time"
    )
    expect(page.get_by_test_id("coverage")).to_contain_text("Covered")
    expect(page.get_by_test_id("plausibility")).to_contain_text("NVIDIA H100 SXM")
    card_row = page.get_by_test_id("identifiers").locator("tr", has_text=CARD_FIELD)
    expect(card_row).to_contain_text("•••• 1111")
    expect(page.get_by_test_id("ip-summary")).to_contain_text("2 accesses from 2 addresses")
    assert not card_appears(page.content())

    page.get_by_role("link", name="Attach an IP access log (CSV)").click()
    page.set_input_files(
        "#ip_log",
        ip_log_csv([f"198.51.100.{n},2026-11-21T10:0{n}:00+08:00,access" for n in (1, 2, 3)]),
    )
    page.get_by_role("button", name="Attach").click()
    # The log's own page: the suite's job queue checked and stored it as the upload ended.
    expect(page.get_by_test_id("ip-log-outcome")).to_have_text("3 IP accesses attached.")
    page.get_by_role("link", name="See the report's IP accesses").click()
    expect(page.get_by_test_id("receipt-number")).to_have_text(receipt)
    expect(page.get_by_test_id("ip-summary")).to_contain_text("5 accesses from 5 addresses")

    page.get_by_role("link", name="Request additional information").click()
    expect(page.get_by_label("Date of the request")).to_have_value(today.isoformat())
    page.get_by_label("Information requested").fill("Explain the quota on the accelerators.")
    page.get_by_role("button", name="Send the request").click()
    due_on = (today + timedelta(days=15)).isoformat()  # §7.308(c)(3): 15 calendar days
    expect(
        page.get_by_text("the 15-day clock (§7.308(c)(3)) starts when it is sent")
    ).to_be_visible()
    requests = page.get_by_test_id("information-requests")
    expect(requests).to_contain_text("Explain the quota on the accelerators.")
    expect(requests).to_contain_text(f"follow-up due {due_on}")
    expect(requests).to_contain_text("awaiting the follow-up report")
    assert not card_appears(page.content())


def test_the_cross_filing_search_links_two_providers_and_never_echoes_a_card(analyst_page):
    page, base_url = analyst_page
    file_report(make_provider("Redwood GPU Cloud, Inc."))
    file_report(make_provider("Bluefin Compute LLC"), person_name="Kestrel Analytics Private Ltd")

    page.goto(f"{base_url}/intake/search")

    def search(text: str) -> None:
        page.get_by_label("Look for").fill(text)
        page.locator("#main-content").get_by_role("button", name="Search").click()

    search(EMAIL.upper())
    summary = page.get_by_test_id("search-summary")
    expect(summary).to_have_text(f"The email address {EMAIL}: 2 reports from 2 providers")
    hits = page.get_by_test_id("search-hits")
    expect(hits).to_contain_text("Redwood GPU Cloud, Inc.")
    expect(hits).to_contain_text("Bluefin Compute LLC")

    search("192.0.2.7/24")
    expect(summary).to_contain_text("192.0.2.0/24 (the network containing 192.0.2.7)")
    expect(summary).to_contain_text("2 reports from 2 providers")
    expect(hits).to_contain_text("Redwood GPU Cloud, Inc.")
    expect(hits).to_contain_text("Bluefin Compute LLC")
    expect(hits).to_contain_text("192.0.2.10")

    search("2001:db8::/32")
    expect(summary).to_contain_text("2 reports from 2 providers")

    search(CARD)
    expect(summary).to_have_text("The identifier •••• 1111: 2 reports from 2 providers")
    expect(hits.locator("tbody tr")).to_have_count(2)
    expect(hits).to_contain_text("•••• 1111")
    expect(page.get_by_label("Look for")).to_have_value("")
    assert CARD.replace(" ", "") not in page.url
    assert not card_appears(page.content())


def test_the_report_pages_have_no_violations(analyst_page):
    page, base_url = analyst_page
    today = clocks.office_today()
    analyst = make_user(Role.ANALYST)
    report = file_report(make_provider("Redwood GPU Cloud, Inc."))
    file_report(make_provider("Bluefin Compute LLC"))
    attached = ip_logs.attach_ip_log(
        report,
        filename="accesses.csv",
        content=b"ip_address,accessed_at,action\n198.51.100.1,2026-11-21T10:00:00Z,access\n",
        actor=analyst,
    )
    ai_services.request_information(
        report, requested_on=today, note="Explain the quota.", actor=analyst, today=today
    )
    db.session.commit()
    send_committed()
    running = make_running_ip_log(report, analyst)
    filing_url = f"{base_url}/intake/filings/{report.receipt_number}"

    page.goto(filing_url)
    expect(page.get_by_test_id("estimate-flag").first).to_be_visible()
    expect(page.get_by_test_id("information-requests")).to_contain_text("Explain the quota.")
    no_violations(page)

    card_row = page.get_by_test_id("identifiers").locator("tr", has_text=CARD_FIELD)
    card_row.get_by_role("button", name=f"Reveal {CARD_FIELD} in full").click()
    expect(page.get_by_test_id("revealed")).to_have_text(CARD)
    no_violations(page)

    page.goto(f"{base_url}/intake/search")
    page.get_by_label("Look for").fill(EMAIL)
    page.locator("#main-content").get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("search-summary")).to_contain_text("2 reports from 2 providers")
    no_violations(page)

    page.goto(f"{base_url}/intake/coverage")
    page.get_by_text("The customer is a foreign person (§7.301)").click()
    page.get_by_label("Estimated training operations (optional)").fill("3 × 10^26")
    page.get_by_role("button", name="Assess").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("A covered transaction")
    no_violations(page)

    page.goto(f"{base_url}/intake/accelerators")
    expect(page.get_by_test_id("accelerators")).to_contain_text("H100 SXM")
    no_violations(page)

    page.goto(f"{filing_url}/ip-log")
    page.set_input_files(
        "#ip_log",
        ip_log_csv(
            [
                "198.51.100.1,2026-11-21T10:00:00+08:00,access",
                "198.51.100.300,2026-11-21T10:01:00+08:00,access",
            ]
        ),
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_test_id("ip-log-rejected")).to_contain_text("Nothing was attached")
    expect(page.get_by_test_id("ip-log-problems")).to_contain_text("198.51.100.300")
    no_violations(page)

    page.goto(f"{base_url}/intake/ip-logs/{attached.id}")
    expect(page.get_by_test_id("ip-log-outcome")).to_have_text("1 IP access attached.")
    no_violations(page)
    page.goto(f"{base_url}/intake/ip-logs/{running.id}?refresh=off")
    expect(page.get_by_test_id("ip-log-progress")).to_contain_text("Reading the log.")
    no_violations(page)

    page.goto(f"{filing_url}/information-requests")
    expect(page.get_by_label("Date of the request")).to_have_value(today.isoformat())
    no_violations(page)


def test_an_analyst_confirms_the_nearest_catalogue_accelerator_for_a_name_not_found(analyst_page):
    page, base_url = analyst_page
    # 20,000 H200s for 121 days could reach 1.2e26 while the report says 9e25.
    report = file_report(
        make_provider("Redwood GPU Cloud, Inc."),
        accelerator_model="NVIDIA H200",
        estimated_operations=9e25,
        accelerator_count=20_000,
    )

    page.goto(f"{base_url}/intake/filings/{report.receipt_number}")
    plausibility = page.get_by_test_id("plausibility")
    expect(plausibility).to_contain_text("“NVIDIA H200” is not in the accelerator catalogue")
    expect(page.get_by_test_id("accelerator-proposals")).to_contain_text("NVIDIA H200 SXM")
    no_violations(page)

    page.get_by_role("link", name="Confirm which accelerator the report means").click()
    page.get_by_role("button", name="Confirm this accelerator").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "Choose the accelerator the report means."
    )
    no_violations(page)
    page.get_by_text("NVIDIA H200 SXM: 9.9e14 operations a second (BF16 dense)").click()
    page.get_by_role("button", name="Confirm this accelerator").click()

    expect(
        page.get_by_text("the report's “NVIDIA H200” is the catalogue's NVIDIA H200 SXM")
    ).to_be_visible()
    expect(page.get_by_test_id("accelerator-choice")).to_contain_text(
        "confirmed it as the catalogue's NVIDIA H200 SXM"
    )
    expect(plausibility).to_contain_text("989.4e12 operations/s × 20,000 accelerators")
    expect(page.get_by_test_id("estimate-flag").first).to_contain_text("could perform up to")
    no_violations(page)

    page.get_by_role("link", name="Change the confirmed accelerator").click()
    expect(page.get_by_test_id("current-choice")).to_contain_text("NVIDIA H200 SXM")
    expect(
        page.get_by_label("NVIDIA H200 SXM: 9.9e14 operations a second (BF16 dense)")
    ).to_be_checked()


def test_a_range_search_says_how_many_addresses_the_accesses_came_from(analyst_page):
    page, base_url = analyst_page
    report = file_report(make_provider("Redwood GPU Cloud, Inc."), ip_accesses=[])
    page.goto(f"{base_url}/intake/filings/{report.receipt_number}")
    page.get_by_role("link", name="Attach an IP access log (CSV)").click()
    page.set_input_files(
        "#ip_log",
        ip_log_csv([f"198.51.100.{host},2026-11-21T10:{host % 60:02d}:00Z,access"
                    for host in range(250)]),
    )  # fmt: skip
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_test_id("ip-log-status")).to_have_text("attached")
    page.get_by_role("link", name="See the report's IP accesses").click()
    expect(page.get_by_test_id("ip-summary")).to_contain_text("250 accesses from 250 addresses")

    page.goto(f"{base_url}/intake/search")
    page.get_by_label("Look for").fill("198.51.100.0/24")
    page.locator("#main-content").get_by_role("button", name="Search").click()
    row = page.get_by_test_id("search-hits").locator("tbody tr")
    expect(row).to_have_count(1)
    found = row.locator("td").nth(4)
    expect(found).to_have_text("Accesses from 198.51.100.0/24: 250 addresses")
    expect(page.get_by_role("columnheader", name="What was found")).to_be_visible()
    no_violations(page)
