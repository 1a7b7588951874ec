"""Email addresses and telephone numbers, checked the same way wherever they arrive: a form, a
JSON filing or a compiled reseller file (no database, no network)."""

import pytest

from core.schema import (
    Field,
    Kind,
    check_email,
    check_phone,
    email_key,
    phone_key,
    phone_shown,
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
