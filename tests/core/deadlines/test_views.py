"""The deadline board as analysts use it: the page, its filters and its downloads."""

import csv
import hashlib
import io
from datetime import timedelta

from itsdangerous import URLSafeSerializer
from sqlalchemy import text

from core import clocks
from core.audit.models import AuditEvent
from core.auth import services as accounts
from core.auth.rules import Role
from core.db import db, utcnow
from core.deadlines import services
from tests.factories import log_in, make_provider, make_user


def _open(clock_key, days_ago, *, label=None, assignee=None):
    provider = make_provider(label) if label else make_provider()
    deadline = services.open_deadline(
        clock_key,
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=clocks.office_today() - timedelta(days=days_ago),
        actor=None,
        assignee=assignee,
    )
    db.session.commit()
    return deadline


def test_the_board_shows_each_deadline_with_its_citation_and_arithmetic(client):
    overdue = _open("cip.copy_on_request", 12, label="Harborview Cloud LLC")
    log_in(client, make_user(Role.ANALYST))
    page = client.get("/deadlines/")
    assert page.status_code == 200
    assert "Harborview Cloud LLC" in page.text
    assert overdue.computation in page.text
    assert "§7.305(a)" in page.text
    assert "2 days overdue" in page.text


def test_filters_narrow_the_board_and_bad_filter_values_do_not_break_it(client):
    _open("cip.copy_on_request", 1, label="Intake Subject Cloud")
    _open("penalty.petition", 1, label="Casework Subject Cloud")
    log_in(client, make_user(Role.ANALYST))
    intake_only = client.get("/deadlines/?module=intake")
    assert "Intake Subject Cloud" in intake_only.text
    assert "Casework Subject Cloud" not in intake_only.text
    nonsense = client.get("/deadlines/?module=nonsense&assignee=abc&clock=%3Cx%3E")
    assert nonsense.status_code == 200
    assert "Not a valid choice" in nonsense.text


