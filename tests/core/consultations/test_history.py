"""A liaison's past consultations: their agency's whose decision is made, read-only, with the
positions recorded, paged; the lists of consultations page too (§7.306(e)(2), §7.307(c))."""

import contextlib
from collections.abc import Iterator
from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from core import signals
from core.auth.rules import Role
from core.consultations import services
from core.consultations.rules import Position, Purpose
from core.db import db
from tests.factories import log_in, make_user

DECIDED = "exemption_request"


def _consult(number: int, *, decided: bool):
    analyst = make_user(Role.ANALYST)
    created = services.request_consultations(
        Purpose.EXEMPTION,
        (DECIDED if decided else "open_request", number),
        label=f"Exemption request {number} of Northwind Cloud Services, Inc.",
        summary="Northwind asks to be exempted under §7.306.",
        requested_on=date(2027, 1, number % 28 + 1),
        respond_by=date(2027, 2, 3),
        actor=analyst,
    )
    for consultation in created:
        services.record_position(
            consultation, position=Position.CONCUR_WITH_CONDITIONS,
            comments=f"{consultation.agency}: only with quarterly reports.", actor=analyst,
        )  # fmt: skip
    db.session.commit()
    return {c.agency: c for c in created}


@contextlib.contextmanager
def _decisions_made(app: Flask) -> Iterator[None]:
    """The owning module says every ``exemption_request`` consulted on is decided."""

    def lock(_app: Flask, *, subject_type: str, subject_id: str) -> str | None:
        return f"Request {subject_id} was decided." if subject_type == DECIDED else None

    with signals.position_lock_asked.connected_to(lock, sender=app):
        yield


@pytest.fixture
def consulted(app):
    made = {"past": _consult(1, decided=True), "open": _consult(2, decided=False)}
    with _decisions_made(app):
        yield made


def _listed(page) -> list[str]:
    soup = BeautifulSoup(page.text, "html.parser")
    return [row.td.a.get_text() for row in soup.select("tbody tr") if row.td.a]


def test_a_liaison_sees_their_agencys_past_consultations_with_the_positions(client, consulted):
    log_in(client, make_user(Role.LIAISON, agency="DoD"))
    page = client.get("/consultations/past")
    assert page.status_code == 200
    past = consulted["past"]["DoD"]
    assert _listed(page) == ["Exemption request 1 of Northwind Cloud Services, Inc."]
    row = BeautifulSoup(page.text, "html.parser").select_one(f"[data-testid=past-{past.id}]")
    assert "concur with conditions" in row.get_text()
    assert "DoD: only with quarterly reports." in row.get_text()
    assert "DOJ:" not in page.text
    # Read-only: its page says why and offers no form.
    detail = client.get(f"/consultations/{past.id}")
    assert "Request 1 was decided." in detail.text
    assert "Change the recorded position" not in detail.text
    # Another agency's past consultation is not found.
    assert client.get(f"/consultations/{consulted['past']['DOJ'].id}").status_code == 404


def test_the_open_list_and_the_past_list_do_not_overlap(client, consulted):
    log_in(client, make_user(Role.LIAISON, agency="DHS"))
    open_list = client.get("/consultations/")
    assert _listed(open_list) == ["Exemption request 2 of Northwind Cloud Services, Inc."]
    assert 'href="/consultations/past"' in open_list.text
    assert _listed(client.get("/consultations/past")) == [
        "Exemption request 1 of Northwind Cloud Services, Inc."
    ]


def test_staff_see_every_agencys_past_consultations(client, consulted):
    log_in(client, make_user(Role.VIEWER))
    page = client.get("/consultations/past", query_string={"sort": "agency"})
    agencies = [row.find_all("td")[1].get_text().split()[0]
                for row in BeautifulSoup(page.text, "html.parser").select("tbody tr")]  # fmt: skip
    assert sorted(agencies) == ["DHS", "DNI", "DOJ", "DoD"]
    assert len(_listed(client.get("/consultations/"))) == 8


def test_the_past_list_pages_and_sorts_on_the_server(app, client):
    for number in range(1, 28):
        _consult(number, decided=True)
    with _decisions_made(app):
        log_in(client, make_user(Role.LIAISON, agency="DNI"))
        first = client.get("/consultations/past", query_string={"per_page": "25"})
        assert "1–25 of 27 past consultations" in first.text
        second = client.get("/consultations/past", query_string={"per_page": "25", "page": "2"})
        assert len(_listed(second)) == 2
        oldest = client.get("/consultations/past", query_string={"sort": "requested", "dir": "asc"})
        assert _listed(oldest)[0] == "Exemption request 1 of Northwind Cloud Services, Inc."
        assert 'aria-sort="ascending"' in oldest.text


def test_the_list_of_every_consultation_pages_for_staff(app, client):
    for number in range(1, 7):
        _consult(number, decided=False)
    log_in(client, make_user(Role.ANALYST))
    page = client.get("/consultations/", query_string={"per_page": "25", "sort": "agency"})
    assert "1–24 of 24 consultations" in page.text
    assert 'aria-sort="ascending"' in page.text


def test_the_consultations_awaiting_a_position_come_first_for_staff_and_liaisons(app, client):
    analyst = make_user(Role.ANALYST)
    answered = _consult(3, decided=False)
    awaiting = services.request_consultations(
        Purpose.EXEMPTION, ("open_request", 9),
        label="Exemption request 9 of Harbor Compute LLC",
        summary="Harbor asks to be exempted under §7.306.",
        requested_on=date(2027, 1, 20), respond_by=date(2027, 3, 1), actor=analyst,
    )  # fmt: skip
    db.session.commit()
    later = [c.respond_by > a.respond_by for c in awaiting for a in answered.values()]
    assert awaiting and all(later)
    for person in (analyst, make_user(Role.LIAISON, agency="DNI")):
        log_in(client, person)
        listed = _listed(client.get("/consultations/"))
        assert listed[0] == "Exemption request 9 of Harbor Compute LLC"  # later, but unanswered
        assert listed[-1] == "Exemption request 3 of Northwind Cloud Services, Inc."
        assert "those still awaiting a position first" in client.get("/consultations/").text
        client.post("/logout")
