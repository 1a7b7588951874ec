"""Checking a compiled foreign-reseller certification row by row (no database)."""

import io
import zipfile
from datetime import date, timedelta

import pytest

from core import clocks
from core.errors import IllegalTransition
from core.schema import check_email, check_phone, column_letter
from intake import rules
from intake.resellers import rules as reseller_rules
from intake.resellers.rules import RESELLER_EXAMPLE, RESELLER_HEADER, ImportStatus

HEADER = list(RESELLER_HEADER)


def row(**changes):
    """One reseller row as text cells, in the template's column order."""
    values = {**RESELLER_EXAMPLE, **changes}
    return [values[name] for name in RESELLER_HEADER]


def problems_by_cell(check):
    return {(problem.row, problem.column): problem for problem in check.problems}


def test_a_good_row_is_cleaned_for_the_record():
    check = reseller_rules.check_reseller_file(
        [HEADER, row(jurisdiction="de", contact_email="K.Vogel@Rheinland-Cloud.example")]
    )
    assert check.ok
    assert check.rows_total == 1
    cleaned = check.rows[0]
    assert cleaned["row"] == 2
    assert cleaned["jurisdiction"] == "DE"
    assert cleaned["contact_phone"] == "+493055501234"
    assert cleaned["contact_email"] == "K.Vogel@rheinland-cloud.example"
    assert cleaned["relationship_began_on"] == date(2024, 2, 1)
    assert cleaned["relationship_ended_on"] is None
    assert cleaned["customer_count"] == 1250
    assert cleaned["attest_cip_meets_7302"] is True


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        ("contact_email", "a@b..com", check_email),
        ("contact_email", "a@-b.com", check_email),
        ("contact_email", "a..b@c.com", check_email),
        ("contact_email", "a@b.com;", check_email),
        ("contact_phone", "+999 1234567", check_phone),
        ("contact_phone", "+1 000 000 0000", check_phone),
    ],
)
def test_a_file_refuses_what_a_form_refuses_in_the_same_words(column, value, check):
    [problem] = reseller_rules.check_reseller_file([HEADER, row(**{column: value})]).problems
    assert (problem.row, problem.column, problem.value) == (2, column, value)
    assert problem.message == check(value)[1]


def test_a_reseller_contacts_extension_is_kept():
    check = reseller_rules.check_reseller_file(
        [HEADER, row(contact_phone="+49 30 5550 1234 ext. 55")]
    )
    assert check.rows[0]["contact_phone"] == "+493055501234;ext=55"


def test_each_problem_names_its_row_column_value_and_paragraph():
    bad = row(
        jurisdiction="XX",
        relationship_began_on="2024-02-30",
        contact_phone="12",
        customer_count="many",
        attest_cip_meets_7302="no",
    )
    check = reseller_rules.check_reseller_file(
        [HEADER, row(), bad, row(reseller_name="Other GmbH")]
    )
    found = problems_by_cell(check)
    assert set(found) == {
        (3, "jurisdiction"),
        (3, "relationship_began_on"),
        (3, "contact_phone"),
        (3, "customer_count"),
        (3, "attest_cip_meets_7302"),
    }
    assert found[3, "jurisdiction"].value == "XX"
    assert "ISO 3166-1" in found[3, "jurisdiction"].message
    assert found[3, "jurisdiction"].citation == "§7.304(f), §7.304(a)(2)(viii)"
    assert (
        found[3, "relationship_began_on"].message == "is not a real date: 2024-02-30 does not exist"
    )
    assert found[3, "contact_phone"].citation == "§7.304(f), §7.304(a)(1)(vi)"
    assert found[3, "customer_count"].citation == "§7.304(f), §7.304(a)(2)(vi)"
    assert "must be attested" in found[3, "attest_cip_meets_7302"].message
    assert found[3, "attest_cip_meets_7302"].citation == "§7.304(f), §7.304(a)(3)"
    assert check.problem_count == 5


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    empty = [""] * len(HEADER)
    table = [
        HEADER,
        row(reseller_name="First GmbH"),
        empty,
        row(reseller_name="Third GmbH"),
        empty,
        row(reseller_name="Sixth GmbH", contact_email="not-an-email"),
    ]
    check = reseller_rules.check_reseller_file(table)
    assert [problem.row for problem in check.problems] == [6]
    assert check.problems[0].column == "contact_email"
    assert [cleaned["row"] for cleaned in check.rows] == [2, 4, 6]
    assert check.rows_total == 3


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"contact_email": ""}, "contact_email", "is required: Reseller's Primary Contact: email"),
        ({"reseller_name": "  "}, "reseller_name", "is required: Foreign reseller's name"),
        ({"relationship_began_on": "01/02/2024"}, "relationship_began_on", "YYYY-MM-DD"),
        ({"unverified_account_count": "-3"}, "unverified_account_count", "must not be negative"),
        ({"attest_cip_meets_7302": "maybe"}, "attest_cip_meets_7302", "must be yes or no"),
        ({"jurisdiction": "UK"}, "jurisdiction", "UK is not an ISO 3166-1 code; use GB"),
        ({"jurisdiction": "US"}, "jurisdiction", "a foreign reseller is a foreign person"),
        ({"jurisdiction": "PR"}, "jurisdiction", "under U.S. jurisdiction"),
        ({"reseller_name": "R" * 201}, "reseller_name", "at most 200 characters (it has 201)"),
        ({"customer_count": "9" * 400}, "customer_count", "must be at most 2,147,483,647"),
        ({"customer_count": "2,147,483,648"}, "customer_count", "must be at most 2,147,483,647"),
        ({"reseller_name": "Neva\x1b Cloud"}, "reseller_name", "(it has U+001B at character 5)"),
    ],
)
def test_a_bad_cell_is_reported_with_the_reason(changes, column, message):
    check = reseller_rules.check_reseller_file([HEADER, row(**changes)])
    assert not check.ok
    [problem] = check.problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message


