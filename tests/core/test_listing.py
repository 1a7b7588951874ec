"""Lists paged and sorted by the server: one page of rows, the count of all, headers whose
aria-sort tells the order the server chose, and links that keep the filters."""

import re

import pytest
from flask import Flask

from core.audit.services import record_event
from core.db import db
from core.listing import Listing, SortColumn, page_of_rows
from tests.factories import log_in_admin, make_admin


@pytest.fixture
def admin_client(app, client):
    log_in_admin(client, make_admin())
    with app.app_context():
        for number in range(1, 121):
            record_event(
                "casework.test_step",
                actor=None,
                actor_label=f"analyst {number:03d}",
                subject=("assessment", number),
            )
        db.session.commit()
    return client


def _rows(page: str) -> list[str]:
    return re.findall(r"<td>(analyst \d{3})</td>", page)


def test_a_list_shows_one_page_and_counts_every_row(admin_client):
    page = admin_client.get("/admin/audit/?action=casework.test_step").text
    assert len(_rows(page)) == 50
    assert "1–50 of 120 events" in page
    assert _rows(page)[0] == "analyst 120"  # newest first
    assert 'aria-sort="descending" data-sort-key="seq"' in page


def test_a_header_link_sorts_on_the_server_and_keeps_the_filters(admin_client):
    first = admin_client.get("/admin/audit/?action=casework.test_step").text
    link = re.search(r'data-sort-key="who">\s*<a class="app-sort-link" href="([^"]+)"', first)
    href = link.group(1).replace("&amp;", "&")
    assert "action=casework.test_step" in href and "sort=who" in href and "dir=asc" in href
    sorted_page = admin_client.get(href).text
    assert _rows(sorted_page)[:3] == ["analyst 001", "analyst 002", "analyst 003"]
    assert 'aria-sort="ascending" data-sort-key="who"' in sorted_page
    assert 'aria-sort="descending" data-sort-key="seq"' not in sorted_page


def test_the_page_size_and_page_links_move_through_the_list(admin_client):
    page = admin_client.get(
        "/admin/audit/?action=casework.test_step&sort=who&dir=asc&per_page=25&page=5"
    ).text
    assert _rows(page) == [f"analyst {n:03d}" for n in range(101, 121)]
    assert "101–120 of 120 events" in page
    assert 'aria-current="page"' in page and ">5</a>" in page
    previous = re.search(r'usa-pagination__previous-page" href="([^"]+)"', page).group(1)
    assert "page=4" in previous and "per_page=25" in previous and "sort=who" in previous


def test_links_leave_out_the_filters_a_person_left_blank(admin_client):
    page = admin_client.get(
        "/admin/audit/?action=casework.test_step&actor=&outcome=+&per_page=25"
    ).text
    hrefs = [
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(/admin/audit/[^"]*)"', page)
        if "page=" in href or "sort=" in href
    ]
    assert hrefs, "the list offers page and sort links"
    for href in hrefs:
        assert "action=casework.test_step" in href and "per_page=25" in href
        assert "actor=" not in href and "outcome=" not in href
    download = re.search(r'href="(/admin/audit/[^"]*csv[^"]*)"', page).group(1)
    assert "action=casework.test_step" in download and "actor=" not in download


@pytest.mark.parametrize("query", ["_method=x", "_anchor=top", "_scheme=ftp", "_external=1"])
def test_an_address_naming_url_fors_own_arguments_is_still_a_list(admin_client, query):
    response = admin_client.get(f"/admin/audit/?action=casework.test_step&{query}")
    assert response.status_code == 200 and "1–50 of 120 events" in response.text
    assert query.split("=")[0] not in response.text.split("<main")[1]


@pytest.mark.parametrize(
    "query", ["sort=password_hash", "sort=who&dir=sideways", "per_page=100000", "page=-3"]
)
def test_an_order_or_size_nobody_offers_falls_back_to_the_lists_own(admin_client, query):
    response = admin_client.get(f"/admin/audit/?action=casework.test_step&{query}")
    assert response.status_code == 200
    assert len(_rows(response.text)) == 50


ROWS = Listing(
    "scores",
    columns=(
        SortColumn("name", "Name", lambda row: row["name"]),
        SortColumn("score", "Score", lambda row: row["score"], descending_first=True),
    ),
    default_sort="score",
    default_descending=True,
    page_sizes=(2, 4),
    default_page_size=2,
)


@pytest.mark.parametrize(
    ("query", "names", "pages"),
    [
        ("", ["Cirrus", "Altus"], 3),
        ("sort=score&dir=asc", ["Borealis", "Dunmore"], 3),
        ("sort=name", ["Altus", "Borealis"], 3),
        ("sort=name&page=3", ["Eyrie"], 3),
        ("sort=score&per_page=4&page=2", ["Eyrie"], 2),  # no score sorts last
    ],
)
def test_rows_in_memory_page_and_sort_alike(query, names, pages):
    rows = [
        {"name": "Altus", "score": 70},
        {"name": "Borealis", "score": 10},
        {"name": "Cirrus", "score": 90},
        {"name": "Dunmore", "score": 40},
        {"name": "Eyrie", "score": None},
    ]
    with Flask(__name__).test_request_context(f"/?{query}"):
        page = page_of_rows(ROWS, rows)
    assert [row["name"] for row in page.items] == names
    assert page.total == 5 and page.pages == pages


def test_page_links_leave_out_the_pages_far_from_this_one():
    with Flask(__name__).test_request_context("/?per_page=2&page=10"):
        page = page_of_rows(ROWS, [{"name": str(n), "score": n} for n in range(40)])
    assert list(page.page_numbers()) == [1, None, 8, 9, 10, 11, 12, None, 20]
