"""The search box: what a person types finds receipts, case references, providers' and foreign
resellers' names (without accents, with a typo) and contact emails, grouped by kind, best first;
only staff search; what cannot be searched for says why (docs/architecture.md §14)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from casework import services as casework
from casework.penalties import services as penalties
from casework.rules import AssessmentOrigin
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from intake.models import ForeignReseller
from tests.factories import (
    file_exemption_request,
    log_in,
    make_filing,
    make_measure,
    make_provider,
    make_resellers,
    make_user,
    violations_of,
)


def _search(client, typed, **kwargs):
    return client.get("/search", query_string={"q": typed}, **kwargs)


def _groups(page) -> dict[str, list[str]]:
    """Each group's heading (with its count) and the labels of its links, in page order."""
    soup = BeautifulSoup(page.text, "html.parser")
    return {
        " ".join(section.h3.get_text().split()): [
            " ".join(link.get_text().split()) for link in section.select("ol a")
        ]
        for section in soup.select("section.app-search-group")
    }


@pytest.fixture
def office(client):
    """Two providers with foreign names, resellers (one with a Cyrillic name), and a filing."""
    nubes = make_provider(
        "Nubes São Paulo Ltda.", business_names=["Nubes Cloud"],
        contact_email="AMoreno@nubes.example",
    )  # fmt: skip
    make_provider("Granite Peak Cloud, Inc.")
    db.session.add_all([
        ForeignReseller(provider_id=nubes.id, name="Rheinland Cloud GmbH", jurisdiction="DE",
                        contact_email="k.vogel@rheinland-cloud.example", contact_name="K. Vogel"),
        ForeignReseller(provider_id=nubes.id, name="Облако Москва", jurisdiction="KZ"),
    ])  # fmt: skip
    db.session.commit()
    make_resellers(nubes, 30)
    log_in(client, make_user(Role.ANALYST))
    return nubes


def test_an_accented_name_typed_without_accents_finds_the_provider_first(client, office):
    page = _search(client, "Nubes Sao Paulo")
    assert page.status_code == 200
    groups = _groups(page)
    assert next(iter(groups)) == "Providers 1"
    assert groups["Providers 1"] == ["Nubes São Paulo Ltda."]
    link = BeautifulSoup(page.text, "html.parser").select_one("section ol a")
    assert link["href"] == f"/intake/providers/{office.id}"
    assert "Nubes São Paulo Ltda." in client.get(link["href"]).text


@pytest.mark.parametrize("typed", ["nubes sao paolo", "NUBSE", "Nubes Cloud"])
def test_a_small_typo_or_a_business_name_still_finds_it(client, office, typed):
    assert "Nubes São Paulo Ltda." in _groups(_search(client, typed)).get("Providers 1", [])


def test_a_reseller_is_found_by_its_name_transliterated_and_links_to_its_entry(client, office):
    assert _groups(_search(client, "oblako moskva"))["Foreign resellers 1"] == [
        "Облако Москва (KZ)"
    ]
    page = _search(client, "rheinland clod")
    (link,) = BeautifulSoup(page.text, "html.parser").select("[data-testid=group-resellers] ol a")
    assert link.get_text(strip=True) == "Rheinland Cloud GmbH (DE)"
    listed = client.get(link["href"])
    assert "Rheinland Cloud GmbH" in listed.text
    assert "Reseller 00001" not in listed.text


def test_many_matches_are_counted_and_the_best_shown(client, office):
    page = _search(client, "Reseller 00012 Cloud")
    groups = _groups(page)
    [(heading, labels)] = [(h, v) for h, v in groups.items() if h.startswith("Foreign resellers")]
    assert labels[0] == "Reseller 00012 Cloud Ltd (SG)"
    assert len(labels) == 10
    assert int(heading.split()[-1]) > 10
    assert "best of" in page.text


def test_a_contact_email_finds_the_provider_and_the_reseller_in_any_case(client, office):
    groups = _groups(_search(client, "amoreno@NUBES.example"))
    assert groups == {"Providers 1": ["Nubes São Paulo Ltda."]}
    page = _search(client, "k.vogel@")
    assert _groups(page) == {"Foreign resellers 1": ["Rheinland Cloud GmbH (DE)"]}
    # Shown as the provider's page shows it, to the same people.
    assert "k.vogel@rheinland-cloud.example" in page.text


def test_a_receipt_number_goes_straight_to_its_filing(client, office):
    filing = make_filing(office)
    page = _search(client, filing.receipt_number.lower())
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/intake/filings/{filing.receipt_number}")
    landed = client.get(page.headers["Location"])
    assert "names one record" in landed.text


def test_the_start_of_a_receipt_lists_the_filings_it_could_mean(client, office):
    receipts = [make_filing(office).receipt_number for _ in range(2)]
    year_prefix = receipts[0].rsplit("-", 1)[0]
    groups = _groups(_search(client, year_prefix))
    assert groups == {"Filings 2": receipts}


def test_an_exemption_request_receipt_finds_the_filing_and_its_case(client, office):
    case = file_exemption_request(office)
    receipt = case.filing.receipt_number
    page = _search(client, receipt)
    assert page.status_code == 200
    assert _groups(page) == {
        "Filings 1": [receipt],
        "Exemption requests 1": [f"Exemption request {receipt}"],
    }
    assert page.text.count(">exact<") == 2


