"""A person's inbox: their notices only, unread first, each opening its record; marking read,
one or all; the unread count in every page's header."""

from __future__ import annotations

import json
from datetime import time

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.notifications import services
from core.notifications.models import Notification
from core.notifications.rules import Delivery
from tests.factories import log_in, make_user


def _notices(user, count: int, *, link: str = "/deadlines/") -> list[Notification]:
    told = []
    for number in range(1, count + 1):
        told += services.notify(
            [user],
            "job_failed",
            title=f"Notice number {number}",
            link=link,
            mail_context={"job_label": "Example", "job_id": number, "attempts": 1},
        )
    db.session.commit()
    return told


def _titles(page: str) -> list[str]:
    table = BeautifulSoup(page, "html.parser").find("table", attrs={"data-testid": "inbox"})
    return [row.find("a").get_text() for row in table.find("tbody").find_all("tr") if row.find("a")]


def _header_count(page: str) -> str:
    link = BeautifulSoup(page, "html.parser").find(attrs={"data-testid": "unread-count"})
    return link["aria-label"]


@pytest.fixture
def person(app):
    return make_user(Role.ANALYST)


def test_the_inbox_lists_my_notices_unread_first_then_newest(client, person):
    *_, third = _notices(person, 3)
    _notices(make_user(Role.ANALYST), 1)  # someone else's
    services.mark_read(db.session.get(Notification, third.id), actor=person)
    db.session.commit()
    log_in(client, person)

    page = client.get("/notifications/")

    assert page.status_code == 200
    assert _titles(page.text) == ["Notice number 2", "Notice number 1", "Notice number 3"]
    assert "3 notices, 2 unread." in page.text
    assert _header_count(page.text) == "Notifications, 2 unread"


def test_the_header_counts_my_unread_notices_on_every_page(client, person):
    log_in(client, person)
    assert _header_count(client.get("/").text) == "Notifications, 0 unread"
    _notices(person, 2)
    assert _header_count(client.get("/deadlines/").text) == "Notifications, 2 unread"


def test_every_signed_in_role_has_an_inbox(app):
    for role in (Role.LIAISON, Role.VIEWER, Role.REVIEWER):
        client = app.test_client()
        log_in(client, make_user(role))
        assert client.get("/notifications/").status_code == 200


def test_opening_a_notice_marks_it_read_and_leads_to_its_record(client, person):
    [notice] = _notices(person, 1, link="/deadlines/?module=intake")
    log_in(client, person)

    opened = client.get(f"/notifications/{notice.id}/open")

    assert opened.status_code == 302
    assert opened.headers["Location"] == "/deadlines/?module=intake"
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is not None
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "notification", AuditEvent.subject_id == str(notice.id)
            )
        )
        == "notification.read"
    )


def test_a_notice_of_someone_else_is_not_found(client, person):
    [theirs] = _notices(make_user(Role.ANALYST), 1)
    log_in(client, person)
    assert client.get(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_a_link_elsewhere_leads_to_the_inbox_instead(client, person):
    [notice] = _notices(person, 1, link="//evil.example/")
    log_in(client, person)
    assert client.get(f"/notifications/{notice.id}/open").headers["Location"] == "/notifications/"


def test_mark_as_read_one_then_all(client, person):
    _, second, _ = _notices(person, 3)
    log_in(client, person)

    client.post(f"/notifications/{second.id}/read")
    assert "3 notices, 2 unread." in client.get("/notifications/").text
    answer = client.post("/notifications/read", follow_redirects=True)

    assert "2 notices marked as read." in answer.text
    assert "3 notices, 0 unread." in answer.text
    assert "Mark all as read" not in answer.text


def test_the_inbox_is_paged_at_the_size_chosen(client, person):
    _notices(person, 30)
    log_in(client, person)

    first = client.get("/notifications/")
    assert len(_titles(first.text)) == 25 and 'aria-label="Page 2"' in first.text
    assert "30 notices, 30 unread. Showing 1–25." in first.text
    second = client.get("/notifications/?page=2")
    assert _titles(second.text) == [f"Notice number {n}" for n in range(5, 0, -1)]
    assert len(_titles(client.get("/notifications/?per_page=50").text)) == 30
    # A size the page does not offer is its first one, never every notice at once.
    assert len(_titles(client.get("/notifications/?per_page=100000").text)) == 25
    assert len(_titles(client.get("/notifications/?per_page=abc").text)) == 25


def test_the_settings_page_is_where_every_email_says_it_is(app):
    with app.test_request_context():
        assert url_for("notifications.settings") == services.SETTINGS_PATH


def _settings_form(page: str) -> dict[str, str]:
    form = BeautifulSoup(page, "html.parser").find("form", action=services.SETTINGS_PATH)
    data = {}
    for box in form.find_all("input"):
        if box.get("type") != "radio" or box.get("checked") is not None:
            data[box["name"]] = box.get("value", "")
    for chooser in form.find_all("select"):
        data[chooser["name"]] = chooser.find("option", selected=True)["value"]
    return data


def test_a_person_chooses_per_kind_and_the_digests_time_audited(client, person):
    log_in(client, person)
    page = client.get("/notifications/settings")
    form = _settings_form(page.text)
    assert form["kind_job_failed"] == "at_once"  # the kind's default
    assert form["digest_at"] == "07:30"
    assert "A job I started failed" in page.text and "Sent to the person who started" in page.text

    saved = client.post(
        "/notifications/settings",
        data={**form, "kind_job_failed": "digest", "digest_at": "18:45"},
        follow_redirects=True,
    )

    assert "Your notification settings are saved." in saved.text
    assert _settings_form(saved.text)["kind_job_failed"] == "digest"
    assert services.deliveries_of(person)["job_failed"] is Delivery.DIGEST
    assert services.digest_time_of(person) == time(18, 45)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "notification.settings")
    ).one()
    assert json.loads(event.before_json) == {"job_failed": "at_once", "digest_at": "07:30"}
    assert json.loads(event.after_json) == {"job_failed": "digest", "digest_at": "18:45"}
    [told] = _notices(person, 1)
    assert told.delivery is Delivery.DIGEST and told.mail_id is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind_job_failed": "carrier_pigeon"}, "Not a valid choice"),
        ({"digest_at": "07:31"}, "Not a valid choice"),
        ({"digest_at": ""}, "Choose the time of your daily digest."),
    ],
)
def test_a_choice_that_is_not_one_is_named_at_its_field(client, person, changes, message):
    log_in(client, person)
    form = _settings_form(client.get("/notifications/settings").text)

    answer = client.post("/notifications/settings", data={**form, **changes})

    assert answer.status_code == 422
    assert message in answer.text
    assert services.digest_time_of(person) == time(7, 30)
