"""The provider registry pages, sorts and filters in SQL: each provider's certification status
is a CASE on its last certification against the day's edges (intake.rules.certification_edges),
the same as certification_status computes for one provider; the second page holds the next
providers in the order asked, the count is of all, and the filters are kept across pages (both
databases)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from core import clocks
from core.auth.rules import Role
from intake import rules
from tests.factories import log_in, make_provider, make_user, receive_filing_on

PER_PAGE = 25
NEVER = rules.CertificationStatus.NEVER_CERTIFIED.value


@pytest.mark.parametrize(
    "today", [date(2026, 12, 3), date(2028, 2, 29), date(2028, 3, 1), date(2027, 2, 28)]
)
def test_the_days_edges_give_every_certification_the_status_certification_status_gives(today):
    edges = rules.certification_edges(today)
    for days_ago in range(-3, 900):
        last = today - timedelta(days=days_ago)
        assert edges.status_of(last) == rules.certification_status(last, today), last
    assert edges.status_of(None) is rules.CertificationStatus.NEVER_CERTIFIED


@pytest.fixture
def registry(app):
    """56 providers, every other one never certified, the rest last certified from today to
    well over a year ago (current, window open and overdue)."""
    today = clocks.office_today()
    providers = []
    for number in range(56):
        provider = make_provider(f"Provider {number:02}")
        last = None
        if number % 2:
            filing = receive_filing_on(provider, "cip_certification", days_ago=(number * 13) % 500)
            last = filing.received_on
        providers.append((provider.id, provider.legal_name, last))
    return today, providers


def _page(client, **args):
    response = client.get("/intake/providers", query_string=args)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    rows = [
        (row.td.a.get_text(strip=True), row.select("td")[1].get_text(strip=True))
        for row in soup.select('table[data-testid="providers"] tbody tr')
        if row.td.a
    ]
    return rows, soup.select_one('[data-testid="list-count"]').get_text(strip=True), soup


def _status(last, today):
    return rules.certification_status(last, today).value if last else NEVER


def test_the_second_page_holds_the_next_providers_by_name_and_the_count_is_of_all(client, registry):
    today, providers = registry
    log_in(client, make_user(Role.ANALYST))
    expected = [(name, _status(last, today)) for _, name, last in providers]
    first, count, _ = _page(client, per_page=PER_PAGE)
    assert first == expected[:PER_PAGE] and count == f"1–{PER_PAGE} of 56 providers"
    second, _, _ = _page(client, per_page=PER_PAGE, page=2)
    assert second == expected[PER_PAGE : 2 * PER_PAGE]
    third, count, _ = _page(client, per_page=PER_PAGE, page=3)
    assert third == expected[2 * PER_PAGE :] and count == "51–56 of 56 providers"


def test_the_status_filter_survives_paging_and_counts_only_its_providers(client, registry):
    _, providers = registry
    log_in(client, make_user(Role.ANALYST))
    never = [name for _, name, last in providers if last is None]
    assert len(never) > PER_PAGE
    first, count, soup = _page(client, status=NEVER, per_page=PER_PAGE)
    assert count == f"1–{PER_PAGE} of {len(never)} providers"
    following = parse_qs(urlsplit(soup.select_one("a.usa-pagination__next-page")["href"]).query)
    assert following["status"] == [NEVER]
    second, _, _ = _page(client, **{name: values[0] for name, values in following.items()})
    assert [name for name, _ in first + second] == never
    assert {status for _, status in first + second} == {NEVER}

    named, count, _ = _page(client, name="provider 1", status=NEVER)
    assert [name for name, _ in named] == [n for n in never if n.startswith("Provider 1")]


def test_sorted_by_status_in_sql_the_pages_follow_the_rule_and_the_header_says_so(client, registry):
    today, providers = registry
    log_in(client, make_user(Role.ANALYST))
    by_status = sorted(
        ((name, _status(last, today)) for _, name, last in providers),
        key=lambda row: (row[1], row[0].lower()),
    )
    assert {status for _, status in by_status} >= {"current", "window open", "overdue", NEVER}
    shown = []
    for number in (1, 2, 3):
        rows, _, soup = _page(client, sort="status", dir="asc", per_page=PER_PAGE, page=number)
        shown += rows
    assert shown == by_status
    assert soup.select_one('th[data-sort-key="status"]')["aria-sort"] == "ascending"


def test_sorted_by_next_due_a_provider_never_certified_comes_last_either_way(client, registry):
    _, providers = registry
    log_in(client, make_user(Role.ANALYST))
    certified = sorted((p for p in providers if p[2]), key=lambda p: (p[2], p[0]))
    never = [p for p in providers if p[2] is None]
    for direction, expected in (
        ("asc", certified + never),
        ("desc", certified[::-1] + never[::-1]),
    ):
        shown = []
        for number in (1, 2, 3):
            rows, _, _ = _page(client, sort="due", dir=direction, per_page=PER_PAGE, page=number)
            shown += [name for name, _ in rows]
        assert shown == [name for _, name, _ in expected], direction
