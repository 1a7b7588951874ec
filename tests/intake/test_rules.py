"""What a filing must contain and how it is judged (no database)."""

import copy
from datetime import date

import pytest

from core import clocks
from intake import kinds, rules
from intake.examples import payload
from intake.kinds import FilingKind
from intake.rules import FilingFacts


def _errors(kind, data):
    return {problem.path: problem for problem in rules.check_filing(kind, data).errors}


@pytest.mark.parametrize(
    "kind", [spec.kind.value for spec in kinds.KINDS.values() if not spec.by_upload]
)
def test_a_complete_filing_of_every_kind_has_no_errors(kind):
    assert rules.check_filing(kind, payload(kind)).errors == []


def test_values_are_normalised_for_the_record():
    cleaned = rules.check_filing("cip_certification", payload("cip_certification")).cleaned
    assert cleaned["primary_contact_phone"] == "+12065550142"
    # The local part of an address is kept as given (RFC 5321 §2.4).
    assert cleaned["primary_contact_email"] == "AMoreno@northwind.example"


def test_every_missing_element_is_named_with_its_paragraph():
    errors = _errors("cip_certification", {})
    assert errors["verification_tools"].citation == "§7.304(a)(1)(i)"
    assert errors["primary_contact_phone"].citation == "§7.304(a)(1)(vi)"
    assert errors["employee_count"].citation == "§7.304(a)(2)(ii)"
    assert errors["attest_cip_meets_7302"].citation == "§7.304(a)(3)"


def test_wrong_types_and_unknown_fields_are_errors_at_their_path():
    errors = _errors(
        "cip_certification",
        payload("cip_certification", employee_count="many", surprise="x", customer_count=True),
    )
    assert errors["employee_count"].message == "must be a whole number, e.g. 1250"
    assert errors["customer_count"].message == "must be a whole number, e.g. 1250"
    assert errors["surprise"].message == "is not a field of this form"


def test_an_attestation_must_be_given():
    errors = _errors("cip_certification", payload("cip_certification", attest_cip_meets_7302=False))
    assert "must be attested" in errors["attest_cip_meets_7302"].message


def test_rows_of_the_unverified_accounts_table_are_checked_field_by_field():
    accounts = payload("cip_certification")["unverified_accounts"]
    accounts[0]["provisioned_on"] = "2026-02-30"
    del accounts[0]["reestablishment_prevention"]
    errors = _errors(
        "cip_certification", payload("cip_certification", unverified_accounts=accounts)
    )
    assert errors["unverified_accounts[0].provisioned_on"].citation == "§7.304(a)(2)(ix)(A)"
    assert errors["unverified_accounts[0].reestablishment_prevention"].citation == (
        "§7.304(a)(2)(ix)(E)"
    )


def test_the_count_of_unverified_accounts_must_match_the_details_given():
    errors = _errors("cip_certification", payload("cip_certification", unverified_account_count=3))
    assert "lists 1 account(s) but the count says 3" in errors["unverified_accounts"].message


def test_a_deprovision_date_before_provisioning_is_refused():
    accounts = payload("cip_certification")["unverified_accounts"]
    accounts[0]["deprovision_on"] = "2026-01-01"
    errors = _errors(
        "cip_certification", payload("cip_certification", unverified_accounts=accounts)
    )
    assert errors["unverified_accounts[0].deprovision_on"].citation == "§7.304(a)(2)(ix)(D)"


def test_reseller_jurisdictions_are_iso_3166_codes():
    resellers = [{"name": "Atlantis Cloud", "jurisdiction": "XX"}]
    errors = _errors("cip_certification", payload("cip_certification", foreign_resellers=resellers))
    assert "ISO 3166-1" in errors["foreign_resellers[0].jurisdiction"].message


def test_a_change_of_contact_needs_the_new_contact():
    data = payload("irregular_update", new_contact_email=None)
    assert "new_contact_email" in _errors("irregular_update", data)
    reseller_change = payload("irregular_update", change_type="reseller_primary_contact")
    assert "reseller_name" in _errors("irregular_update", reseller_change)


def test_an_unknown_kind_is_named():
    with pytest.raises(kinds.UnknownKind, match="known kinds: cip_certification"):
        rules.check_filing("tax_return", {})


