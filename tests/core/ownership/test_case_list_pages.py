"""Every case list pages, sorts and counts in SQL (core.listing.page_of): with more cases than
one page, the second page holds the next cases in the order asked, the count is of all, and the
owner filter is kept by the page and sort links (docs/architecture.md §13, §16; both
databases)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from casework import services as casework
from casework.oversight import services as oversight_services
from casework.oversight.rules import EvidenceKind
from casework.penalties import services as penalties
from casework.rules import AssessmentOrigin
from core import clocks
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.ownership import registry
from core.ownership import services as ownership
from intake.models import ForeignReseller
from special_measures import services as measures
from special_measures.rules import ReferralSource, SubjectKind
from tests.factories import file_exemption_request, log_in, make_provider, make_user, violations_of

CASES = 30
PER_PAGE = 25


def _assessment(number: int, owner: User) -> tuple[Any, str]:
    case = casework.open_assessment(
        make_provider(f"Provider {number:02}"), origin=AssessmentOrigin.RISK_QUEUE,
        scope="The written CIP.", origin_note="", actor=owner, today=clocks.office_today(),
    )  # fmt: skip
    return case, case.reference


def _penalty(number: int, owner: User) -> tuple[Any, str]:
    case = penalties.draft_penalty(
        make_provider(f"Provider {number:02}"), violations=violations_of("a2"),
        conduct="Never certified.", proposed_amount=1_000 + number, actor=owner,
        today=clocks.office_today(),
    )  # fmt: skip
    return case, case.reference


def _oversight(number: int, owner: User) -> tuple[Any, str]:
    provider = make_provider(f"Provider {number:02}")
    reseller = ForeignReseller(
        provider_id=provider.id, name=f"Reseller {number}", jurisdiction="JP"
    )
    db.session.add(reseller)
    db.session.flush()
    case = oversight_services.open_oversight(
        reseller, evidence_kind=EvidenceKind.NO_CIP, evidence="No written CIP.",
        received_on=clocks.office_today(), reported_to_authorities="", actor=owner,
        today=clocks.office_today(),
    )  # fmt: skip
    return case, f"Oversight {case.id}"


def _exemption(number: int, owner: User) -> tuple[Any, str]:
    # Opened by the provider's filing, owned by nobody until an analyst takes it.
    case = file_exemption_request(make_provider(f"Provider {number:02}"))
    ownership.take(registry.kind("exemption"), case, actor=owner)
    return case, case.filing.receipt_number


def _measure(number: int, owner: User) -> tuple[Any, str]:
    today = clocks.office_today()
    referral = measures.Referral(
        source=ReferralSource.AGENCY, referring_agency="Federal Bureau of Investigation",
        received_on=today, summary="Accounts resold to ransomware operators.",
        subject_kind=SubjectKind.PERSON, jurisdiction="RU", person_name=f"Person {number:02}",
    )  # fmt: skip
    case = measures.open_case(referral, actor=owner, today=today)
    return case, case.reference


@dataclass(frozen=True)
class CaseList:
    path: str
    open_one: Callable[[int, User], tuple[Any, str]]


LISTS = {
    "assessments": CaseList("/casework/assessments", _assessment),
    "penalties": CaseList("/casework/penalties", _penalty),
    "oversight": CaseList("/casework/oversight", _oversight),
    "exemptions": CaseList("/exemptions/requests", _exemption),
    "special measures": CaseList("/special-measures/cases", _measure),
}


@pytest.fixture(params=list(LISTS))
def office(request, app):
    """Thirty cases of one list, oldest first: 26 of them mine, every eighth another
    analyst's."""
    listed = LISTS[request.param]
    mine, theirs = make_user(Role.ANALYST), make_user(Role.ANALYST)
    cases = []
    for number in range(CASES):
        owner = theirs if number % 8 == 0 else mine
        case, label = listed.open_one(number, owner)
        db.session.commit()
        cases.append((case.id, label, owner))
    return listed, mine, theirs, cases


def _page(client, path: str, **args: object) -> tuple[list[str], str, BeautifulSoup]:
    page = client.get(path, query_string=args)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    rows = [row.td.get_text(strip=True) for row in soup.select('tr[data-testid="case-row"]')]
    return rows, soup.select_one('[data-testid="list-count"]').get_text(strip=True), soup


def _next_link(soup: BeautifulSoup) -> dict[str, list[str]]:
    link = soup.select_one("a.usa-pagination__next-page")
    assert link is not None, "no next page"
    return parse_qs(urlsplit(link["href"]).query)


def test_the_second_page_holds_the_next_cases_newest_first_and_the_count_is_of_all(client, office):
    listed, mine, _, cases = office
    log_in(client, mine)
    newest_first = [label for _, label, _ in reversed(cases)]

    first, count, soup = _page(client, listed.path, per_page=PER_PAGE)
    assert first == newest_first[:PER_PAGE]
    assert count.startswith(f"1–{PER_PAGE} of {CASES} ")
    assert _next_link(soup)["page"] == ["2"]
    second, count, _ = _page(client, listed.path, per_page=PER_PAGE, page=2)
    assert second == newest_first[PER_PAGE:]
    assert count.startswith(f"{PER_PAGE + 1}–{CASES} of {CASES} ")


def test_the_owner_filter_survives_paging_and_counts_only_its_cases(client, office):
    listed, mine, theirs, cases = office
    log_in(client, mine)
    my_labels = [label for _, label, owner in reversed(cases) if owner == mine]
    assert len(my_labels) > PER_PAGE

    first, count, soup = _page(client, listed.path, owner="me", per_page=PER_PAGE)
    assert first == my_labels[:PER_PAGE]
    assert count.startswith(f"1–{PER_PAGE} of {len(my_labels)} ")
    following = _next_link(soup)
    assert following["owner"] == ["me"] and following["per_page"] == [str(PER_PAGE)]
    second, _, _ = _page(client, listed.path, **{k: v[0] for k, v in following.items()})
    assert second == my_labels[PER_PAGE:]
    # A sort link keeps the filter too, and goes back to the first page.
    header = soup.select_one('th[data-sort-key="owner"] a')
    assert parse_qs(urlsplit(header["href"]).query)["owner"] == ["me"]

    theirs_only, count, _ = _page(client, listed.path, owner=str(theirs.id))
    assert theirs_only == [label for _, label, owner in reversed(cases) if owner == theirs]
    assert count.startswith(f"1–{len(theirs_only)} of {len(theirs_only)} ")


def test_sorted_by_owner_the_second_page_continues_the_order_and_the_header_says_so(client, office):
    listed, mine, _, cases = office
    log_in(client, mine)
    by_owner = [
        label for _, label, _ in sorted(cases, key=lambda c: (c[2].full_name.lower(), c[0]))
    ]
    args = {"sort": "owner", "dir": "asc", "per_page": PER_PAGE}
    first, _, soup = _page(client, listed.path, **args)
    second, _, _ = _page(client, listed.path, **args, page=2)
    assert first + second == by_owner
    assert soup.select_one('th[data-sort-key="owner"]')["aria-sort"] == "ascending"
    # Only the column sorted by says so.
    assert [th["data-sort-key"] for th in soup.select("th[aria-sort]")] == ["owner"]
