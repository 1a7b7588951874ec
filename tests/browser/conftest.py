"""Browser-test helpers: signing in through the real form, and axe-core checks."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page

from core import crypto
from tests.intake.forms import ROW_INPUT, form_fields

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it stands."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is not installed at {AXE_SCRIPT}: run scripts/setup.sh")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
    ]


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    # USWDS draws its own checkbox; people click the label, so the test does too.
    page.get_by_text("I have read the notice above and consent to its terms").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def enter_second_factor(page: Page, admin) -> None:
    """The code an administrator's authenticator shows now, typed on the sign-in's second step."""
    code = pyotp.TOTP(crypto.decrypt(admin.totp_secret_encrypted)).now()
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    page.keyboard.press("Enter")


def fill_schema_form(page: Page, data: dict) -> None:
    """Type a payload into the schema form the way an analyst would."""
    for name, text in form_fields(data).items():
        row = ROW_INPUT.match(name)
        if row and page.locator(f"#{name}").count() == 0:
            page.locator(f'button[value="add-row:{row["table"]}"]').click()
        element = page.locator(f"#{name}")
        if element.get_attribute("type") == "checkbox":
            page.locator(f'label[for="{name}"]').click()
        elif element.evaluate("node => node.tagName") == "SELECT":
            element.select_option(text)
        else:
            element.fill(text)