PREVIOUS = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("received_on", "verdict"),
    [
        (date(2027, 1, 13), clocks.Timeliness.TOO_EARLY),  # the day before the window opens
        (date(2027, 1, 14), clocks.Timeliness.ON_TIME),  # 60 days before the anniversary
        (date(2027, 3, 15), clocks.Timeliness.ON_TIME),
        (date(2027, 3, 16), clocks.Timeliness.LATE),
    ],
)
def test_annual_certifications_are_judged_against_the_window(received_on, verdict):
    facts = FilingFacts(received_on, PREVIOUS, None)
    assert rules.timeliness(FilingKind.ANNUAL_CERTIFICATION, facts) is verdict


def test_early_and_late_certifications_are_flagged_with_the_dates():
    early = rules.warnings(
        FilingKind.ANNUAL_CERTIFICATION, FilingFacts(date(2026, 12, 1), PREVIOUS, None)
    )
    assert "window opened on 2027-01-14" in early[0].message
    late = rules.warnings(
        FilingKind.ANNUAL_CERTIFICATION, FilingFacts(date(2027, 4, 1), PREVIOUS, None)
    )
    assert "due by 2027-03-15" in late[0].message
    assert late[0].citation == "§7.304(b)"


def test_a_late_training_report_is_flagged_by_its_own_clock_alone():
    # A provider with a certification on record: its report is late by §7.308(c)(1) only.
    facts = FilingFacts(date(2027, 4, 1), PREVIOUS, None, report_clock_start_on=date(2027, 2, 1))
    flags = rules.warnings(FilingKind.AI_INITIAL_REPORT, facts)
    assert [flag.citation for flag in flags] == ["§7.308(c)(1)"]


def test_a_new_provider_that_served_foreign_customers_first_is_flagged():
    facts = FilingFacts(date(2026, 11, 20), None, date(2026, 6, 1))
    flags = rules.warnings(FilingKind.NEW_PROVIDER_CERTIFICATION, facts)
    assert flags[0].citation == "§7.304(d)"
    assert "2026-06-01" in flags[0].message
    on_time = FilingFacts(date(2026, 11, 20), None, date(2026, 12, 1))
    assert rules.warnings(FilingKind.NEW_PROVIDER_CERTIFICATION, on_time) == []


def test_the_diff_names_each_changed_field_including_table_cells():
    before = payload("cip_certification")
    after = payload("cip_certification", employee_count=450)
    after["unverified_accounts"][0]["deprovision_on"] = "2027-01-14"
    changes = {change.path: (change.before, change.after) for change in rules.diff(before, after)}
    assert changes == {
        "employee_count": (420, 450),
        "unverified_accounts[0].deprovision_on": ("2026-12-14", "2027-01-14"),
    }


def test_a_reseller_a_certification_lists_must_be_foreign():
    listed = [{"name": "Rheinland Cloud GmbH", "jurisdiction": "DE"},
              {"name": "Isla Hosting LLC", "jurisdiction": "PR"}]  # fmt: skip
    errors = _errors("cip_certification", payload("cip_certification", foreign_resellers=listed))
    assert list(errors) == ["foreign_resellers[1].jurisdiction"]
    assert "PR is under U.S. jurisdiction" in errors["foreign_resellers[1].jurisdiction"].message


def test_resellers_a_certifications_list_leaves_out_are_flagged_by_name():
    facts = FilingFacts(
        received_on=date(2026, 3, 15),
        previous_certification_on=None,
        first_foreign_account_on=None,
        resellers_not_listed=tuple(f"Reseller {number} GmbH (DE)" for number in range(7)),
    )
    [flag] = rules.warnings(FilingKind.CIP_CERTIFICATION, facts)
    assert (flag.path, flag.citation) == ("foreign_resellers", "§7.304(a)(2)(viii)")
    assert flag.message.startswith(
        "7 active foreign reseller(s) on record are not in the list (Reseller 0 GmbH (DE), "
    )
    assert "Reseller 4 GmbH (DE) and 2 more)" in flag.message


def test_a_report_keeps_each_ip_address_in_one_form_without_the_check_rewriting_its_input():
    report = payload("ai_initial_report")
    report["ip_accesses"][0]["ip_address"] = "2001:DB8:0:0::10"
    checked = rules.validate(kinds.kind_spec("ai_initial_report").fields, report).cleaned
    as_checked = copy.deepcopy(checked)

    assert rules._ai_report_problems(checked) == []
    assert checked == as_checked  # the check is pure: it only reads what it is given

    cleaned = rules.check_filing("ai_initial_report", report).cleaned
    assert cleaned["ip_accesses"][0]["ip_address"] == "2001:db8::10"
