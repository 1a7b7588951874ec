"""A determination end to end in the browser (§7.307): referral, evaluation, six liaisons
recording their agencies' positions, the measure chosen and drafted, approved by another
person, issued with its three dates, and the two letters to Congress generated and sent."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.auth.rules import Role
from core.clocks import office_today
from core.consultations.rules import REQUIRED_AGENCIES, Purpose
from core.db import db
from core.pdf import formal_date
from intake.models import ForeignReseller
from special_measures import services as measures
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, make_measure, make_provider, make_user, set_office_settings
from tests.pdftext import pdf_text

pytestmark = pytest.mark.browser

AGENCIES = REQUIRED_AGENCIES[Purpose.SPECIAL_MEASURE]


def _as(page: Page, base_url: str, user) -> None:
    """Sign out whoever is signed in (which ends their session on the server), then sign in."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in(page, base_url, user.email, PASSWORD)


def _check_page(page: Page) -> None:
    assert axe_violations(page) == []


def _pdf_from_link(page: Page, link_name: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    return " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())


def test_a_determination_from_referral_to_letters(page: Page, live_server):
    _, base_url = live_server
    today = office_today()
    analyst = make_user(Role.ANALYST)
    reviewer = make_user(Role.REVIEWER)
    liaisons = {agency: make_user(Role.LIAISON, agency=agency) for agency in AGENCIES}
    set_office_settings()

    # Referral (§7.307(a)(2)).
    _as(page, base_url, analyst)
    page.goto(f"{base_url}/special-measures/cases")
    page.get_by_role("link", name="Record a referral").click()
    _check_page(page)
    page.get_by_text("Referral from another executive department or agency", exact=True).click()
    page.get_by_label("Referring department or agency").fill("Federal Bureau of Investigation")
    page.get_by_label("Date the referral was received").fill(today.isoformat())
    page.get_by_label("What the referral says").fill(
        "Ransomware crews rent U.S. IaaS accounts through resellers based in the jurisdiction."
    )
    page.get_by_text("A foreign jurisdiction", exact=True).click()
    page.get_by_label("Foreign jurisdiction (ISO 3166)").select_option("KP")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("opened.")).to_be_visible()
    case_url = page.url
    _check_page(page)

    # Evaluation (§7.307(b)(3)(i)).
    page.get_by_role("link", name="Begin the evaluation").click()
    _check_page(page)
    for letter, reasons in zip(
        "ABC",
        ("Forty incidents in 2026.", "A leading source of intrusions.", "No MLAT in force."),
        strict=True,
    ):
        page.get_by_label(f"§7.307(b)(3)(i)({letter}): reasons").fill(reasons)
    page.get_by_role("button", name="Save the evaluation").click()
    expect(page.get_by_text("Evaluation saved.")).to_be_visible()

    # Consultation (§7.307(c)).
    page.get_by_label("Respond by").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Request consultation").click()
    expect(page.get_by_text("Consultation requested.")).to_be_visible()

    for number, (agency, liaison) in enumerate(liaisons.items()):
        _as(page, base_url, liaison)
        expect(page.get_by_role("heading", name=f"{agency} consultations")).to_be_visible()
        page.get_by_role("link", name="SM-").click()
        if number == 0:
            _check_page(page)
        page.get_by_label("The agency's position").select_option("concur")
        page.get_by_role("button", name="Record position").click()
        expect(page.get_by_text(f"Position recorded for {agency}.")).to_be_visible()
        assert page.goto(case_url).status == 403  # liaisons never see the case file

    # The measure and the determination (§7.307(a)(3)–(4), (a)(6), (b)(1), (b)(4)).
    _as(page, base_url, analyst)
    page.goto(case_url)
    for agency in AGENCIES:
        expect(page.get_by_test_id(f"position-{agency}")).to_have_text("concur")
    page.get_by_role("link", name="Choose the measure and draft the determination").click()
    _check_page(page)
    page.get_by_label("Summary of the evaluation (§7.307(a)(3))").fill(
        "Forty incidents traced to accounts resold in the jurisdiction."
    )
    page.get_by_text("Conditions", exact=True).click()
    page.get_by_label("The conditions imposed").fill(
        "Verify each customer's identity with a government-issued document before opening."
    )
    for numeral in ("i", "ii", "iii"):
        page.get_by_label(f"§7.307(b)(4)({numeral}): reasons").fill(f"Weighed ({numeral}).")
    page.get_by_label("How the determination is consistent with E.O. 13984").fill(
        "The measure targets malicious cyber-enabled activity as E.O. 13984 §1 directs."
    )
    page.get_by_label("Date from which providers must comply").fill(
        (today + timedelta(days=100)).isoformat()
    )
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("no provider may be required to comply earlier").first).to_be_visible()
    _check_page(page)
    compliance_on = today + timedelta(days=200)
    page.get_by_label("Date from which providers must comply").fill(compliance_on.isoformat())
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Determination drafted.")).to_be_visible()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent to the reviewers' queue.")).to_be_visible()

    # Approved by another person.
    _as(page, base_url, reviewer)
    page.goto(f"{base_url}/reviews/")
    page.get_by_role("link", name="Determination SM-").click()
    _check_page(page)
    page.get_by_text("Approve", exact=True).click()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Determination approved.")).to_be_visible()

    # Issued: the measure is imposed and the clocks open.
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_text("issued; the measure is imposed")).to_be_visible()
    _check_page(page)
    dates = page.get_by_test_id("dates")
    expect(dates).to_contain_text(
        f"{today + timedelta(days=10)} = determination {today} + 10 calendar days, §7.307(d)"
    )
    expect(dates).to_contain_text(
        f"{compliance_on} (no earlier than {today + timedelta(days=180)} = issued {today} "
        "+ 180 calendar days, §7.307(a)(6))"
    )
    expect(dates).to_contain_text(f"{today + timedelta(days=364)}")
    expect(dates).to_contain_text("§7.307(a)(5)")

    # The letters to the two committees (§7.307(d)).
    page.get_by_role("link", name="Committee on Energy and Commerce").click()
    _check_page(page)
    house = _pdf_from_link(page, "Letter ready to sign (PDF)")
    assert "The Honorable Brett Guthrie" in house
    assert "Committee on Energy and Commerce" in house and "U.S. House of Representatives" in house
    # Both limbs of §7.307(b)(1).
    assert "Conditions on the opening or maintaining with any U.S. IaaS provider of an" in house
    assert "for or on behalf of a foreign person located in the jurisdiction" in house
    assert formal_date(compliance_on) in house and "Margaret A. Ellison" in house
    page.get_by_label("Date sent").fill(today.isoformat())
    page.get_by_label("How it was sent").fill("Hand delivery to the committee clerk")
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_test_id("sent")).to_contain_text(f"{today} (Hand delivery")

    page.goto(case_url)
    page.get_by_role("link", name="Committee on Commerce, Science, and Transportation").click()
    senate = _pdf_from_link(page, "Letter ready to sign (PDF)")
    assert "The Honorable Ted Cruz" in senate and "U.S. Senate" in senate
    assert formal_date(today + timedelta(days=364)) in senate

    # In force, and on the public feed.
    page.goto(f"{base_url}/special-measures/in-force")
    _check_page(page)
    expect(page.get_by_role("cell", name=f"{compliance_on}")).to_be_visible()
    feed = page.request.get(f"{base_url}/api/v1/special-measures").json()
    assert [m["jurisdiction"] for m in feed["measures"]] == ["KP"]


