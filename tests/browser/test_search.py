"""The search box in the browser: typed in the header of any page, it answers with the records
grouped by kind, and one is followed; a screening hit is decided from the queue of hits
(docs/architecture.md §14, §5). Every page opened is checked with axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from special_measures import screening
from special_measures.models import ScreeningHit
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    PASSWORD,
    add_reseller,
    make_filing,
    make_measure,
    make_provider,
    make_user,
)

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def _look(page: Page, name: str) -> None:
    """Every page is checked with axe-core; a screenshot is kept to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"search-{name}.png"), full_page=True)
    assert axe_violations(page) == []


def test_a_name_typed_in_the_header_box_finds_grouped_records_and_one_is_followed(
    page: Page, live_server
):
    _, base_url = live_server
    nubes = make_provider("Nubes São Paulo Ltda.", business_names=["Nubes"])
    make_filing(nubes)
    add_reseller(nubes, "Nubes São Paulo Revenda", "BR")
    add_reseller(make_provider(), "São Paulo Nuvem", "BR")
    sign_in(page, base_url, make_user(Role.ANALYST).email, PASSWORD)

    box = page.get_by_label("Find a receipt, case, name or email")
    box.focus()
    page.keyboard.type("nubes sao paolo")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{base_url}/search?q=nubes+sao+paolo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    providers = page.get_by_test_id("group-providers")
    expect(providers.get_by_role("heading")).to_have_text("Providers 1")
    expect(page.get_by_test_id("group-resellers").get_by_role("heading")).to_contain_text(
        "Foreign resellers"
    )
    expect(page.get_by_test_id("search-summary")).to_contain_text("by kind, best match first")
    # The box keeps what was typed, to correct it.
    expect(box).to_have_value("nubes sao paolo")
    _look(page, "results")

    providers.get_by_role("link", name="Nubes São Paulo Ltda.").click()
    expect(page).to_have_url(f"{base_url}/intake/providers/{nubes.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nubes São Paulo Ltda.")


def test_a_receipt_typed_in_the_box_goes_straight_to_its_filing(page: Page, live_server):
    _, base_url = live_server
    filing = make_filing(make_provider())
    sign_in(page, base_url, make_user(Role.VIEWER).email, PASSWORD)
    page.get_by_label("Find a receipt, case, name or email").fill(filing.receipt_number.lower())
    page.get_by_label("Find a receipt, case, name or email").press("Enter")
    expect(page).to_have_url(f"{base_url}/intake/filings/{filing.receipt_number}")
    expect(page.get_by_text("names one record")).to_be_visible()


def test_too_long_a_query_says_so_at_the_field(page: Page, live_server):
    _, base_url = live_server
    sign_in(page, base_url, make_user(Role.ANALYST).email, PASSWORD)
    page.goto(f"{base_url}/search?q={'x' * 300}")
    expect(page.locator("#q-error")).to_contain_text("Enter at most 200 characters")
    _look(page, "too-long")


def test_a_hit_is_decided_from_the_queue(page: Page, live_server):
    _, base_url = live_server
    make_measure()  # RU
    provider = make_provider("Meridian Edge Networks LLC")
    add_reseller(provider, "Neva Cloud OOO", "RU")
    run = screening.screen_provider_resellers(provider, relevant_on=office_today(), actor=None)
    db.session.commit()
    (hit,) = run.hits
    sign_in(page, base_url, make_user(Role.ANALYST).email, PASSWORD)
    page.get_by_role("link", name="Screening hits to decide").click()
    expect(page.get_by_test_id("list-count")).to_have_text("1–1 of 1 undecided hit")
    row = page.get_by_test_id(f"queued-hit-{hit.id}")
    expect(row).to_contain_text("Neva Cloud OOO (RU)")
    _look(page, "queue")

    row.get_by_label("Decision").select_option("not a match")
    row.get_by_role("button", name="Record decision").click()
    expect(page.locator(f"#hit{hit.id}-reason-error")).to_have_text(
        "Give the reason for the decision."
    )
    _look(page, "queue-refused")

    row = page.get_by_test_id(f"queued-hit-{hit.id}")
    row.get_by_label("Reason").fill("Registered in Armenia in 2019; no link to the jurisdiction.")
    row.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded for Neva Cloud OOO.")).to_be_visible()
    expect(page.get_by_text("No screening hit is waiting for a decision.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(ScreeningHit, hit.id).decision == "not a match"
    _look(page, "queue-done")
