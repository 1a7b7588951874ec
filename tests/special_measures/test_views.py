"""Special-measure pages as analysts and reviewers use them, the letters and determination read
back from their PDFs, overdue notices, and the public feed of measures in force."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from core.auth.rules import Role
from core.clocks import office_today
from core.consultations import services as consultations
from core.consultations.models import Consultation
from core.db import db
from core.pdf import formal_date
from special_measures import services
from special_measures.models import SpecialMeasureCase
from tests.factories import log_in, make_measure, make_user, set_office_settings
from tests.pdftext import pdf_info, pdf_pages, pdf_text, searchable


def _analyst_client(client):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    return analyst


def test_a_referral_form_with_gaps_shows_each_problem_and_keeps_what_was_typed(client):
    _analyst_client(client)
    page = client.post(
        "/special-measures/cases/new",
        data={
            "source": "agency",
            "received_on": office_today().isoformat(),
            "summary": "Operators of a botnet rent accounts through resellers.",
            "subject_kind": "person",
            "aliases": "Volga Host",
        },
    )
    assert page.status_code == 422
    assert 'id="referring_agency-error"' in page.text
    assert "Name the department or agency that referred it." in page.text
    assert "Give the foreign person&#39;s full legal or business name." in page.text
    assert "Operators of a botnet rent accounts through resellers." in page.text
    assert "Volga Host" in page.text
    assert services.all_cases() == []

    opened = client.post(
        "/special-measures/cases/new",
        data={
            "source": "secretary",
            "received_on": office_today().isoformat(),
            "summary": "Operators of a botnet rent accounts through resellers.",
            "subject_kind": "jurisdiction",
            "jurisdiction": "KP",
        },
        follow_redirects=True,
    )
    assert opened.status_code == 200
    assert f"SM-{office_today().year}-0001: KP" in opened.text
    assert "The Secretary&#39;s own initiative" in opened.text


def test_a_compliance_date_under_180_days_is_refused_on_the_form_with_the_reason(client):
    case = make_measure(stop_at="consultation")
    _analyst_client(client)
    today = office_today()
    page = client.post(
        f"/special-measures/cases/{case.id}/determination",
        data={
            "evaluation_summary": "Forty incidents.",
            "measure_kind": "prohibition",
            "consistency": "Consistent with E.O. 13984.",
            "compliance_on": (today + timedelta(days=90)).isoformat(),
        },
    )
    assert page.status_code == 422
    earliest = (today + timedelta(days=180)).isoformat()
    assert 'id="compliance_on-error"' in page.text
    assert f"is earlier than {earliest}" in page.text
    assert "(§7.307(a)(6))" in page.text
    assert "Forty incidents." in page.text


def test_the_case_page_shows_the_three_dates_with_their_rules(client):
    case = make_measure()
    _analyst_client(client)
    page = client.get(f"/special-measures/cases/{case.id}")
    issued = office_today()
    assert page.status_code == 200
    assert "measure in effect" in page.text
    assert (
        f"{issued + timedelta(days=10)} = determination {issued} + 10 calendar days, §7.307(d)"
        in (page.text)
    )
    assert (
        f"{issued + timedelta(days=180)} = issued {issued} + 180 calendar days, §7.307(a)(6)"
        in (page.text)
    )
    assert (
        f"{issued + timedelta(days=364)} = issued {issued} + 364 calendar days (last day of the "
        "365-day period beginning on that date), §7.307(a)(5)"
    ) in page.text


def test_the_letters_name_the_committee_chair_measure_and_dates(client):
    case = make_measure()
    set_office_settings()
    _analyst_client(client)
    issued = office_today()
    texts = []
    for notice in case.notices:
        response = client.get(f"/special-measures/notices/{notice.id}/letter.pdf")
        assert response.mimetype == "application/pdf"
        texts.append(searchable(pdf_text(response.data)))
    house, senate = texts
    assert "Committee on Energy and Commerce" in house and "House of Representatives" in house
    assert "The Honorable Brett Guthrie" in house and "Dear Chair Guthrie:" in house
    assert "Committee on Commerce, Science, and Transportation" in senate
    assert "U.S. Senate" in senate and "The Honorable Ted Cruz" in senate
    for text in texts:
        # Both limbs of §7.307(b)(1): accounts of persons located there, and accounts a
        # provider keeps for or on behalf of them.
        assert "Prohibition of the opening or maintaining with any U.S. IaaS provider of an" in text
        assert "for or on behalf of a foreign person located in the jurisdiction" in text
        assert (
            f"on {formal_date(issued)}, the Secretary of Commerce issued determination "
            f"{case.reference}" in text
        )
        assert f"comply with the measure from {formal_date(case.compliance_on)}" in text
        assert f"through {formal_date(issued + timedelta(days=364))}" in text  # §7.307(a)(5)
        assert "15 CFR 7.307(d)" in text


def test_a_letter_to_congress_reads_as_sent_signed_by_the_official_the_office_names(client):
    case = make_measure()
    set_office_settings()
    _analyst_client(client)
    issued = office_today()
    letter = client.get(f"/special-measures/notices/{case.notices[0].id}/letter.pdf").data
    pages = [searchable(page) for page in pdf_pages(letter)]
    text = " ".join(pages)
    # Formal style: dates in words, no arithmetic, no print stamp, no draft mark.
    assert issued.isoformat() not in text
    assert " = " not in text and "calendar days" not in text
    assert "Generated" not in text and "UTC" not in text and "DRAFT" not in text
    # The signature block names the official and sits with the closing paragraph.
    (signed,) = [page for page in pages if "Margaret A. Ellison" in page]
    assert (
        "with any questions. Sincerely, Margaret A. Ellison Under Secretary of Commerce for "
        "Industry and Security" in signed
    )
    assert all(page.startswith("UNCLASSIFIED") and page.endswith("UNCLASSIFIED") for page in pages)
    assert pdf_info(letter)["Title"] == (
        "Letter to the Chair, Committee on Energy and Commerce: special measure determination "
        f"{case.reference}"
    )


def test_a_letter_whose_signer_is_not_set_prints_as_a_draft(client):
    case = make_measure()
    _analyst_client(client)
    letter = client.get(f"/special-measures/notices/{case.notices[0].id}/letter.pdf").data
    pages = pdf_pages(letter)
    assert all("DRAFT: no signing official is set (Office settings)" in page for page in pages)


def test_the_determination_pdf_carries_the_finding_consultations_and_approval(client):
    case = make_measure()
    _analyst_client(client)
    issued = office_today()
    response = client.get(f"/special-measures/cases/{case.id}/determination.pdf")
    pages = [searchable(page) for page in pdf_pages(response.data)]
    text = " ".join(pages)
    assert all(page.startswith("UNCLASSIFIED") and page.endswith("UNCLASSIFIED") for page in pages)
    assert f"Issued {formal_date(issued)}" in text
    assert "Finding (§7.307(a)(3)(i))" in text
    for agency in ("State", "Treasury", "DoD", "DOJ", "DHS", "DNI"):
        assert f"{agency} concur" in text
    assert "§7.307(b)(4)(iii)" in text
    assert "Riley Reviewer" in text
    assert f"Providers must comply from {formal_date(case.compliance_on)} (§7.307(a)(6))" in text
    assert issued.isoformat() not in text and " = " not in text


def test_an_unsent_notice_is_overdue_after_ten_days_until_sending_is_recorded(client):
    issued = office_today() - timedelta(days=11)
    case = make_measure(issued)
    _analyst_client(client)
    house = case.notices[0]

    board = client.get("/deadlines/")
    dashboard = client.get("/")
    notice_page = client.get(f"/special-measures/notices/{house.id}")
    assert board.text.count(f"{case.reference} determination: letter to the") == 2
    assert board.text.count("app-urgency--overdue") == 2
    assert 'data-testid="count-overdue">2<' in dashboard.text
    assert f"{case.reference} determination: letter to the U.S. House" in dashboard.text
    assert 'data-testid="overdue"' in notice_page.text

    sent = client.post(
        f"/special-measures/notices/{house.id}/sent",
        data={"sent_on": office_today().isoformat(), "sent_how": "Hand delivery"},
        follow_redirects=True,
    )
    assert "Sending recorded." in sent.text
    assert 'data-testid="overdue"' not in sent.text
    assert 'data-testid="count-overdue">1<' in client.get("/").text


def test_a_late_extension_notice_is_refused_on_the_form(client):
    issued = office_today() - timedelta(days=300)
    case = make_measure(issued)
    _analyst_client(client)
    drafted = client.post(
        f"/special-measures/cases/{case.id}/extension",
        data={"reasons": "Still needed.", "new_last_day_on": "2030-01-01"},
        follow_redirects=True,
    )
    assert "Extension drafted and sent to the reviewers" in drafted.text
    action = case.actions[0]
    reviewer_client = client.application.test_client()
    log_in(reviewer_client, make_user(Role.REVIEWER))
    reviewer_client.post(
        f"/special-measures/actions/{action.id}/decision", data={"decision": "approve"}
    )

    late = client.post(
        f"/special-measures/actions/{action.id}/record",
        data={
            "federal_register_citation": "92 FR 100",
            "published_on": (case.last_day_on + timedelta(days=1)).isoformat(),
        },
    )
    assert late.status_code == 422
    assert 'id="published_on-error"' in late.text
    assert "an extension must be published on or before that day (§7.307(a)(5))" in late.text
    assert case.last_day_on == issued + timedelta(days=364)


def _feed(client, suffix: str = "", on=None):
    query = f"?on={on.isoformat()}" if on else ""
    return client.get(f"/api/v1/special-measures{suffix}{query}")


def test_the_public_feed_lists_measures_in_force_as_json_csv_and_calendar(client):
    person = make_measure(kind="person")
    make_measure(stop_at="approved")  # not issued: never listed

    listing = _feed(client).get_json()
    assert listing["count"] == 1
    (record,) = listing["measures"]
    assert record == {
        "reference": person.reference,
        "subject_kind": "person",
        "jurisdiction": "RU",
        "region": None,
        "person_name": "Volga Hosting Group LLC",
        "aliases": ["VHG", "Volga Host"],
        "measure_paragraph": "§7.307(b)(2)",
        "measure_kind": "prohibition",
        "conditions": None,
        "issued_on": office_today().isoformat(),
        "compliance_from": (office_today() + timedelta(days=200)).isoformat(),
        "in_effect_through": (office_today() + timedelta(days=364)).isoformat(),
        "extended": False,
        "federal_register": None,
    }

    rows = list(csv.DictReader(io.StringIO(_feed(client, ".csv").text.lstrip("\ufeff"))))
    assert [(r["reference"], r["aliases"], r["in_effect_through"]) for r in rows] == [
        (person.reference, "VHG; Volga Host", record["in_effect_through"])
    ]

    calendar = _feed(client, ".ics").text
    assert calendar.count("BEGIN:VEVENT") == 3
    assert f"DTSTART;VALUE=DATE:{person.last_day_on:%Y%m%d}" in calendar


def test_the_csv_feed_carries_values_exactly_as_the_json_does(client):
    """Providers' systems read the feed: no spreadsheet apostrophe before a handle like this."""
    person = make_measure(kind="person")
    person.aliases = ["@volgahost", "VHG"]
    db.session.commit()

    (record,) = _feed(client).get_json()["measures"]
    assert record["aliases"] == ["@volgahost", "VHG"]
    rows = list(csv.DictReader(io.StringIO(_feed(client, ".csv").text.lstrip("\ufeff"))))
    assert [row["aliases"] for row in rows] == ["@volgahost; VHG"]


