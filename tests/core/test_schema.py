"""Email addresses and telephone numbers, checked the same way wherever they arrive: a form, a
JSON filing or a compiled reseller file (no database, no network)."""

from datetime import date

import pytest

from core.schema import (
    Field,
    Kind,
    check_email,
    check_phone,
    email_key,
    phone_key,
    phone_shown,
    read_cell,
    validate,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("AMoreno@northwind.example", "AMoreno@northwind.example"),
        ("  k.vogel@Rheinland-Cloud.example ", "k.vogel@rheinland-cloud.example"),
        ("ops+ai@kestrel-analytics.example", "ops+ai@kestrel-analytics.example"),
    ],
)
def test_an_email_keeps_its_local_part_as_given(typed, kept):
    assert check_email(typed) == (kept, None)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("a@b..com", "two periods in a row"),
        ("a@-b.com", "hyphen immediately after the @-sign"),
        ("a..b@c.com", "two periods in a row"),
        ("a@b.com;", "invalid characters: ';'"),
        ("not-an-email", "must have an @-sign"),
        ("a@b", "not valid"),
    ],
)
def test_an_address_mail_systems_would_refuse_is_refused_with_the_reason(typed, reason):
    kept, problem = check_email(typed)
    assert kept is None
    assert problem.startswith("must be an email address")
    assert reason in problem


def test_addresses_are_compared_whatever_their_case():
    assert email_key("AMoreno@Northwind.example") == email_key("amoreno@northwind.example")


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [
        ("(206) 555-0142", "+12065550142", "+1 206-555-0142"),
        ("+1 206 555 0142", "+12065550142", "+1 206-555-0142"),
        ("+44 (0) 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("0049 30 5550 1234", "+493055501234", "+49 30 55501234"),
        ("+65 6555 0142", "+6565550142", "+65 6555 0142"),
        ("+1 202 555 0100 ext. 123", "+12025550100;ext=123", "+1 202-555-0100 ext. 123"),
        ("+1 (202) 555-0100 x12", "+12025550100;ext=12", "+1 202-555-0100 ext. 12"),
        # Each country writes extensions its own way.
        ("+44 20 7946 0958 ext 4", "+442079460958;ext=4", "+44 20 7946 0958 x4"),
    ],
)
def test_a_telephone_number_is_kept_in_e164_with_its_extension_and_shown_internationally(
    typed, kept, shown
):
    assert check_phone(typed) == (kept, None)
    assert phone_shown(kept) == shown
    # What is kept reads back as itself: a correction pre-filled with it is accepted unchanged.
    assert check_phone(kept) == (kept, None)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("+999 1234567", "with its country code"),
        ("+1 000 000 0000", "not a telephone number in use"),
        ("12", "with its country code"),
        ("call +1 202 555 0100", "with its country code"),
        ("+1 202 555 0100 please", "with its country code"),
        ("+" + "1" * 80, "with its country code"),
    ],
)
def test_a_number_no_numbering_plan_allows_is_refused(typed, reason):
    kept, problem = check_phone(typed)
    assert kept is None
    assert reason in problem


def test_numbers_kept_before_these_checks_still_display():
    # The earlier check kept the trunk "0" of "+44 (0) 20 …" and never formatted numbers.
    assert phone_shown("+4402079460958") == "+44 20 7946 0958"
    assert phone_shown("+17035550100") == "+1 703-555-0100"
    assert phone_shown("ask the switchboard") == "ask the switchboard"


def test_one_line_is_one_line_whatever_the_extension():
    assert phone_key("+12025550100;ext=123") == phone_key("+12025550100") == "+12025550100"


CONTACT = (
    Field("email", "Email", Kind.EMAIL, "§7.304(a)(1)(vi)"),
    Field("phone", "Telephone", Kind.PHONE, "§7.304(a)(1)(vi)"),
    Field("phones", "Telephones", Kind.TEXT_LIST, "§7.308(d)(1)(i)(D)", item_kind=Kind.PHONE),
)


def test_json_fields_of_each_kind_use_the_same_checks():
    result = validate(
        CONTACT,
        {"email": "a..b@c.com", "phone": "+1 000 000 0000", "phones": ["+65 6555 0142 ext 7"]},
    )
    problems = {problem.path: problem.message for problem in result.errors}
    assert problems == {
        "email": check_email("a..b@c.com")[1],
        "phone": check_phone("+1 000 000 0000")[1],
    }
    assert result.cleaned["phones"] == ["+6565550142;ext=7"]


CELL_AND_JSON = [
    # (kind, JSON value, the same as a spreadsheet cell, the one message both get)
    (Kind.INTEGER, "twelve", "twelve", "must be a whole number, e.g. 1250"),
    (Kind.INTEGER, -5, "-5", "must not be negative"),
    (Kind.INTEGER, 2**40, "1,099,511,627,776", "must be at most 2,147,483,647"),
    (Kind.INTEGER, 10**5000, "9" * 5000, "must be at most 2,147,483,647"),
    (Kind.DATE, "2024-02-30", "2024-02-30", "is not a real date: 2024-02-30 does not exist"),
    (Kind.DATE, "1 Feb 2024", "1 Feb 2024", "must be a date written YYYY-MM-DD, e.g. 2024-02-01"),
    (Kind.COUNTRY, "UK", "UK", "UK is not an ISO 3166-1 code; use GB"),
    (Kind.EMAIL, "a@b..com", "a@b..com", check_email("a@b..com")[1]),
    (Kind.ATTESTATION, False, "no", "must be attested for the filing to be complete"),
]


@pytest.mark.parametrize(
    ("kind", "value", "cell", "message"),
    CELL_AND_JSON,
    ids=[f"{row[0].value}-{n}" for n, row in enumerate(CELL_AND_JSON)],
)
def test_a_field_has_one_check_and_one_message_whether_sent_as_json_or_in_a_spreadsheet(
    kind, value, cell, message
):
    spec = Field("field", "Field", kind, "§7.304(f)")
    assert validate((spec,), {"field": value}).errors[0].message == message
    assert read_cell(spec, cell) == (None, message)


def test_a_cell_is_read_as_its_kind_takes_it():
    def read(kind, text):
        return read_cell(Field("field", "Field", kind, ""), text)

    assert read(Kind.INTEGER, "1,250") == (1250, None)
    assert read(Kind.INTEGER, "40.0") == (40, None)
    assert read(Kind.DATE, "2024-02-01 00:00:00") == (date(2024, 2, 1), None)
    assert read(Kind.ATTESTATION, "Yes") == (True, None)
    assert read(Kind.COUNTRY, "de") == ("DE", None)
