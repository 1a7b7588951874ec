"""The exemption pages as analysts, reviewers, viewers and liaisons use them (§7.306)."""

import io
import json
import re
from datetime import date

import pytest

from core.auth.rules import Role
from core.clocks import office_today
from core.consultations import services as consultations
from core.consultations.rules import Position
from core.db import db
from exemptions import services
from intake import services as intake
from intake.examples import payload
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    log_in,
    make_provider,
    make_user,
    prepare_finding,
    set_office_settings,
)
from tests.intake.forms import form_fields
from tests.pdftext import pdf_pages, searchable


@pytest.fixture
def analyst(app):
    return make_user(Role.ANALYST)


def test_request_filed_on_the_web_form_opens_a_case_with_a_receipt(client, analyst):
    provider = make_provider("Northwind Cloud Services, Inc.")
    log_in(client, analyst)
    response = client.post(
        f"/intake/providers/{provider.id}/file/exemption_request",
        data=form_fields(payload("exemption_request")),
        follow_redirects=True,
    )
    assert "Filed. Receipt OICTS-" in response.text
    listing = client.get("/exemptions/requests").text
    assert "Northwind Cloud Services, Inc." in listing
    assert "received" in listing
    [case] = services.list_cases()
    filing_page = client.get(f"/intake/filings/{case.filing.receipt_number}").text
    assert f'href="/exemptions/requests/{case.id}"' in filing_page


def test_a_bad_request_form_keeps_what_was_typed(client, analyst):
    provider = make_provider()
    log_in(client, analyst)
    data = payload("exemption_request", scope="foreign_reseller")
    response = client.post(
        f"/intake/providers/{provider.id}/file/exemption_request", data=form_fields(data)
    )
    assert response.status_code == 422
    assert "is required when the request is for a foreign reseller" in response.text
    assert "Risk Committee of the Board of Directors" in response.text
    assert services.list_cases() == []