def test_the_csv_export_neutralises_formulas_and_is_audited(client):
    _open("cip.copy_on_request", 3, label='=HYPERLINK("http://evil.example")')
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    response = client.get("/deadlines/deadlines.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["Subject"] for row in rows] == ['\'=HYPERLINK("http://evil.example")']
    event = db.session.query(AuditEvent).filter_by(action="export.deadlines").one()
    assert event.actor_id == analyst.id
    assert '"format":"csv"' in event.after_json


def test_the_csv_export_counts_the_days_remaining_as_a_signed_number(client):
    _open("cip.copy_on_request", 12, label="Harborview Cloud LLC")  # due two days ago
    _open("cip.copy_on_request", 0, label="Fresh Request Cloud")  # due in ten days
    log_in(client, make_user(Role.ANALYST))
    text = client.get("/deadlines/deadlines.csv").data.decode("utf-8-sig")
    rows = {row["Subject"]: row for row in csv.DictReader(io.StringIO(text))}
    overdue, later = rows["Harborview Cloud LLC"], rows["Fresh Request Cloud"]
    assert (overdue["Days remaining"], overdue["Time left"]) == ("-2", "2 days overdue")
    assert (later["Days remaining"], later["Time left"]) == ("10", "10 days left")


def test_the_calendar_feed_has_one_all_day_event_per_open_deadline(client):
    deadline = _open("special_measure.congress_notice", 2, label="Tidewater Compute, Inc.")
    log_in(client, make_user(Role.REVIEWER))
    response = client.get("/deadlines/deadlines.ics")
    assert response.mimetype == "text/calendar"
    body = response.data.decode()
    unfolded = body.replace("\r\n ", "")
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert unfolded.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;VALUE=DATE:{deadline.due_on:%Y%m%d}" in unfolded
    assert (
        "SUMMARY:Notice to the congressional committees (§7.307(d)): Tidewater Compute\\, Inc."
        in unfolded
    )
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_an_analyst_records_a_clock_as_met(client):
    deadline = _open("cip.copy_on_request", 2)
    log_in(client, make_user(Role.ANALYST))
    response = client.post(
        f"/deadlines/{deadline.id}/met",
        data={"met_on": clocks.office_today().isoformat(), "note": "CIP copy received"},
        follow_redirects=True,
    )
    assert "Recorded: the clock was met." in response.text
    assert "CIP copy received" in response.text
    assert services.board(services.BoardFilter(), clocks.office_today()) == []


def test_recording_a_met_date_before_the_start_is_refused_on_the_field(client):
    deadline = _open("cip.copy_on_request", 2)
    log_in(client, make_user(Role.ANALYST))
    response = client.post(
        f"/deadlines/{deadline.id}/met", data={"met_on": "2001-01-01", "note": "typo"}
    )
    assert response.status_code == 422
    assert "cannot be met before it started" in response.text
    assert "typo" in response.text
    assert deadline.is_open


def test_a_clock_met_from_a_stale_page_says_when_it_was_met(client):
    deadline = _open("cip.copy_on_request", 2)
    log_in(client, make_user(Role.ANALYST))
    today = clocks.office_today().isoformat()
    client.post(f"/deadlines/{deadline.id}/met", data={"met_on": today, "note": "CIP copy"})
    for step, data in (("met", {"met_on": today}), ("assignee", {"assignee": ""})):
        again = client.post(f"/deadlines/{deadline.id}/{step}", data=data, follow_redirects=True)
        assert again.request.path == f"/deadlines/{deadline.id}"
        assert 'class="usa-alert usa-alert--error' in again.text
        assert f"met on {today}" in again.text
    assert services.get_deadline(deadline.id).met_note == "CIP copy"


def test_a_viewer_sees_the_board_but_cannot_record_anything(client):
    deadline = _open("cip.copy_on_request", 2)
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/deadlines/{deadline.id}")
    assert page.status_code == 200
    assert "Record as met" not in page.text
    refused = client.post(f"/deadlines/{deadline.id}/met", data={"met_on": "2026-11-22"})
    assert refused.status_code == 403


def test_a_liaison_may_not_see_the_board(client):
    log_in(client, make_user(Role.LIAISON, agency="DoD"))
    assert client.get("/deadlines/").status_code == 403


def test_an_analyst_assigns_a_clock_and_the_board_filters_on_it(client):
    deadline = _open("cip.copy_on_request", 2, label="Saltmarsh Compute LLC")
    analyst, colleague = make_user(Role.ANALYST), make_user(Role.ANALYST)
    log_in(client, analyst)
    for junk in ("424242", " "):
        bad = client.post(f"/deadlines/{deadline.id}/assignee", data={"assignee": junk})
        assert bad.status_code == 422
        assert "Not a valid choice" in bad.text
    done = client.post(
        f"/deadlines/{deadline.id}/assignee",
        data={"assignee": str(colleague.id)},
        follow_redirects=True,
    )
    assert f"Assigned to {colleague.full_name}." in done.text
    mine = client.get("/deadlines/", query_string={"assignee": str(colleague.id)}).text
    assert "Saltmarsh Compute LLC" in mine
    others = client.get("/deadlines/", query_string={"assignee": str(analyst.id)}).text
    assert "Saltmarsh Compute LLC" not in others
    assert db.session.query(AuditEvent).filter_by(action="deadline.assign").count() == 1


def _make_calendar_address(client) -> str:
    """What a person does: open the board, ask for an address, copy the one shown."""
    board = client.get("/deadlines/").text
    assert "Make my calendar address" in board
    made = client.post("/deadlines/calendar-address")
    assert made.status_code == 200
    return made.text.split('data-testid="calendar-address">', 1)[1].split("<", 1)[0]


def test_a_calendar_program_subscribes_with_a_personal_address(client):
    _open("cip.copy_on_request", 2, label="Driftwood Compute LLC")
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    address = _make_calendar_address(client)
    calendar = client.application.test_client()  # no session, as a calendar program
    feed = calendar.get(address)
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    assert "Driftwood Compute LLC" in feed.text.replace("\r\n ", "")  # lines unfolded (RFC 5545)
    assert calendar.get(address.replace(".ics", "x.ics")).status_code == 404
    accounts.deactivate_user(analyst, actor=None)
    db.session.commit()
    assert calendar.get(address).status_code == 404


def test_resetting_the_calendar_address_stops_the_old_one_at_once(client):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    old = _make_calendar_address(client)
    calendar = client.application.test_client()
    assert calendar.get(old).status_code == 200
    board = client.get("/deadlines/").text
    assert "Reset my calendar address" in board
    new = client.post("/deadlines/calendar-address").text
    new = new.split('data-testid="calendar-address">', 1)[1].split("<", 1)[0]
    assert new != old
    assert calendar.get(old).status_code == 404
    assert calendar.get(new).status_code == 200
    made = db.session.query(AuditEvent).filter_by(action="calendar.address").all()
    assert [event.after_json for event in made] == ['{"replaced":false}', '{"replaced":true}']
    assert all(event.actor_id == analyst.id for event in made)


def test_the_address_is_a_long_random_secret_kept_only_as_its_hash(client, app):
    analyst = make_user(Role.VIEWER)
    log_in(client, analyst)
    address = _make_calendar_address(client)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    stored = db.session.execute(text("SELECT * FROM calendar_addresses")).mappings().one()
    assert token not in str(dict(stored))
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    # The address of the previous release, a signature over the account's number, is dead.
    signed = URLSafeSerializer(app.secret_key, salt="deadline-calendar").dumps({"user": analyst.id})
    assert client.get(f"/deadlines/calendar/{signed}.ics").status_code == 404


def test_the_board_says_when_the_calendar_address_was_last_read(client, monkeypatch):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    address = _make_calendar_address(client)
    assert "No calendar program has read it yet." in client.get("/deadlines/").text
    read_at = utcnow() - timedelta(minutes=3)
    monkeypatch.setattr(services, "utcnow", lambda: read_at)
    client.application.test_client().get(address)
    assert f"A calendar program last read it on {clocks.office_time(read_at)}." in (
        client.get("/deadlines/").text
    )


def test_the_calendar_address_outlives_sign_out_so_calendars_stay_current(client):
    log_in(client, make_user(Role.ANALYST))
    address = _make_calendar_address(client)
    client.post("/logout")
    assert client.application.test_client().get(address).status_code == 200