def test_an_unextended_measure_drops_out_of_the_feed_the_day_after_its_last_day(client):
    case = make_measure()
    last_day = case.last_day_on
    assert _feed(client, on=last_day).get_json()["count"] == 1
    assert _feed(client, on=last_day + timedelta(days=1)).get_json()["count"] == 0
    csv_after = _feed(client, ".csv", on=last_day + timedelta(days=1)).text
    assert case.reference not in csv_after and "reference,subject_kind" in csv_after

    refused = client.get("/api/v1/special-measures?on=31/12/2027")
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == [
        {"field": "on", "message": "Give the day as YYYY-MM-DD.", "citation": ""}
    ]


def test_liaisons_and_viewers_cannot_change_a_case(client):
    case = make_measure(stop_at="consultation")
    log_in(client, make_user(Role.LIAISON, agency="State"))
    assert client.get(f"/special-measures/cases/{case.id}").status_code == 403
    viewer = client.application.test_client()
    log_in(viewer, make_user(Role.VIEWER))
    assert viewer.get(f"/special-measures/cases/{case.id}").status_code == 200
    assert (
        viewer.post(f"/special-measures/cases/{case.id}/close", data={"reasons": "x"}).status_code
        == 403
    )
    assert db.session.get(SpecialMeasureCase, case.id).closed_reason is None


