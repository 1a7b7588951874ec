"""The deadline board pages in SQL, in its order of urgency (overdue, due within 14 days, later;
by due date), its filters kept across pages and its downloads the whole filtered set; the
dashboard counts by urgency and module in SQL what the board counts (both databases)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import rules, services
from core.deadlines.rules import Urgency
from tests.factories import log_in, make_provider, make_user

PER_PAGE = 25


@pytest.fixture
def office(app):
    """Sixty open deadlines due from five days ago to 25 days ahead (each day twice or so, so
    that equal due dates are ordered too), across intake and casework; every other one mine;
    and one met, which no list counts."""
    mine, theirs = make_user(Role.ANALYST), make_user(Role.ANALYST)
    provider = make_provider("Harborview Cloud LLC")
    today = clocks.office_today()
    opened = []
    for number in range(60):
        ahead = (number * 7) % 31 - 5
        # A copy of the CIP is due in 10 days (intake), a petition in 30 (casework).
        clock, days = (
            ("cip.copy_on_request", 10) if ahead <= 9 and number % 3 else ("penalty.petition", 30)
        )
        deadline = services.open_deadline(
            clock, subject=("provider", provider.id), subject_label=f"Subject {number:02}",
            start_on=today + timedelta(days=ahead - days), actor=None,
            assignee=mine if number % 2 else theirs,
        )  # fmt: skip
        opened.append(deadline)
    met = services.open_deadline(
        "cip.copy_on_request", subject=("provider", provider.id), subject_label="Met already",
        start_on=today - timedelta(days=20), actor=None, assignee=mine,
    )  # fmt: skip
    services.meet_deadline(met, met_on=today, actor=None)
    db.session.commit()
    return mine, theirs, opened, today


def _by_urgency(deadlines, today):
    return [
        d.id
        for d in sorted(
            deadlines, key=lambda d: (rules.urgency(d.due_on, today).rank, d.due_on, d.id)
        )
    ]


def _page(client, path="/deadlines/", **args):
    response = client.get(path, query_string=args)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    ids = [
        int(row.select("td")[1].a["href"].rstrip("/").rsplit("/", 1)[1])
        for row in soup.select('table[data-testid="deadlines"] tr[data-testid="deadline-row"]')
    ]
    count = soup.select_one('[data-testid="list-count"]')
    return ids, count.get_text(strip=True) if count else "", soup


def test_the_board_pages_in_its_order_of_urgency_and_counts_every_open_deadline(client, office):
    mine, _, opened, today = office
    log_in(client, mine)
    expected = _by_urgency(opened, today)
    shown = []
    for number in (1, 2, 3):
        ids, count, soup = _page(client, per_page=PER_PAGE, page=number)
        shown += ids
        first = (number - 1) * PER_PAGE + 1
        assert count == f"{first}–{first + len(ids) - 1} of 60 open deadlines"
    assert shown == expected
    ranks = [
        rules.urgency(d.due_on, today).rank for d in sorted(opened, key=lambda d: shown.index(d.id))
    ]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}
    # Nothing is sorted in the page: the headers are the server's, and say its order.
    assert not soup.select('table[data-testid="deadlines"] th[data-sortable]')
    assert soup.select_one('th[data-sort-key="due"]')["aria-sort"] == "ascending"


def test_mine_survives_paging_and_the_download_is_the_whole_filtered_set(client, office):
    mine, _, opened, today = office
    log_in(client, mine)
    my_ids = _by_urgency([d for d in opened if d.assignee_id == mine.id], today)
    assert len(my_ids) > PER_PAGE

    first, count, soup = _page(client, assignee="me", per_page=PER_PAGE)
    assert count == f"1–{PER_PAGE} of {len(my_ids)} open deadlines"
    following = parse_qs(urlsplit(soup.select_one("a.usa-pagination__next-page")["href"]).query)
    assert following["assignee"] == ["me"] and following["page"] == ["2"]
    second, _, _ = _page(client, **{name: values[0] for name, values in following.items()})
    assert first + second == my_ids

    text = client.get("/deadlines/deadlines.csv", query_string={"assignee": "me"}).data
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    subjects = {d.id: d.subject_label for d in opened}
    assert [row["Subject"] for row in rows] == [subjects[i] for i in my_ids]
    assert services.board(services.BoardFilter(assignee_id=mine.id), today) == [
        row for row in services.board(services.BoardFilter(), today) if row.deadline.id in my_ids
    ]


def test_a_header_sorts_the_whole_board_across_pages(client, office):
    mine, _, opened, _ = office
    log_in(client, mine)
    args = {"sort": "subject", "dir": "desc", "per_page": PER_PAGE}
    shown = []
    for number in (1, 2, 3):
        ids, _, soup = _page(client, **args, page=number)
        shown += ids
    assert shown == [d.id for d in sorted(opened, key=lambda d: d.subject_label, reverse=True)]
    assert soup.select_one('th[data-sort-key="subject"]')["aria-sort"] == "descending"
    # The download follows the page's order.
    text = client.get("/deadlines/deadlines.csv", query_string=args).data.decode("utf-8-sig")
    labels = [row["Subject"] for row in csv.DictReader(io.StringIO(text))]
    assert labels == sorted((d.subject_label for d in opened), reverse=True)


def test_the_dashboard_counts_in_sql_what_the_board_counts(client, office):
    mine, _, _, today = office
    board = services.board(services.BoardFilter(), today)
    by_urgency = Counter(row.urgency for row in board)
    assert set(by_urgency) == set(Urgency)
    counted = services.open_counts(today)
    for module in clocks.MODULES:
        assert counted[module] == Counter(
            row.urgency for row in board if row.deadline.module == module
        ), module
    assert sum(counted.values(), Counter()) == by_urgency

    log_in(client, mine)
    page = client.get("/").text
    soup = BeautifulSoup(page, "html.parser")
    for urgency in Urgency:
        shown = soup.select_one(f'[data-testid="count-{urgency.name.lower()}"]').get_text()
        assert int(shown) == by_urgency[urgency], urgency
    bars = {
        row.th.get_text(strip=True): [int(td.get_text()) for td in row.select("td")[:3]]
        for row in soup.select("table.app-bars tbody tr")
    }
    assert bars["Intake"] == [counted["intake"][u] for u in Urgency]
    assert bars["Casework"] == [counted["casework"][u] for u in Urgency]
    assert f"All open deadlines ({len(board)})" in page

    def listed(caption):
        table = soup.find("caption", string=caption).find_parent("table")
        return [
            int(row.select("td")[1].a["href"].rsplit("/", 1)[1])
            for row in table.select("tbody tr[data-testid='deadline-row']")
        ]

    assert (
        listed("Deadlines assigned to you")
        == [row.deadline.id for row in board if row.deadline.assignee_id == mine.id][:8]
    )
    assert (
        listed("Overdue and due-soon deadlines")
        == [row.deadline.id for row in board if row.urgency is not Urgency.LATER][:8]
    )