def test_a_relationship_cannot_end_before_it_began():
    check = reseller_rules.check_reseller_file(
        [HEADER, row(relationship_began_on="2024-05-01", relationship_ended_on="2024-04-30")]
    )
    [problem] = check.problems
    assert problem.column == "relationship_ended_on"
    assert problem.message == "must not be before relationship_began_on (2024-05-01)"
    assert problem.citation == "§7.304(f), §7.303(e)"
    ended_same_day = row(relationship_began_on="2024-05-01", relationship_ended_on="2024-05-01")
    assert reseller_rules.check_reseller_file([HEADER, ended_same_day]).ok


def test_the_same_reseller_twice_reports_both_rows():
    table = [
        HEADER,
        row(reseller_name="Sakura Hosting KK", jurisdiction="JP"),
        row(reseller_name="Rheinland Cloud GmbH", jurisdiction="DE"),
        row(reseller_name="SAKURA  hosting kk", jurisdiction="jp"),
        # The same name in another jurisdiction is another reseller.
        row(reseller_name="Sakura Hosting KK", jurisdiction="SG"),
    ]
    check = reseller_rules.check_reseller_file(table)
    assert [(problem.row, problem.column) for problem in check.problems] == [
        (2, "reseller_name"),
        (4, "reseller_name"),
    ]
    assert all("rows 2, 4" in problem.message for problem in check.problems)


def test_a_file_without_the_required_columns_is_rejected_whole_naming_them():
    header = [name for name in HEADER if name not in ("jurisdiction", "contact_email")]
    body = [cell for name, cell in zip(HEADER, row(), strict=True) if name in header]
    check = reseller_rules.check_reseller_file([header, body])
    [problem] = check.problems
    assert problem.row == 1
    assert "missing the column(s) jurisdiction, contact_email" in problem.message
    assert problem.citation == "§7.304(f)"
    assert check.rows == []


def test_unknown_repeated_and_unnamed_columns_are_named_with_their_letters():
    header = [*HEADER, "notes", "contact_email", ""]
    check = reseller_rules.check_reseller_file(
        [header, [*row(), "call back", "x@y.example", "stray"]]
    )
    messages = [problem.message for problem in check.problems]
    assert "unknown column notes (column N); use only the template's columns" in messages
    assert "column contact_email appears twice (columns G and O)" in messages
    assert "column P has values but no name in row 1" in messages


def test_header_spelling_is_forgiving_and_empty_columns_at_the_right_are_ignored():
    header = [name.replace("_", " ").title() for name in HEADER] + ["", ""]
    header[0] = "\ufeffReseller Name"
    check = reseller_rules.check_reseller_file([header, [*row(), "", ""]])
    assert check.ok, check.problems


def test_the_optional_end_date_column_may_be_left_out():
    keep = [index for index, name in enumerate(HEADER) if name != "relationship_ended_on"]
    check = reseller_rules.check_reseller_file(
        [[HEADER[index] for index in keep], [row()[index] for index in keep]]
    )
    assert check.ok
    assert check.rows[0]["relationship_ended_on"] is None


def test_what_spreadsheets_write_is_understood():
    check = reseller_rules.check_reseller_file(
        [
            HEADER,
            row(
                relationship_began_on="2024-02-01 00:00:00",
                customer_count="1250.0",
                unverified_account_count="1,204",
                attest_cip_meets_7302="TRUE",
                # How core.exports neutralises a leading "+" for spreadsheets.
                contact_phone="'+49 30 5550 1234",
            ),
        ]
    )
    assert check.ok, check.problems
    cleaned = check.rows[0]
    assert cleaned["relationship_began_on"] == date(2024, 2, 1)
    assert (cleaned["customer_count"], cleaned["unverified_account_count"]) == (1250, 1204)
    assert cleaned["contact_phone"] == "+493055501234"


