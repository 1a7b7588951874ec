"""Analysts keying in providers and filings through the web forms."""

import html
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.auth.rules import Role
from core.db import db
from intake import kinds
from intake.examples import payload
from intake.models import ApiToken, Filing, Provider
from tests.factories import (
    log_in,
    log_in_admin,
    make_admin,
    make_provider,
    make_user,
    set_office_settings,
)
from tests.intake.forms import form_fields
from tests.pdftext import pdf_fonts, pdf_pages, searchable

PROVIDER_FORM = {
    "legal_name": "Tidewater Compute, Inc.",
    "business_names": "Tidewater\nTW Cloud",
    "street_address": "77 Waterside Dr",
    "city": "Norfolk",
    "state": "VA",
    "postal_code": "23510",
    "primary_contact_name": "Hannah Price",
    "primary_contact_title": "Compliance Officer",
    "primary_contact_email": "hprice@tidewater.example",
    "primary_contact_phone": "757-555-0108",
    "first_foreign_account_on": "2025-04-01",
}


def test_an_analyst_registers_a_provider(client):
    log_in(client, make_user(Role.ANALYST))
    response = client.post("/intake/providers/new", data=PROVIDER_FORM, follow_redirects=True)
    assert "Tidewater Compute, Inc. registered." in response.text
    provider = db.session.scalars(select(Provider)).one()
    assert provider.business_names == ["Tidewater", "TW Cloud"]
    assert provider.contact_phone == "+17575550108"


def test_registration_errors_are_shown_by_field_and_keep_the_input(client):
    log_in(client, make_user(Role.ANALYST))
    response = client.post(
        "/intake/providers/new",
        data={**PROVIDER_FORM, "state": "ZZ", "primary_contact_phone": "12"},
    )
    assert response.status_code == 200
    assert 'id="state-error"' in response.text
    assert 'id="primary_contact_phone-error"' in response.text
    assert 'value="Tidewater Compute, Inc."' in response.text
    assert db.session.scalars(select(Provider)).all() == []


FORM_KINDS = [spec for spec in kinds.KINDS.values() if not spec.by_upload]
SUMMARY_LINE = re.compile(r"<li>(?:<a href=\"#(?P<anchor>[^\"]+)\">)?(?P<text>.*?)(?:</a>)?</li>")


def _summary(page: str) -> list[tuple[str | None, str]]:
    """The error summary's lines: the input each links to, and its text as a person reads it."""
    block = page.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]
    return [
        (match["anchor"], html.unescape(match["text"]).strip())
        for match in SUMMARY_LINE.finditer(block)
    ]


def _internal_names(fields) -> set[str]:
    """Field names as the old summary spelled them ("attest_cip_meets_7302" → "attest cip
    meets 7302"), leaving out those that are words of a label ("training practices")."""
    specs = [*fields, *(column for spec in fields for column in spec.columns)]
    labels = " | ".join(spec.label.lower() for spec in specs)
    spelled = {spec.name.replace("_", " ") for spec in specs if "_" in spec.name}
    return {name for name in spelled if name not in labels}


@pytest.mark.parametrize("spec", FORM_KINDS, ids=lambda spec: spec.kind.value)
def test_each_filing_forms_error_summary_names_every_field_by_its_label(client, spec):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    response = client.post(f"/intake/providers/{provider.id}/file/{spec.kind.value}", data={})
    assert response.status_code == 422
    lines = _summary(response.text)
    labels = [field.label for field in spec.fields]
    assert lines
    for anchor, text in lines:
        assert "_" not in text, text
        assert not any(name in text.lower() for name in _internal_names(spec.fields)), text
        if anchor is not None:
            assert f'id="{anchor}"' in response.text, anchor
            assert any(text.startswith(f"{label}: ") for label in labels), text
    for field in spec.fields:
        if field.required:
            assert any(text.startswith(f"{field.label}: ") for _, text in lines), field.label


