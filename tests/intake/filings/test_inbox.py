"""The filings inbox (/intake/filings): every filing across providers, filtered by each
criterion, sorted and paged on the server, and downloaded exactly as filtered."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core import clocks
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from tests.factories import log_in, make_provider, make_user, receive_filing_on


def _day(days_ago: int) -> str:
    return (clocks.office_today() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def office(app):
    """Seven filings of three providers, each named by what it is: late, early and on-time
    annual certifications (§7.304(b)), a new-provider certification flagged for serving a
    foreign customer first (§7.304(d)), and a training report late by its clock (§7.308(c)(1))."""
    alder = make_provider("Alder Compute, Inc.")
    birch = make_provider("Birch Cloud LLC")
    cedar = make_provider("Cedar Hosting Co.")
    filings = {
        "alder first": receive_filing_on(alder, "cip_certification", days_ago=400, channel="web"),
        "alder late": receive_filing_on(alder, days_ago=10),
        "birch first": receive_filing_on(birch, "cip_certification", days_ago=200),
        "birch early": receive_filing_on(birch, days_ago=150),
        "cedar first": receive_filing_on(
            cedar, "new_provider_certification", days_ago=340, channel="web"
        ),
        "cedar on time": receive_filing_on(cedar, days_ago=5),
        "cedar report": receive_filing_on(
            cedar, "ai_initial_report", days_ago=2, transaction_on=_day(44)
        ),
    }
    return {label: filing.receipt_number for label, filing in filings.items()}


@pytest.fixture
def analyst(client):
    log_in(client, make_user(Role.ANALYST))
    return client


def _receipts(page: str) -> list[str]:
    return re.findall(r'href="/intake/filings/(OICTS-\d{4}-\d{6})"', page)


def _labels(office: dict[str, str], page: str) -> list[str]:
    by_receipt = {receipt: label for label, receipt in office.items()}
    return [by_receipt[receipt] for receipt in _receipts(page)]


NEWEST_FIRST = [
    "cedar report", "cedar on time", "alder late", "birch early", "birch first", "cedar first",
    "alder first",
]  # fmt: skip


def test_every_filing_of_every_provider_newest_first_each_linking_to_its_page(analyst, office):
    page = analyst.get("/intake/filings").text
    assert _labels(office, page) == NEWEST_FIRST
    assert "1–7 of 7 filings" in page
    assert 'aria-sort="descending" data-sort-key="received"' in page
    assert "data-sortable" not in page  # sorted by the server: header links, not the script


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "annual_certification"}, ["cedar on time", "alder late", "birch early"]),
        ({"kind": "ai_initial_report"}, ["cedar report"]),
        ({"provider": "birch"}, ["birch early", "birch first"]),
        ({"provider": "  CEDAR  "}, ["cedar report", "cedar on time", "cedar first"]),
        ({"provider": "%"}, []),  # a character, not a wildcard
        ({"channel": "web"}, ["cedar first", "alder first"]),
        ({"timeliness": "late"}, ["cedar report", "alder late"]),
        ({"timeliness": "too early"}, ["birch early"]),
        ({"timeliness": "on time"}, ["cedar on time"]),
        ({"timeliness": "none"}, ["birch first", "cedar first", "alder first"]),
        ({"warnings": "with"}, ["cedar report", "alder late", "birch early", "cedar first"]),
        ({"warnings": "without"}, ["cedar on time", "birch first", "alder first"]),
        ({"received_from": _day(10)}, ["cedar report", "cedar on time", "alder late"]),
        ({"received_through": _day(150)}, ["birch early", "birch first", "cedar first",
                                           "alder first"]),
        ({"received_from": _day(200), "received_through": _day(10)},
         ["alder late", "birch early", "birch first"]),
        ({"kind": "annual_certification", "warnings": "with", "channel": "api"},
         ["alder late", "birch early"]),
    ],
)  # fmt: skip
def test_each_filter_selects_the_filings_it_names(analyst, office, query, expected):
    response = analyst.get("/intake/filings", query_string=query)
    assert response.status_code == 200
    assert _labels(office, response.text) == expected
    assert "usa-error-message" not in response.text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"kind": "tax_return"}, "kind", "Choose one of the kinds of filing listed."),
        ({"kind": "ai_initial_report;drop"}, "kind", "Choose one of the kinds of filing listed."),
        ({"channel": "fax"}, "channel", "Choose one of the channels listed."),
        ({"timeliness": "whenever"}, "timeliness", "Choose one of the timeliness values listed."),
        ({"warnings": "some"}, "warnings", "Choose with or without warnings."),
        ({"received_from": "last tuesday"}, "received_from", "Enter a date as YYYY-MM-DD"),
        ({"received_from": "2027-02-30"}, "received_from", "Enter a date as YYYY-MM-DD"),
        ({"received_through": "99999-01-01"}, "received_through", "Enter a date as YYYY-MM-DD"),
        ({"received_from": _day(1), "received_through": _day(30)}, "received_through",
         "The end date must not be before the start date."),
        ({"provider": "x" * 201}, "provider", "At most 200 characters."),
        ({"provider": "Alder\x00"}, "provider", "control character"),
    ],
)  # fmt: skip
def test_a_filter_that_is_not_one_is_named_at_its_field_and_the_rest_still_apply(
    analyst, office, query, field, message
):
    response = analyst.get("/intake/filings", query_string={**query, "channel_": ""})
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error">([^<]*)<', response.text)
    assert error and message in error.group(1)
    # The filter that is not one is ignored; every filing still shows.
    assert len(_receipts(response.text)) == 7


def test_a_provider_is_found_by_a_business_name_typed_without_its_accents(analyst, app):
    zurich = make_provider("Zürcher Rechenzentrum AG", business_names=["Lémanique Cloud"])
    other = make_provider("Alder Compute, Inc.")
    mine = receive_filing_on(zurich, days_ago=3)
    receive_filing_on(other, days_ago=4)
    for typed in ("lemanique", "ZURCHER rechen", "Zürcher"):
        page = analyst.get("/intake/filings", query_string={"provider": typed}).text
        assert _receipts(page) == [mine.receipt_number], typed


def test_an_end_date_that_is_not_one_leaves_the_start_date_applied(analyst, office):
    response = analyst.get(
        "/intake/filings", query_string={"received_from": _day(10), "received_through": "99999-1"}
    )
    assert 'id="received_through-error"' in response.text
    assert len(_receipts(response.text)) == 3  # those received from that day on


@pytest.mark.parametrize(
    "query",
    [{"kind": "   "}, {"timeliness": " late "}, {"received_from": f"  {_day(10)} "},
     {"sort": "raw_payload"}, {"dir": "sideways"}, {"page": "-1"}, {"per_page": "10000"}],
)  # fmt: skip
def test_blanks_and_spaces_are_forgiven_and_nothing_breaks_the_page(analyst, office, query):
    response = analyst.get("/intake/filings", query_string=query)
    assert response.status_code == 200
    assert "usa-error-message" not in response.text


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("received", "asc", list(reversed(NEWEST_FIRST))),
        # By name, and within a provider in the order of arrival (the id breaks the tie).
        ("provider", "asc", ["alder first", "alder late", "birch first", "birch early",
                             "cedar first", "cedar on time", "cedar report"]),
        # Latest first: late, on time, early, then those no clock applies to.
        ("timeliness", "desc", ["cedar report", "alder late", "cedar on time", "birch early",
                                "cedar first", "birch first", "alder first"]),
        ("warnings", "desc", ["cedar report", "cedar first", "birch early", "alder late",
                              "cedar on time", "birch first", "alder first"]),
        # By the kind's title: annual, then CIP certification form, training report, new provider.
        ("kind", "asc", ["alder late", "birch early", "cedar on time", "alder first",
                         "birch first", "cedar report", "cedar first"]),
    ],
)  # fmt: skip
def test_a_header_sorts_on_the_server(analyst, office, sort, direction, expected):
    page = analyst.get("/intake/filings", query_string={"sort": sort, "dir": direction}).text
    assert _labels(office, page) == expected
    shown = "descending" if direction == "desc" else "ascending"
    assert f'aria-sort="{shown}" data-sort-key="{sort}"' in page


def _csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _xlsx_rows(response) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


FILTERED = {"timeliness": "late", "sort": "provider", "dir": "asc"}


@pytest.mark.parametrize(("suffix", "read"), [("csv", _csv_rows), ("xlsx", _xlsx_rows)])
def test_a_download_is_exactly_the_filtered_set_in_the_pages_order_and_audited(
    analyst, office, suffix, read
):
    response = analyst.get(f"/intake/filings.{suffix}", query_string=FILTERED)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = read(response)
    assert [row["Receipt number"] for row in rows] == [office["alder late"], office["cedar report"]]
    late = rows[0]
    assert late["Kind"] == "Annual CIP certification" and late["Citation"] == "§7.304(b)"
    assert late["Provider"] == "Alder Compute, Inc." and late["Timeliness"] == "Late"
    assert late["Channel"] == "Filing API" and str(late["Warnings"]) == "1"
    assert "the annual certification was due by" in late["Warning messages"]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.filings")
    ).one()
    assert json.loads(event.after_json) == {
        "rows": 2,
        "format": suffix,
        "filters": {"timeliness": "late"},
    }


@pytest.mark.parametrize(("suffix", "read"), [("csv", _csv_rows), ("xlsx", _xlsx_rows)])
def test_a_download_never_hands_a_spreadsheet_a_formula(analyst, app, suffix, read):
    provider = make_provider('=HYPERLINK("http://evil.example","Open") Hosting')
    receive_filing_on(provider, "cip_certification", days_ago=3)

    [row] = read(analyst.get(f"/intake/filings.{suffix}"))

    assert row["Provider"].startswith("'=HYPERLINK(")


def test_a_download_with_a_filter_that_is_not_one_leaves_that_filter_out(analyst, office):
    rows = _csv_rows(analyst.get("/intake/filings.csv", query_string={"kind": "tax_return"}))
    assert len(rows) == 7
