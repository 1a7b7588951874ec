"""What every page has, in Chromium: the system's icon in the browser tab, and at a phone's
width (375 px) the government banner above the system's title, never over it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_filing, make_provider, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_every_page_has_an_icon_the_browser_can_draw(page: Page, live_server):
    _, base_url = live_server
    page.goto(f"{base_url}/login")
    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_count(1)
    href = icon.get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    width = page.evaluate(
        """href => new Promise(resolve => {
            const image = new Image();
            image.onload = () => resolve(image.naturalWidth);
            image.onerror = () => resolve(0);
            image.src = href;
        })""",
        href,
    )
    assert width > 0


def test_at_a_phone_width_the_banner_does_not_cover_the_title(page: Page, live_server):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    filing = make_filing(make_provider("Meridian Edge Networks LLC"))
    page.set_viewport_size(PHONE)

    def check(where: str) -> None:
        banner = _box(page, "section.usa-banner")
        for title in (".usa-logo__text a", ".app-office", "main h1"):
            assert not _overlap(banner, _box(page, title)), f"{where}: the banner covers {title}"

    page.goto(f"{base_url}/login")
    check("the sign-in page")
    sign_in(page, base_url, analyst.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    check("the dashboard")
    # A filing's page carries the CUI marking above the banner.
    page.goto(f"{base_url}/intake/filings/{filing.receipt_number}")
    check("a filing's page")
    assert axe_violations(page) == []
