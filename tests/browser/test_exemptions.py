"""An exemption request end to end (§7.306): filed, reviewed with an information request,
consulted with each required agency's liaison, found, approved by another person, the
decision letter read back, the annual clock opened; and a revocation bringing back what intake
expects of the provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from core import clocks
from core.auth.rules import Role
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from core.pdf import formal_date
from exemptions import services
from intake.examples import payload
from tests.browser.conftest import axe_violations, fill_schema_form, sign_in
from tests.factories import (
    FINDING_REASONS,
    PASSWORD,
    file_exemption_request,
    grant_exemption,
    make_provider,
    make_user,
)
from tests.pdftext import pdf_text

pytestmark = pytest.mark.browser
REQUIRED = ("DoD", "DOJ", "DHS", "DNI")


def _page_for(browser: Browser, context_args: dict, base_url: str, user) -> Page:
    page = browser.new_context(**context_args).new_page()
    sign_in(page, base_url, user.email, PASSWORD)
    return page


def _submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def _choose(page: Page, label: str) -> None:
    page.locator("label", has_text=label).first.click()


def test_request_to_grant_with_consultation_and_review(
    live_server, page: Page, browser: Browser, browser_context_args
):
    _, base_url = live_server
    provider = make_provider("Northwind Cloud Services, Inc.")
    analyst = make_user(Role.ANALYST)
    reviewer = make_user(Role.REVIEWER)
    liaisons = {agency: make_user(Role.LIAISON, agency=agency) for agency in REQUIRED}
    today = clocks.office_today()

    # Filed on the provider's behalf, with a receipt like every filing (§7.306(e)(1)).
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/intake/providers/{provider.id}")
    page.get_by_role("link", name="Request for an exemption (ADP)").click()
    assert axe_violations(page) == []
    fill_schema_form(page, payload("exemption_request"))
    _submit(page, "File")
    expect(page.get_by_text("Filed. Receipt OICTS-")).to_be_visible()

    page.goto(f"{base_url}/exemptions/requests")
    assert axe_violations(page) == []
    page.get_by_role("link", name="OICTS-").click()
    expect(page.get_by_test_id("case-state")).to_have_text("received")
    assert axe_violations(page) == []
    case_url = page.url
    _submit(page, "Start review")
    expect(page.get_by_test_id("case-state")).to_have_text("under review")
    expect(page.get_by_text("33 of 33 elements addressed.")).to_be_visible()

    # An information request (§7.306(e)(2)), first with a date that cannot be right.
    page.get_by_label("What the submitter is asked to provide").fill(
        "Send the Risk Committee's minutes approving the program."
    )
    page.get_by_label("Respond by").first.fill((today - timedelta(days=1)).isoformat())
    _submit(page, "Send request")
    expect(
        page.get_by_text("The response-by date cannot be before the request.").first
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Respond by").first.fill((today + timedelta(days=21)).isoformat())
    _submit(page, "Send request")
    expect(page.get_by_test_id("case-state")).to_have_text("information requested")
    page.get_by_label("What the submitter provided").fill("Minutes of 30 June 2026 received.")
    _submit(page, "Record response")
    expect(page.get_by_test_id("case-state")).to_have_text("under review")

    # Consultation with the four required agencies (§7.306(e)(2)).
    page.get_by_label("What the agencies are asked to consider").fill(
        "Northwind asks to be exempted from §§7.302, 7.304 and 7.305."
    )
    page.locator("#respond_by").last.fill((today + timedelta(days=30)).isoformat())
    _submit(page, "Request consultation")
    expect(page.get_by_test_id("missing-positions")).to_contain_text("DoD, DOJ, DHS, DNI")
    assert axe_violations(page) == []
    case_id = int(case_url.rstrip("/").split("/")[-1])
    ids = {c.agency: c.id for c in services.consultations_of(services.get_case(case_id))}
    receipt = services.get_case(case_id).filing.receipt_number

    for agency, liaison in liaisons.items():
        other = next(a for a in REQUIRED if a != agency)
        liaison_page = _page_for(browser, browser_context_args, base_url, liaison)
        liaison_page.goto(f"{base_url}/consultations/")
        liaison_page.get_by_role("link", name="Northwind").click()
        liaison_page.get_by_label("The agency's position").select_option("concur")
        liaison_page.get_by_role("button", name="Record position").click()
        expect(liaison_page.get_by_text(f"Position recorded for {agency}.")).to_be_visible()
        for path, status in (
            (f"/consultations/{ids[other]}", 404),
            (f"/intake/filings/{receipt}", 403),
            (case_url.removeprefix(base_url), 403),
        ):
            assert liaison_page.goto(f"{base_url}{path}").status == status
        liaison_page.context.close()

    # The finding (§7.306(e)(3)), drafted by the analyst.
    page.goto(case_url)
    expect(page.get_by_test_id("missing-positions")).to_have_count(0)
    for key, reasons in FINDING_REASONS.items():
        page.locator(f"#{key}_assessment").select_option("satisfied")
        page.locator(f"#{key}_reasons").fill(reasons)
    _choose(page, "Grant the exemption")
    _submit(page, "Save the finding")
    expect(page.get_by_test_id("case-state")).to_have_text("finding drafted")
    assert axe_violations(page) == []
    _submit(page, "Send the finding for review")
    expect(page.get_by_test_id("case-state")).to_have_text("in review")

    # Approved by a reviewer who did not draft it.
    reviewer_page = _page_for(browser, browser_context_args, base_url, reviewer)
    reviewer_page.goto(f"{base_url}/reviews/")
    reviewer_page.get_by_role("link", name="Finding (grant)").click()
    assert axe_violations(reviewer_page) == []
    _choose(reviewer_page, "Approve")
    _submit(reviewer_page, "Record decision")
    expect(reviewer_page.get_by_test_id("case-state")).to_have_text("granted")
    due = clocks.due("exemption.annual_notification", today)
    expect(reviewer_page.get_by_test_id("annual-clock")).to_contain_text(due.isoformat())
    expect(reviewer_page.get_by_test_id("annual-clock")).to_contain_text("§7.306(f)")
    assert axe_violations(reviewer_page) == []

    letter = reviewer_page.request.get(f"{case_url}/decision-letter.pdf")
    text = " ".join(pdf_text(letter.body()).split())
    assert "CUI//PROPIN" in text
    assert "The Department grants the exemption." in text
    assert f"the first by {formal_date(due)} (§7.306(f))" in text
    reviewer_page.context.close()

    page.goto(f"{base_url}/deadlines/?module=exemptions")
    expect(page.get_by_text("Northwind Cloud Services, Inc.: annual notification")).to_be_visible()


def test_a_revoked_exemption_brings_back_the_missing_certification(
    live_server, page: Page, browser: Browser, browser_context_args
):
    _, base_url = live_server
    provider = make_provider("Harborline Compute, LLC")
    analyst = make_user(Role.ANALYST)
    reviewer = make_user(Role.REVIEWER)
    case = grant_exemption(
        file_exemption_request(provider),
        analyst=analyst,
        reviewer=reviewer,
        today=clocks.office_today(),
    )
    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/intake/providers/{provider.id}")
    expect(page.get_by_test_id("certification-waived")).to_be_visible()
    expect(page.get_by_test_id("missing-certification")).to_have_count(0)

    page.goto(f"{base_url}/exemptions/requests/{case.id}")
    _submit(page, "Propose revocation")
    expect(page.get_by_text("State the reasons (§7.306(g)).").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Reasons for revoking the exemption").fill(
        "The provider no longer maintains the program's reseller oversight."
    )
    page.get_by_label("Special-measure case this revocation serves").fill("SM-2027-004")
    _submit(page, "Propose revocation")
    expect(page.get_by_test_id("revocation-pending")).to_contain_text("SM-2027-004")

    reviewer_page = _page_for(browser, browser_context_args, base_url, reviewer)
    reviewer_page.goto(f"{base_url}/exemptions/requests/{case.id}")
    _choose(reviewer_page, "Approve")
    _submit(reviewer_page, "Record decision")
    expect(reviewer_page.get_by_test_id("case-state")).to_have_text("revoked")
    assert axe_violations(reviewer_page) == []
    reviewer_page.context.close()

    page.goto(f"{base_url}/intake/providers/{provider.id}")
    expect(page.get_by_test_id("missing-certification")).to_be_visible()


def test_a_finding_drafted_before_consultation_goes_to_consultation_and_on_to_review(
    live_server, page: Page
):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    case = file_exemption_request(make_provider("Bluefin Hosting, Inc."))
    services.start_review(case, actor=analyst)
    services.draft_finding(
        case, assessments={key: ("satisfied", text) for key, text in FINDING_REASONS.items()},
        decision="grant", actor=analyst,
    )  # fmt: skip
    db.session.commit()
    today = clocks.office_today()

    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/exemptions/requests/{case.id}")
    expect(page.get_by_test_id("case-state")).to_have_text("finding drafted")
    expect(page.get_by_role("button", name="Send the finding for review")).to_be_disabled()
    expect(page.get_by_test_id("blockers")).to_contain_text("DoD, DOJ, DHS, DNI (§7.306(e)(2))")
    assert axe_violations(page) == []

    page.get_by_label("What the agencies are asked to consider").fill(
        "Bluefin asks to be exempted from §§7.302, 7.304 and 7.305."
    )
    page.locator("#respond_by").last.fill((today + timedelta(days=30)).isoformat())
    _submit(page, "Request consultation")
    expect(page.get_by_test_id("case-state")).to_have_text("in consultation")
    expect(page.get_by_test_id("missing-positions")).to_contain_text("DoD, DOJ, DHS, DNI")
    for consultation_record in services.consultations_of(case):
        consultations.record_position(
            consultation_record, position=Position.CONCUR, comments="", actor=analyst
        )
    db.session.commit()

    page.reload()
    expect(page.get_by_test_id("missing-positions")).to_have_count(0)
    _submit(page, "Send the finding for review")
    expect(page.get_by_text("Finding sent for review.")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("in review")
    assert axe_violations(page) == []


def test_the_provider_withdraws_its_request_from_the_case_page(live_server, page: Page):
    _, base_url = live_server
    analyst = make_user(Role.ANALYST)
    case = file_exemption_request(make_provider("Saltmarsh Cloud, LLC"))
    today = clocks.office_today()

    sign_in(page, base_url, analyst.email, PASSWORD)
    page.goto(f"{base_url}/exemptions/requests/{case.id}")
    page.get_by_text("Record that the provider withdraws its request").click()
    _submit(page, "Record the withdrawal")
    expect(page.get_by_text("Say why the provider withdraws.").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Why the provider withdraws its request").fill(
        "Saltmarsh is merging with a certified provider and keeps a CIP instead."
    )
    _submit(page, "Record the withdrawal")
    expect(page.get_by_text("Withdrawal recorded; the request is closed without a finding."))
    expect(page.get_by_test_id("case-state")).to_have_text("withdrawn")
    expect(page.get_by_test_id("withdrawn")).to_contain_text(f"received {today.isoformat()}")
    expect(page.get_by_test_id("withdrawn")).to_contain_text("merging with a certified provider")
    expect(page.get_by_role("button", name="Record the withdrawal")).to_have_count(0)
    assert axe_violations(page) == []