def test_each_case_reference_kind_is_found(client, office):
    analyst = make_user(Role.ANALYST)
    today = office_today()
    assessment = casework.open_assessment(
        office, origin=AssessmentOrigin.REFERRAL, scope="The written CIP.", origin_note="",
        actor=analyst, today=today,
    )  # fmt: skip
    penalty = penalties.draft_penalty(
        office, violations=violations_of("a2"), conduct="Never certified.",
        proposed_amount=10_000, actor=analyst, today=today,
    )  # fmt: skip
    db.session.commit()
    measure = make_measure(stop_at="consultation")
    for reference, path in (
        (assessment.reference, f"/casework/assessments/{assessment.id}"),
        (penalty.reference, f"/casework/penalties/{penalty.id}"),
        (measure.reference, f"/special-measures/cases/{measure.id}"),
    ):
        answer = _search(client, reference)
        assert answer.status_code == 303, reference
        assert answer.headers["Location"].endswith(path)
    # Typed loosely, the reference still leads there; several of a year are listed.
    series, year, number = measure.reference.split("-")
    loose = _search(client, f"{series.lower()} {year} {int(number)}")
    assert loose.headers["Location"].endswith(f"/special-measures/cases/{measure.id}")
    listed = _groups(_search(client, f"{series}-{year}"))
    assert listed == {"Special-measure cases 1": [measure.reference]}


def test_nothing_found_says_so_and_how_references_read(client, office):
    page = _search(client, "Zyxwvut Quorble")
    assert page.status_code == 200
    assert "Nothing found for “Zyxwvut Quorble”" in page.text
    assert "SM-2026-0042" in page.text


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter what to look for"),
        ("N" * 500, "Enter at most 200 characters; this has 500."),
        ("Nubes\x07Sao", "control character (U+0007, at character 6)"),
        ("Nubes\x00", "control character (U+0000"),
    ],
)
def test_what_cannot_be_searched_for_gets_a_message_at_the_field(client, office, typed, says):
    page = _search(client, typed)
    assert page.status_code == 422
    error = BeautifulSoup(page.text, "html.parser").select_one("#q-error")
    assert says in error.get_text()
    assert 'aria-invalid="true"' in page.text


def test_the_page_points_to_the_identifier_search_and_says_why_it_posts(client, office):
    page = _search(client, "Nubes")
    note = BeautifulSoup(page.text, "html.parser").select_one(
        "[data-testid=identifier-search-note]"
    )
    assert note.a["href"] == "/intake/search"
    assert "never sits in the browser's history" in note.get_text()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER, Role.ADMIN])
def test_every_staff_role_has_the_box_and_finds(app, role):
    from tests.factories import log_in_admin, make_admin

    make_provider("Nubes São Paulo Ltda.")
    client = app.test_client()
    if role is Role.ADMIN:
        log_in_admin(client, make_admin())
    else:
        log_in(client, make_user(role))
    home = client.get("/")
    assert BeautifulSoup(home.text, "html.parser").select_one("[data-testid=header-search]")
    assert "Nubes São Paulo Ltda." in _search(client, "nubes").text


def test_a_liaison_has_no_search_box_and_may_not_search(client):
    make_provider("Nubes São Paulo Ltda.")
    log_in(client, make_user(Role.LIAISON, agency="DoD"))
    home = client.get("/")
    assert home.status_code == 200
    assert BeautifulSoup(home.text, "html.parser").select_one("[data-testid=header-search]") is None
    assert _search(client, "nubes").status_code == 403


def test_someone_signed_out_is_asked_to_sign_in(client):
    answer = _search(client, "nubes")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_the_header_box_keeps_the_query_on_the_results_page(client, office):
    page = _search(client, "Nubes Sao Paulo")
    box = BeautifulSoup(page.text, "html.parser").select_one("#header-search-q")
    assert box["value"] == "Nubes Sao Paulo"
    label = BeautifulSoup(page.text, "html.parser").select_one("label[for=header-search-q]")
    assert label.get_text(strip=True) == "Find a receipt, case, name or email"


def test_a_renamed_provider_is_found_by_its_new_name(client, office):
    office.legal_name = "Nuvem Paulista Ltda."
    db.session.commit()
    assert _groups(_search(client, "nuvem paulista")) == {"Providers 1": ["Nuvem Paulista Ltda."]}
    assert _search(client, "Nubes Sao Paulo").text.count("Nubes São Paulo") == 0


def test_resellers_entered_by_a_certification_are_searchable(client, office):
    """A compiled certification's resellers are written by bulk statements, not the ORM: their
    folded names are filled in all the same."""
    from tests.intake.resellers.test_import import csv_file, reseller, upload

    upload(client, office, "resellers.csv",
           csv_file([reseller(reseller_name="Açaí Nuvem Serviços S.A.", jurisdiction="BR")]),
           follow_redirects=True)  # fmt: skip
    assert _groups(_search(client, "acai nuvem servicos")) == {
        "Foreign resellers 1": ["Açaí Nuvem Serviços S.A. (BR)"]
    }