def test_the_issue_step_says_what_issuance_sets_going(client):
    case = make_measure(stop_at="approved")
    _analyst_client(client)
    page = client.get(f"/special-measures/cases/{case.id}").text
    assert "the earliest compliance date (180 days, §7.307(a)(6))" in page
    assert "(365-day period, §7.307(a)(5)), which goes on the deadline board" in page
    assert "A job then screens every provider's active foreign resellers" in page


def test_once_issued_a_liaison_sees_the_position_is_final_and_cannot_change_it(client):
    case = make_measure()
    (state,) = [c for c in consultations.for_subject(services.CASE, case.id) if c.agency == "State"]
    log_in(client, make_user(Role.LIAISON, agency="State"))

    page = client.get(f"/consultations/{state.id}").text
    assert 'data-testid="position-final"' in page
    assert f"The determination {case.reference} was issued on {case.issued_on}" in page
    assert "Record position" not in page
    refused = client.post(
        f"/consultations/{state.id}/position",
        data={"position": "do not concur", "comments": "Reconsidered."},
        follow_redirects=True,
    )
    assert refused.request.path == f"/consultations/{state.id}"
    assert "can no longer change (§7.307(c))" in refused.text
    assert db.session.get(Consultation, state.id).position == "concur"


def test_the_publication_is_kept_with_the_note_on_when_a_measure_takes_effect(client):
    case = make_measure()
    _analyst_client(client)
    early = client.post(
        f"/special-measures/cases/{case.id}/publication",
        data={
            "federal_register_citation": "91 FR 70001",
            "published_on": (office_today() - timedelta(days=1)).isoformat(),
        },
    )
    assert early.status_code == 422
    assert 'id="published_on-error"' in early.text

    page = client.post(
        f"/special-measures/cases/{case.id}/publication",
        data={"federal_register_citation": "91 FR 70001", "published_on": office_today()},
        follow_redirects=True,
    )
    assert f"91 FR 70001, published {office_today()}" in page.text
    # The rule text and the preamble disagree; the system says which it follows, and why.
    assert "The rule text governs; the publication date is kept on each determination." in page.text
    assert _feed(client).get_json()["measures"][0]["federal_register"] == "91 FR 70001"


def test_the_extension_and_revocation_pages_of_a_measure_not_yet_issued_say_why_not(client):
    case = make_measure(stop_at="approved")
    log_in(client, make_user(Role.ANALYST))
    for step in ("extension", "revocation"):
        response = client.get(f"/special-measures/cases/{case.id}/{step}")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/special-measures/cases/{case.id}")
        page = client.get(response.headers["Location"]).text
        assert "only a measure in effect can change" in page