def test_the_summary_names_a_table_cell_by_row_and_a_list_by_line(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    certification = form_fields(payload("cip_certification"))
    del certification["foreign_resellers-1-jurisdiction"]
    page = client.post(
        f"/intake/providers/{provider.id}/file/cip_certification", data=certification
    ).text
    assert (
        "foreign_resellers-1-jurisdiction",
        "All foreign resellers of the provider's IaaS products, row 2: "
        "Reseller's jurisdiction (ISO 3166): is required (§7.304(a)(2)(viii))",
    ) in _summary(page)

    report = form_fields(payload("ai_initial_report"))
    report["emails"] += "\nnot-an-address"
    page = client.post(f"/intake/providers/{provider.id}/file/ai_initial_report", data=report).text
    line = len(payload("ai_initial_report")["emails"]) + 1
    assert (
        "emails",
        f"Email addresses, line {line}: must be an email address, e.g. name@example.com: "
        "An email address must have an @-sign. (§7.308(d)(1)(i)(D))",
    ) in _summary(page)
    assert 'id="emails-error"' in page


@pytest.mark.parametrize("spec", FORM_KINDS, ids=lambda spec: spec.kind.value)
def test_each_filing_forms_button_keeps_the_capitals_of_its_title(client, spec):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/providers/{provider.id}/file/{spec.kind.value}").text
    button = re.search(r'<button type="submit" class="usa-button" name="action" value="file">'
                       r"(.*?)</button>", page)[1]  # fmt: skip
    title = spec.title if spec.title[1:2].isupper() else spec.title[0].lower() + spec.title[1:]
    assert html.unescape(button) == f"File the {title}"
    assert all(word in button for word in spec.title.split() if word.isupper())


def test_the_registration_summary_names_each_field_by_its_label(client):
    log_in(client, make_user(Role.ANALYST))
    page = client.post("/intake/providers/new", data={**PROVIDER_FORM, "legal_name": ""}).text
    assert _summary(page) == [("legal_name", "Legal name: is required (§7.304(a))")]


def test_a_certification_keyed_in_through_the_form_is_filed(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = form_fields(payload("cip_certification"))
    response = client.post(
        f"/intake/providers/{provider.id}/file/cip_certification", data=form, follow_redirects=True
    )
    filing = db.session.scalars(select(Filing)).one()
    assert f"Filed. Receipt {filing.receipt_number}." in response.text
    assert filing.data["unverified_accounts"][0]["customer_reference"] == "ACCT-88213"
    assert filing.data["foreign_resellers"][1]["jurisdiction"] == "JP"
    assert filing.keyed_by_id is not None
    assert "CUI//PRVCY/PROPIN" in response.text


def test_a_form_with_errors_files_nothing_and_points_at_each_field(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = form_fields(payload("cip_certification", employee_count="lots"))
    form["unverified_accounts-0-deprovision_on"] = "2026-02-31"
    del form["attest_cip_meets_7302"]
    response = client.post(f"/intake/providers/{provider.id}/file/cip_certification", data=form)
    assert response.status_code == 422
    assert 'id="employee_count-error"' in response.text
    assert 'id="unverified_accounts-0-deprovision_on-error"' in response.text
    assert "§7.304(a)(3)" in response.text
    assert 'value="lots"' in response.text
    assert db.session.scalars(select(Filing)).all() == []


def test_a_contact_with_an_extension_is_kept_and_shown_in_international_format(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = form_fields(payload("cip_certification", primary_contact_phone="(206) 555-0142 x3",
                               primary_contact_email="AMoreno@Northwind.example"))  # fmt: skip
    filed = client.post(
        f"/intake/providers/{provider.id}/file/cip_certification", data=form, follow_redirects=True
    )
    assert filed.status_code == 200
    db.session.refresh(provider)
    assert provider.contact_phone == "+12065550142;ext=3"
    assert provider.contact_email == "AMoreno@northwind.example"
    assert "+1 206-555-0142 ext. 3" in filed.text
    contact = client.get(f"/intake/providers/{provider.id}").text
    assert "AMoreno@northwind.example · +1 206-555-0142 ext. 3" in contact


def test_an_address_mail_would_refuse_is_refused_at_its_field_and_kept(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = form_fields(payload("cip_certification", primary_contact_email="a..b@c.com",
                               primary_contact_phone="+1 000 000 0000"))  # fmt: skip
    response = client.post(f"/intake/providers/{provider.id}/file/cip_certification", data=form)
    assert response.status_code == 422
    assert 'id="primary_contact_email-error"' in response.text
    assert "cannot have two periods in a row" in response.text
    assert 'id="primary_contact_phone-error"' in response.text
    assert "not a telephone number in use" in response.text
    assert 'value="a..b@c.com"' in response.text
    assert db.session.scalars(select(Filing)).all() == []


def test_a_number_kept_before_numbers_were_checked_this_way_still_displays(client):
    provider = make_provider(contact_phone="+4402079460958")
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/providers/{provider.id}").text
    assert "+44 20 7946 0958" in page


def test_add_a_row_keeps_what_was_typed_and_adds_an_empty_row(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = form_fields(payload("cip_certification"))
    form["action"] = "add-row:unverified_accounts"
    response = client.post(f"/intake/providers/{provider.id}/file/cip_certification", data=form)
    assert 'id="unverified_accounts-1-customer_reference"' in response.text
    assert "ACCT-88213" in response.text
    assert db.session.scalars(select(Filing)).all() == []


def test_a_correction_shows_the_chain_and_the_changed_fields(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    url = f"/intake/providers/{provider.id}/file/cip_certification"
    client.post(url, data=form_fields(payload("cip_certification")))
    original = db.session.scalars(select(Filing)).one()
    corrected_form = form_fields(payload("cip_certification", employee_count=450))
    corrected_form["supersedes"] = original.receipt_number
    page = client.post(url, data=corrected_form, follow_redirects=True).text
    assert "Changes from " + original.receipt_number in page
    changed = "<td>Employees in IaaS provision and related services</td><td>420</td><td>450</td>"
    assert changed in page
    assert "employee_count" not in page
    assert "(this one)" in page


def test_the_registry_shows_who_is_missing(client):
    certified = make_provider("Certified Cloud, Inc.")
    make_provider("Never Certified Hosting LLC")
    log_in(client, make_user(Role.ANALYST))
    client.post(
        f"/intake/providers/{certified.id}/file/cip_certification",
        data=form_fields(payload("cip_certification")),
    )
    never = client.get("/intake/providers?status=never+certified").text
    assert "Never Certified Hosting LLC" in never
    assert "Certified Cloud, Inc." not in never
    current = client.get("/intake/providers?status=current").text
    assert "Certified Cloud, Inc." in current
    csv_text = client.get("/intake/providers.csv").data.decode("utf-8-sig")
    assert "Never Certified Hosting LLC,never certified" in csv_text


def test_a_viewer_cannot_key_in_filings(client):
    provider = make_provider()
    log_in(client, make_user(Role.VIEWER))
    assert client.get(f"/intake/providers/{provider.id}/file/cip_certification").status_code == 403


def test_the_acknowledgement_pdf_reads_back_with_receipt_hash_and_verdict(client):
    provider = make_provider("Lakeshore Servers, Inc.")
    log_in(client, make_user(Role.ANALYST))
    client.post(
        f"/intake/providers/{provider.id}/file/cip_certification",
        data=form_fields(payload("cip_certification")),
    )
    filing = db.session.scalars(select(Filing)).one()
    response = client.get(f"/intake/filings/{filing.receipt_number}/receipt.pdf")
    assert response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    text = "\n".join(pages)
    assert filing.receipt_number in text
    assert "Lakeshore Servers, Inc." in text
    assert filing.payload_sha256 in text
    assert "CIP certification form (§7.304(a))" in text
    assert "not judged (not an annual certification)" in text
    assert pages[0].strip().startswith("CUI//PRVCY/PROPIN")
    assert "Controlled by:" in pages[0]


def test_the_receipt_prints_a_foreign_name_as_written_and_names_its_point_of_contact(client):
    set_office_settings()
    provider = make_provider("Işık Bulut Hizmetleri A.Ş.")  # noqa: RUF001 (Turkish dotless i)
    log_in(client, make_user(Role.ANALYST))
    client.post(
        f"/intake/providers/{provider.id}/file/cip_certification",
        data=form_fields(payload("cip_certification")),
    )
    filing = db.session.scalars(select(Filing)).one()
    receipt = client.get(f"/intake/filings/{filing.receipt_number}/receipt.pdf").data
    first = searchable(pdf_pages(receipt)[0])
    assert "Provider Işık Bulut Hizmetleri A.Ş." in first  # noqa: RUF001
    assert "POC: Thomas Keller, OICTS CUI Program, (202) 555-0147, cui@oicts.example" in first
    assert all(font["embedded"] == "yes" for font in pdf_fonts(receipt))


def test_an_administrator_issues_a_token_that_is_shown_once_and_revokes_it(client):
    provider = make_provider("Summit Stack Technologies, Inc.")
    log_in_admin(client, make_admin())
    issued = client.post("/intake/api-tokens", data={"provider": provider.id, "label": "SST filer"})
    assert issued.status_code == 201
    token = issued.text.split('data-testid="new-token">')[1].split("<")[0]
    assert token.startswith("oicts_")
    listing = client.get("/intake/api-tokens").text
    assert token not in listing
    assert f"…{token[-4:]}" in listing
    stored = db.session.scalars(select(ApiToken)).one()
    assert token not in stored.token_hash
    client.post(f"/intake/api-tokens/{stored.id}/revoke")
    assert "revoked" in client.get("/intake/api-tokens").text


def test_a_token_needs_a_provider_and_a_name(client):
    log_in_admin(client, make_admin())
    response = client.post("/intake/api-tokens", data={"provider": "", "label": ""})
    assert response.status_code == 422
    assert "Choose the provider the token is for." in response.text
    assert db.session.scalars(select(ApiToken)).all() == []


def test_the_registry_exports_to_excel_with_formulas_neutralised(client):
    make_provider("=cmd|' /C calc'!A0 Cloud")
    log_in(client, make_user(Role.ANALYST))
    response = client.get("/intake/providers.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    rows = list(workbook["Providers"].iter_rows(values_only=True))
    assert rows[0][:2] == ("Legal name", "Certification status")
    assert rows[1][0] == "'=cmd|' /C calc'!A0 Cloud"
    assert rows[1][1] == "never certified"