def test_request_filed_by_the_api_gets_a_receipt_and_a_case(client, app):
    provider = make_provider()
    _, token = intake.issue_token(provider, label="compliance", actor=make_user(Role.ADMIN))
    db.session.commit()
    response = client.post(
        "/api/v1/filings",
        data=json.dumps({"kind": "exemption_request", "payload": payload("exemption_request")}),
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "adp-1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    [case] = services.list_cases()
    assert case.filing.receipt_number == response.json["receipt_number"]
    assert case.filing.channel == "api"


def test_case_page_shows_the_checklist_with_the_cui_banner(client, analyst):
    case = file_exemption_request(rf_category_notice="")
    log_in(client, analyst)
    page = client.get(f"/exemptions/requests/{case.id}").text
    assert "CUI//PROPIN" in page
    assert "32 of 33 elements addressed" in page
    assert "Not addressed: §7.306(b)(1)(iii)(C)" in page
    assert "Risk Committee of the Board of Directors" in page


def test_information_request_with_a_bad_date_is_refused_on_the_field(client, analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    response = client.post(
        f"/exemptions/requests/{case.id}/information",
        data={
            "questions": "Send the committee minutes.",
            "requested_on": "2027-01-10",
            "respond_by": "2027-01-05",
        },
    )
    assert response.status_code == 422
    assert "The response-by date cannot be before the request." in response.text
    assert "Send the committee minutes." in response.text
    assert case.information_requests == []


def test_an_incomplete_finding_names_each_missing_field(client, analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    response = client.post(
        f"/exemptions/requests/{case.id}/finding",
        data={"size_assessment": "satisfied", "size_reasons": "Scaled to its customers."},
    )
    assert response.status_code == 422
    assert "Give the reasons for this assessment (§7.306(e)(3)(ii))." in response.text
    assert "Choose whether to grant or deny the exemption." in response.text
    assert "Scaled to its customers." in response.text


def test_the_submit_button_says_which_agency_has_not_answered(client, analyst):
    case = prepare_finding(
        file_exemption_request(), analyst=analyst, silent=("DoD", "DOJ", "DHS", "DNI")
    )
    db.session.commit()
    log_in(client, analyst)
    response = client.post(f"/exemptions/requests/{case.id}/finding/submit", follow_redirects=True)
    assert "No recorded position yet from DoD, DOJ, DHS, DNI (§7.306(e)(2))." in response.text
    assert case.state == "finding drafted"


def _letter(client, case) -> list[str]:
    log_in(client, make_user(Role.VIEWER))
    response = client.get(f"/exemptions/requests/{case.id}/decision-letter.pdf")
    assert response.status_code == 200
    return [searchable(page) for page in pdf_pages(response.data)]


def test_decision_letter_reads_back(client, analyst):
    set_office_settings()
    reviewer = make_user(Role.REVIEWER)
    case = grant_exemption(
        file_exemption_request(make_provider("Northwind Cloud Services, Inc.")),
        analyst=analyst,
        reviewer=reviewer,
        today=date(2027, 3, 1),
    )
    pages = _letter(client, case)
    text = " ".join(pages)
    assert all(page.startswith("CUI//PROPIN") and page.endswith("CUI//PROPIN") for page in pages)
    assert "CUI Category: Proprietary Business Information" in pages[0]
    assert "POC: Thomas Keller, OICTS CUI Program, (202) 555-0147, cui@oicts.example" in pages[0]
    assert text.index("March 1, 2027") < text.index("Dear ")
    assert "exempts Northwind Cloud Services, Inc. from the requirements of §§7.302, 7.304" in text
    assert "the first by March 1, 2028 (§7.306(f))" in text
    assert "§7.306(e)(3)(iii)" in text
    assert "DoD (concur)" in text
    assert "2027-03-01" not in text and "Generated" not in text and "DRAFT" not in text
    (signed,) = [page for page in pages if "Daniel R. Okonkwo" in page]
    assert "citing the receipt number above. Sincerely, Daniel R. Okonkwo Executive Director" in (
        signed
    )


def test_a_reseller_exemption_letter_finds_the_reseller_complies_and_exempts_only_for_it(
    client, analyst
):
    provider = make_provider("Northwind Cloud Services, Inc.")
    case = file_exemption_request(
        provider, scope="foreign_reseller", reseller_name="Rheinland Cloud GmbH",
        reseller_jurisdiction="DE",
    )  # fmt: skip
    grant_exemption(case, analyst=analyst, reviewer=make_user(Role.REVIEWER))
    text = " ".join(_letter(client, case))
    assert "the foreign reseller Rheinland Cloud GmbH (Germany) complies with security best" in text
    assert (
        "exempts Northwind Cloud Services, Inc. with regard to its foreign reseller Rheinland "
        "Cloud GmbH (Germany) from the requirements of §§7.303 and 7.304" in text
    )
    assert "the program complies" not in text and "7.302" not in text


def test_the_letter_carries_every_condition_an_agency_attached(client, analyst):
    case = prepare_finding(file_exemption_request(), analyst=analyst, silent=("DoD", "DHS"))
    asked = {c.agency: c for c in consultations.for_subject(services.SUBJECT, case.id)}
    conditions = {
        "DoD": "Forensic logs are kept for 18 months.",
        "DHS": "Red Flag incidents are reported to CISA within 72 hours.",
    }
    for agency, text in conditions.items():
        consultations.record_position(
            asked[agency], position=Position.CONCUR_WITH_CONDITIONS, comments=text, actor=analyst
        )
    services.submit_finding(case, actor=analyst)
    services.decide_finding(
        case, approve=True, comments="", actor=make_user(Role.REVIEWER), today=date(2027, 3, 1)
    )
    db.session.commit()
    text = " ".join(_letter(client, case))
    assert "The Department grants the exemption on the conditions below." in text
    listed = text.split("(§7.306(e)(2)) ")[1].split(" Factors evaluated")[0]
    items = re.findall(r"(\d)\. (.+?\((?:DoD|DHS)\))", listed)
    assert sorted(number for number, _ in items) == ["1", "2"]
    assert {item for _, item in items} == {
        f"{text} ({agency})" for agency, text in conditions.items()
    }


def test_liaisons_never_see_exemption_pages_or_filings(client, analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    created = services.consult_agencies(
        case,
        summary="Please consider.",
        requested_on=office_today(),
        respond_by=office_today(),
        optional_agencies=(),
        actor=analyst,
    )
    db.session.commit()
    liaison = make_user(Role.LIAISON, agency="DOJ")
    log_in(client, liaison)
    assert client.get(f"/exemptions/requests/{case.id}").status_code == 403
    assert client.get("/exemptions/requests").status_code == 403
    assert client.get(f"/intake/filings/{case.filing.receipt_number}").status_code == 403
    own = next(c for c in created if c.agency == "DOJ")
    other = next(c for c in created if c.agency == "DoD")
    page = client.get(f"/consultations/{own.id}").text
    assert f"/exemptions/requests/{case.id}" not in page
    assert client.get(f"/consultations/{other.id}").status_code == 404


def test_viewers_read_but_cannot_act(client, analyst):
    case = file_exemption_request()
    log_in(client, make_user(Role.VIEWER))
    assert client.get(f"/exemptions/requests/{case.id}").status_code == 200
    assert client.post(f"/exemptions/requests/{case.id}/start-review").status_code == 403


def test_provider_page_flags_a_missing_certification_unless_exempt(client, analyst):
    reviewer = make_user(Role.REVIEWER)
    provider = make_provider()
    log_in(client, analyst)
    assert "Missing CIP certification" in client.get(f"/intake/providers/{provider.id}").text
    case = grant_exemption(file_exemption_request(provider), analyst=analyst, reviewer=reviewer)
    page = client.get(f"/intake/providers/{provider.id}").text
    assert "Missing CIP certification" not in page
    assert "No CIP certification expected: exempt since" in page
    assert f"/exemptions/requests/{case.id}" in page


def test_the_provider_list_and_its_export_show_an_exempt_provider_as_exempt(client, analyst):
    provider = make_provider("Tern Harbor Compute LLC")
    grant_exemption(file_exemption_request(provider), analyst=analyst, reviewer=make_user(
        Role.REVIEWER))  # fmt: skip
    log_in(client, analyst)
    exempt = client.get("/intake/providers", query_string={"status": "exempt"}).text
    assert "Tern Harbor Compute LLC" in exempt
    never = client.get("/intake/providers", query_string={"status": "never certified"}).text
    assert "Tern Harbor Compute LLC" not in never
    assert "Tern Harbor Compute LLC,exempt," in client.get("/intake/providers.csv").text


def test_positions_recorded_by_an_analyst_count(client, analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    for consultation in services.consult_agencies(
        case,
        summary="Please consider.",
        requested_on=date(2027, 1, 4),
        respond_by=date(2027, 2, 3),
        optional_agencies=("Treasury",),
        actor=analyst,
    ):
        consultations.record_position(
            consultation, position=Position.NO_RESPONSE, comments="", actor=analyst
        )
    db.session.commit()
    assert services.missing_positions(case) == []


def test_attachments_are_kept_with_their_hash_and_bad_files_refused(client, analyst):
    case = file_exemption_request()
    log_in(client, analyst)
    program = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    refused = client.post(
        f"/exemptions/requests/{case.id}/attachments",
        data={"document": (io.BytesIO(b"MZ not a pdf"), "program.pdf"), "description": "ADP"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "Upload the document as a PDF or a Word (.docx) document." in refused.text
    response = client.post(
        f"/exemptions/requests/{case.id}/attachments",
        data={
            "document": (io.BytesIO(program), "written-program.pdf"),
            "description": "The written program as approved",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Document attached." in response.text
    assert "written-program.pdf" in response.text
    [attached] = case.attachments
    download = client.get(f"/exemptions/requests/{case.id}/attachments/{attached.id}")
    assert download.data == program


def test_an_unanswered_information_request_shows_overdue(client, analyst):
    case = file_exemption_request()
    services.start_review(case, actor=analyst)
    services.request_information(
        case,
        questions="Send the minutes.",
        requested_on=date(2026, 1, 5),
        respond_by=date(2026, 1, 20),
        actor=analyst,
    )
    db.session.commit()
    log_in(client, analyst)
    page = client.get(f"/exemptions/requests/{case.id}").text
    assert '2026-01-20 <span class="app-warning">overdue</span>' in page


def test_a_granted_exemption_says_what_it_lifts_and_why_not_7306b(client, analyst):
    case = grant_exemption(
        file_exemption_request(make_provider("Cobalt Cloud LLC")),
        analyst=analyst,
        reviewer=make_user(Role.REVIEWER),
    )
    log_in(client, analyst)

    page = client.get(f"/exemptions/requests/{case.id}").text
    assert "The requirements of §§7.302, 7.304 and 7.305." in page
    assert "This system applies §7.306(e)" in page and "§7.306(b) says such a finding" in page

    refused = client.post(
        f"/intake/providers/{case.provider_id}/requests",
        data={"reseller": "", "requested_on": office_today().isoformat(), "sent_by": "hand"},
    )
    assert refused.status_code == 422
    assert "No copy is owed on request: exempt since" in refused.text
    assert "the exemption lifts §7.305, §7.305(a) with it." in refused.text
    assert not intake.requests_of(case.provider)
