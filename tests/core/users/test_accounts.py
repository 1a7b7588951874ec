"""What administrators do to accounts in the browser (docs/architecture.md §8): add one by its
enrolment link, change its role and agency, deactivate and reactivate it, reset its second
factor; each change audited and shown on the account's page as its history. Nobody does these
to their own account."""

from __future__ import annotations

import html

import pyotp
import pytest
from sqlalchemy import select

from core import crypto
from core.auth.models import User, UserSession
from core.auth.rules import Role
from core.db import db, utcnow
from core.notifications.models import OutgoingMail
from tests.factories import (
    NEW_PASSWORD,
    PASSWORD,
    link_path,
    log_in,
    log_in_admin,
    make_admin,
    make_user,
    start_other_session,
)
from tests.mailcatcher import text_of


@pytest.fixture
def admin_client(app):
    admin = make_admin()
    client = app.test_client()
    log_in_admin(client, admin)
    client.admin = admin
    return client


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


NEW = {"email": "Dana.Field@bis.example", "full_name": "Dana Field", "role": "analyst"}


def test_a_new_account_without_mail_shows_its_link_once_and_never_again(admin_client, client):
    made = admin_client.post("/admin/users/new", data=NEW)
    assert made.status_code == 200
    assert "Shown this once" in made.text
    person = _user("dana.field@bis.example")
    assert person.password_hash is None and person.role == Role.ANALYST
    address = made.text.split('data-testid="enrolment-link">')[1].split("<")[0]
    assert db.session.scalars(select(OutgoingMail)).all() == []  # nothing is emailed
    page = admin_client.get(f"/admin/users/{person.id}").text
    assert address not in page and "Waiting for its owner to choose a password" in page
    assert "Send a new enrolment link" in page

    path = link_path(address, "/account/enrol/")
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert log_in(client, person, NEW_PASSWORD).headers["Location"].endswith("/")


def test_a_new_account_with_mail_gets_its_link_by_email_and_says_nothing_of_it(
    mail_app, smtp_server
):
    admin = make_admin()
    client = mail_app.test_client()
    log_in_admin(client, admin)
    made = client.post("/admin/users/new", data={**NEW, "role": "liaison", "agency": "DoD"})
    person = _user("dana.field@bis.example")
    assert made.headers["Location"].endswith(f"/admin/users/{person.id}")
    page = client.get(made.headers["Location"]).text
    assert "An enrolment link was emailed to dana.field@bis.example" in page
    [message] = smtp_server.to("dana.field@bis.example")
    text = text_of(message)
    assert "works once, for 72 hours" in text
    for unsaid in ("Dana Field", "DoD", "Liaison", admin.full_name, admin.email):
        assert unsaid not in text
    assert mail_app.test_client().get(link_path(text, "/account/enrol/")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": "liaison", "agency": ""}, "agency", "A liaison must belong to an agency"),
        ({"role": "analyst", "agency": "DoD"}, "agency", "Only liaisons belong to an agency."),
        ({"email": "not an address"}, "email", "Enter an email address"),
        ({"full_name": ""}, "full_name", "Enter the person's full name."),
    ],
)
def test_a_new_account_with_bad_input_says_so_at_the_field_and_keeps_what_was_typed(
    admin_client, changes, field, message
):
    answer = admin_client.post("/admin/users/new", data={**NEW, **changes})
    assert answer.status_code == 422
    assert f'id="{field}-error"' in answer.text and message in html.unescape(answer.text)
    assert 'value="Dana.Field@bis.example"' in answer.text or field == "email"
    assert db.session.scalars(select(User).where(User.full_name == "Dana Field")).all() == []


def test_a_role_change_is_audited_and_shown_in_the_accounts_history(admin_client):
    person = make_user(Role.ANALYST)
    to_liaison = admin_client.post(
        f"/admin/users/{person.id}/role", data={"role": "liaison", "agency": "Treasury"}
    )
    assert to_liaison.status_code == 302
    page = admin_client.get(f"/admin/users/{person.id}").text
    assert "Role changed to Agency liaison (Treasury)." in page
    assert "user.role_change" in page
    assert "&#34;role&#34;:&#34;analyst&#34;" in page and "Treasury" in page
    refused = admin_client.post(
        f"/admin/users/{person.id}/role", data={"role": "viewer", "agency": "Treasury"}
    )
    assert refused.status_code == 422 and "Only liaisons belong to an agency." in refused.text
    person = db.session.get(User, person.id)
    assert (person.role, person.agency) == (Role.LIAISON, "Treasury")