def test_an_empty_file_or_one_without_rows_is_rejected():
    assert reseller_rules.check_reseller_file([]).problems[0].message.startswith("row 1 must name")
    [problem] = reseller_rules.check_reseller_file([HEADER, [""] * len(HEADER)]).problems
    assert problem.message == "the file has no reseller rows below the header"


def test_progress_is_reported_as_rows_are_checked():
    seen = []
    table = [HEADER] + [row(reseller_name=f"Reseller {number}") for number in range(7)]
    reseller_rules.check_reseller_file(table, progress=seen.append, progress_every=3)
    assert seen == [3, 6, 7]


def test_column_letters_go_past_z():
    assert [column_letter(index) for index in (0, 12, 25, 26, 27, 701)] == [
        "A",
        "M",
        "Z",
        "AA",
        "AB",
        "ZZ",
    ]


def _xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("resellers.csv", b"reseller_name,jurisdiction\r\nA,DE\r\n", "csv"),
        ("RESELLERS.CSV", "\ufeffreseller_name\r\nMünchen Cloud\r\n".encode(), "csv"),
        ("resellers.xlsx", _xlsx_bytes(), "xlsx"),
        ("resellers.csv", _xlsx_bytes(), None),
        ("resellers.xlsx", b"reseller_name,jurisdiction\r\n", None),
        ("resellers.csv", b"%PDF-1.7 ...", None),
        ("resellers.csv", "name\r\nMünchen\r\n".encode("latin-1"), None),
        ("resellers.txt", b"reseller_name\r\n", None),
        ("resellers.xls", b"\xd0\xcf\x11\xe0", None),
    ],
)
def test_the_file_type_comes_from_the_bytes_as_well_as_the_name(filename, content, expected):
    names = frozenset()
    if content.startswith(b"PK"):
        names = frozenset(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert reseller_rules.reseller_file_format(filename, content, names) == expected


PREVIOUS = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("received_on", "verdict"),
    [
        (date(2027, 1, 13), clocks.Timeliness.TOO_EARLY),
        (date(2027, 1, 14), clocks.Timeliness.ON_TIME),
        (date(2027, 3, 15), clocks.Timeliness.ON_TIME),
        (date(2027, 3, 16), clocks.Timeliness.LATE),
    ],
)
def test_a_compiled_certification_is_judged_against_the_previous_one(received_on, verdict):
    assert reseller_rules.reseller_certification_timeliness(PREVIOUS, received_on) is verdict


def test_timeliness_is_flagged_never_refused():
    assert reseller_rules.reseller_certification_timeliness(None, date(2027, 1, 1)) is None
    assert reseller_rules.reseller_certification_warnings(None, date(2027, 1, 1)) == []
    [late] = reseller_rules.reseller_certification_warnings(PREVIOUS, date(2027, 4, 1))
    assert late.message == "late: the compiled foreign-reseller certification was due by 2027-03-15"
    assert late.citation == "§7.304(f)"
    [early] = reseller_rules.reseller_certification_warnings(PREVIOUS, date(2026, 12, 1))
    assert "before the window opened on 2027-01-14" in early.message


def test_resellers_on_record_left_out_of_the_file_are_flagged():
    left_out = [f"Reseller {number} (DE)" for number in range(7)]
    [flag] = reseller_rules.reseller_certification_warnings(
        None, date(2027, 1, 1), left_out=left_out
    )
    assert flag.message.startswith("7 active foreign reseller(s) on record are not in the file")
    assert "Reseller 4 (DE) and 2 more" in flag.message


def test_a_reseller_is_ended_once_its_end_date_has_passed():
    today = date(2026, 11, 23)
    assert reseller_rules.reseller_status(None, today) == "active"
    assert reseller_rules.reseller_status(today, today) == "ended"
    assert reseller_rules.reseller_status(today + timedelta(days=1), today) == "active"


def test_an_import_moves_only_forward():
    assert (
        reseller_rules.next_import_status("queued", ImportStatus.CHECKING) is ImportStatus.CHECKING
    )
    assert (
        reseller_rules.next_import_status("checking", ImportStatus.IMPORTED)
        is ImportStatus.IMPORTED
    )
    with pytest.raises(IllegalTransition):
        reseller_rules.next_import_status("rejected", ImportStatus.IMPORTED)
    with pytest.raises(IllegalTransition):
        reseller_rules.next_import_status("queued", ImportStatus.IMPORTED)


def test_a_compiled_certification_cannot_be_keyed_in_field_by_field():
    [problem] = rules.check_filing("reseller_certification", {}).errors
    assert problem.path == "kind"
    assert "uploading the compiled file" in problem.message