def test_the_screening_page_names_the_provider_and_where_each_party_was_found(
    page: Page, live_server
):
    _, base_url = live_server
    make_measure()  # RU
    provider = make_provider("Meridian Edge Networks LLC")
    db.session.add(
        ForeignReseller(provider_id=provider.id, name="Neva Cloud OOO", jurisdiction="RU")
    )
    db.session.commit()
    analyst = make_user(Role.ANALYST)
    _as(page, base_url, analyst)
    page.goto(f"{base_url}/intake/providers/{provider.id}")
    page.get_by_role("button", name="Screen the foreign resellers now").click()

    screened = page.get_by_test_id("screened")
    expect(screened).to_have_text(
        "The foreign resellers on Meridian Edge Networks LLC's list: 1 party"
    )
    expect(screened.get_by_role("link")).to_have_attribute(
        "href", f"/intake/providers/{provider.id}"
    )
    expect(
        page.get_by_text("Foreign reseller, on the provider's list of foreign resellers.")
    ).to_be_visible()
    shown = page.locator("main").inner_text()
    assert re.search(r"(provider|reseller) \d", shown) is None, shown
    _check_page(page)


def test_after_issuing_the_extensions_section_says_what_comes_next_to_each_role(
    page: Page, live_server
):
    _, base_url = live_server
    reviewer = make_user(Role.REVIEWER)
    analyst = make_user(Role.ANALYST)
    case = make_measure(stop_at="approved", analyst=analyst, reviewer=reviewer)
    provider = make_provider("Meridian Edge Networks LLC")
    db.session.add(
        ForeignReseller(provider_id=provider.id, name="Neva Cloud OOO", jurisdiction="RU")
    )
    db.session.commit()
    _as(page, base_url, reviewer)
    page.goto(f"{base_url}/special-measures/cases/{case.id}")
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_text("issued; the measure is imposed")).to_be_visible()
    # The suite's queue runs the screening job as the step commits: its hits are listed.
    expect(page.get_by_test_id("screening-state")).to_contain_text(
        "Screened 1 active foreign reseller of 1 provider against the 1 measure"
    )
    expect(page.get_by_role("cell", name="Meridian Edge Networks LLC")).to_be_visible()

    actions = page.get_by_test_id("actions")
    expect(actions).to_contain_text("None drafted.")
    expect(actions).to_contain_text("An analyst drafts an extension or a revocation")
    _check_page(page)

    _as(page, base_url, analyst)
    page.goto(f"{base_url}/special-measures/cases/{case.id}")
    expect(actions).to_have_text(
        "None drafted. The measure lapses after its last day in effect unless extended by a "
        "notice in the Federal Register, and ends earlier if revoked."
    )
    page.get_by_role("link", name="Draft an extension").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Extension of")


def test_a_measure_whose_screening_waits_for_the_worker_says_so_and_links_its_job(
    page: Page, live_server
):
    _, base_url = live_server
    case = make_measure(stop_at="approved")
    measures.issue_determination(
        case, issued_on=office_today(), actor=case.drafted_by, today=office_today()
    )
    db.session.commit()  # not handed to the queue: the job waits as for a busy worker
    _as(page, base_url, make_user(Role.VIEWER))
    page.goto(f"{base_url}/special-measures/cases/{case.id}")

    state = page.get_by_test_id("screening-state")
    expect(state).to_contain_text("Queued: job")
    expect(state).to_contain_text("waits for the job worker")
    _check_page(page)
    state.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Screening of every foreign")