def test_nobody_changes_their_own_role_deactivates_or_resets_themselves(admin_client):
    me = admin_client.admin
    page = admin_client.get(f"/admin/users/{me.id}").text
    assert "This is your own account" in page and "Change the role" not in page
    refusals = (("role", "changes"), ("deactivate", "deactivates"),
                ("second-factor/reset", "resets"))  # fmt: skip
    for action, words in refusals:
        refused = admin_client.post(
            f"/admin/users/{me.id}/{action}", data={"role": "viewer"}, follow_redirects=True
        )
        assert f"Nobody {words} their own" in refused.text
    me = db.session.get(User, me.id)
    assert me.role == Role.ADMIN and me.active and me.totp_enabled


def test_deactivating_ends_every_session_and_reactivating_lets_the_person_back(admin_client, app):
    person = make_user(Role.REVIEWER)
    theirs = app.test_client()
    log_in(theirs, person)
    start_other_session(person)
    done = admin_client.post(f"/admin/users/{person.id}/deactivate", follow_redirects=True)
    assert f"{person.email} deactivated; 2 open session(s) ended." in done.text
    assert theirs.get("/").status_code == 302
    assert log_in(theirs, person).status_code == 200  # refused as a wrong password is
    again = admin_client.post(f"/admin/users/{person.id}/deactivate", follow_redirects=True)
    assert "This account is deactivated already." in again.text

    admin_client.post(f"/admin/users/{person.id}/reactivate")
    assert log_in(theirs, person).headers["Location"].endswith("/")
    history = admin_client.get(f"/admin/users/{person.id}").text
    assert "user.deactivate" in history and "user.reactivate" in history
    assert db.session.get(UserSession, start_other_session(person)).ended_at is None


def test_a_reset_second_factor_ends_sessions_and_forces_a_new_one_at_next_sign_in(
    admin_client, app
):
    analyst = make_user(Role.ANALYST)
    analyst.totp_secret_encrypted = crypto.encrypt(pyotp.random_base32())
    analyst.totp_enabled_at = utcnow()
    db.session.commit()
    theirs = app.test_client()
    log_in_admin(theirs, analyst)  # password, then code
    assert theirs.get("/").status_code == 200

    reset = admin_client.post(f"/admin/users/{analyst.id}/second-factor/reset")
    assert reset.status_code == 302
    assert theirs.get("/").status_code == 302
    signed_in = log_in(theirs, analyst)
    assert signed_in.headers["Location"].endswith("/account/two-factor")
    assert theirs.get("/intake/providers").headers["Location"].endswith("/account/two-factor")
    setup = theirs.get("/account/two-factor").text
    assert "Your second factor was reset" in setup
    secret = setup.split('data-testid="totp-secret">')[1].split("<")[0]
    theirs.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert theirs.get("/intake/providers").status_code == 200
    page = admin_client.get(f"/admin/users/{analyst.id}").text
    assert "user.second_factor_reset" in page and "auth.second_factor_enrol" in page


def test_the_accounts_page_shows_last_sign_in_and_failed_attempts(admin_client, app):
    person = make_user(Role.VIEWER)
    for _ in range(3):
        log_in(app.test_client(), person, "a-wrong-guess-99")
    page = admin_client.get(f"/admin/users/{person.id}").text
    assert "Never" in page
    assert page.split('data-testid="account-failures">')[1].startswith("3 (the latest on")
    log_in(app.test_client(), person, PASSWORD)
    page = admin_client.get(f"/admin/users/{person.id}").text
    assert page.split('data-testid="account-failures">')[1].startswith("0")
    assert "Never" not in page.split('data-testid="account-last-sign-in">')[1][:40]


def test_the_list_of_accounts_pages_and_sorts_on_the_server(admin_client):
    for _ in range(3):
        make_user(Role.VIEWER)
    first = admin_client.get("/admin/users/?sort=email&dir=desc&per_page=25")
    assert 'aria-sort="descending"' in first.text
    emails = [line.split("<td>")[1].split("</td>")[0] for line in first.text.split(
        "</a></td>\n      <td>")[1:]]  # fmt: skip
    assert emails == sorted(emails, reverse=True) and len(emails) == 4
    assert "1–4 of 4 accounts" in first.text
    second = admin_client.get("/admin/users/?per_page=25&page=2")
    assert "(none on page 2)" in second.text
