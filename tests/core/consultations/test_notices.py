"""The consulted agencies' liaisons hear of a consultation opened for their agency and of its
response-by date near or passed, once each; the analyst who asked hears each position arrive
(§7.306(e)(2), §7.307(c)). Mail goes to a real SMTP server in the test process."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clocks
from core.auth.rules import Role
from core.consultations import reminders, services
from core.consultations.rules import Position, Purpose
from core.db import db
from tests.factories import commit_and_deliver, make_user, notices_of, run_daily
from tests.mailcatcher import html_of, text_of

SUBJECT = ("exemption_request", 7)
LABEL = "Exemption request of Northwind Cloud Services, Inc."
SUMMARY = "Northwind asks to be exempted from §§7.302, 7.304 and 7.305 under §7.306."


def _consult(analyst, *, respond_in_days: int = 30):
    today = clocks.office_today()
    created = services.request_consultations(
        Purpose.EXEMPTION, SUBJECT, label=LABEL, summary=SUMMARY, requested_on=today,
        respond_by=today + timedelta(days=respond_in_days), actor=analyst,
    )  # fmt: skip
    commit_and_deliver()
    return {c.agency: c for c in created}


@pytest.fixture
def people(mail_app):
    return {
        "analyst": make_user(Role.ANALYST),
        "dhs": make_user(Role.LIAISON, agency="DHS"),
        "dhs_2": make_user(Role.LIAISON, agency="DHS"),
        "dod": make_user(Role.LIAISON, agency="DoD"),
        "state": make_user(Role.LIAISON, agency="State"),  # not consulted
        "gone": _inactive(make_user(Role.LIAISON, agency="DHS")),
    }


def _inactive(user):
    user.active = False
    db.session.commit()
    return user


def test_each_consulted_agency_s_liaisons_get_one_email_and_an_inbox_item(people, smtp_server):
    consultations = _consult(people["analyst"])

    dhs = consultations["DHS"]
    for liaison in (people["dhs"], people["dhs_2"]):
        [notice] = notices_of(liaison, "consultation_requested")
        assert notice.link == f"/consultations/{dhs.id}"
        assert LABEL in notice.title  # the inbox may name the subject
        [message] = smtp_server.to(liaison.email)
        assert " ".join(message["Subject"].split()) == (
            f"Consultation {dhs.id} requested of DHS: position due by {dhs.respond_by}"
        )
        text = text_of(message)
        assert "15 CFR §7.306(e)(2)" in text
        assert f"/consultations/{dhs.id}" in text and f"/consultations/{dhs.id}" in html_of(message)
        for body in (text, html_of(message), message["Subject"]):
            assert "Northwind" not in body  # neither the subject nor the summary leaves
    [dod_notice] = notices_of(people["dod"], "consultation_requested")
    assert dod_notice.link == f"/consultations/{consultations['DoD'].id}"
    assert smtp_server.to(people["state"].email) == []  # another agency hears nothing
    assert smtp_server.to(people["gone"].email) == []
    assert notices_of(people["gone"], "consultation_requested") == []
    assert smtp_server.to(people["analyst"].email) == []


def test_a_position_due_within_three_days_then_overdue_is_told_once_each(people, smtp_server):
    consultations = _consult(people["analyst"], respond_in_days=3)
    services.record_position(
        consultations["DoD"], position=Position.CONCUR, comments="", actor=people["dod"]
    )
    commit_and_deliver()

    job = run_daily(reminders.DAILY_REMINDER)
    assert job.outcome.startswith("3 positions due by")  # DOJ, DHS and DNI
    remind_twice()
    [due] = notices_of(people["dhs"], "position_due_soon")
    assert due.once_key == f"consultation-due-soon:{consultations['DHS'].id}"
    assert notices_of(people["dod"], "position_due_soon") == []  # DoD has answered
    subjects = [" ".join(m["Subject"].split()) for m in smtp_server.to(people["dhs"].email)]
    assert (
        subjects.count(
            f"Consultation {consultations['DHS'].id}: the position of DHS is due by "
            f"{consultations['DHS'].respond_by}"
        )
        == 1
    )

    today = clocks.office_today()
    for consultation in consultations.values():  # as if the date had passed
        consultation.requested_on = today - timedelta(days=30)
        consultation.respond_by = today - timedelta(days=1)
    commit_and_deliver()
    remind_twice()

    [late] = notices_of(people["dhs"], "position_overdue")
    assert "overdue" in late.title
    assert notices_of(people["dod"], "position_overdue") == []
    assert len(notices_of(people["dhs"], "position_due_soon")) == 1
    assert len([m for m in smtp_server.to(people["dhs"].email) if "was due" in m["Subject"]]) == 1
    assert notices_of(people["gone"], "position_overdue") == []


def remind_twice() -> None:
    """The reminder as a second scheduler, or a retry, would ask for it: it tells nobody twice."""
    for _ in range(2):
        reminders.remind_agencies(clocks.office_today())
        commit_and_deliver()


def test_the_analyst_who_asked_hears_the_position_arrive_but_not_of_their_own(people, smtp_server):
    analyst = people["analyst"]
    consultations = _consult(analyst)

    services.record_position(
        consultations["DHS"], position=Position.DO_NOT_CONCUR,
        comments="Northwind's resellers in RU are not overseen.", actor=people["dhs"],
    )  # fmt: skip
    services.record_position(
        consultations["DoD"], position=Position.CONCUR, comments="", actor=analyst
    )  # received by other means and recorded by the analyst
    commit_and_deliver()

    [notice] = notices_of(analyst, "position_recorded")
    assert notice.link == f"/consultations/{consultations['DHS'].id}"
    assert "DHS recorded its position (do not concur)" in notice.title
    [message] = smtp_server.to(analyst.email)
    assert "DHS has recorded its position" in message["Subject"]
    assert "resellers" not in text_of(message) and "do not concur" not in text_of(message)
