"""Signing in and out as people do, and the limits on sessions (docs/architecture.md §8)."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from core import crypto
from core.audit import services as audit
from core.audit.models import AuditEvent
from core.auth import services
from core.auth.models import UserSession
from core.auth.rules import Role
from core.clocks import office_time
from core.db import db, utcnow
from tests.factories import PASSWORD, log_in, make_admin, make_user, wrong_code


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_signing_in_lands_on_the_dashboard_and_is_audited(client):
    analyst = make_user()
    response = log_in(client, analyst)
    assert response.headers["Location"].endswith("/")
    assert client.get("/").status_code == 200
    [event] = [e for e in _events("auth.login") if e.outcome == "success"]
    assert event.actor_id == analyst.id
    assert event.remote_addr == "127.0.0.1"


@pytest.mark.parametrize("email", ["nobody@oicts.example", None])
def test_a_wrong_password_or_unknown_email_get_the_same_field_message(client, email):
    analyst = make_user()
    response = client.post(
        "/login",
        data={
            "acknowledge": "y",
            "email": email or analyst.email,
            "password": "wrong-password-123",
        },
    )
    assert response.status_code == 200
    assert 'id="password-error"' in response.text
    assert "The email address or password is not correct." in response.text
    assert client.get("/").status_code == 302
    assert _events("auth.login")[-1].outcome == "failure"


def test_the_system_use_notice_must_be_acknowledged(client):
    analyst = make_user()
    page = client.get("/login").text
    assert "U.S. Government information system" in page
    response = client.post("/login", data={"email": analyst.email, "password": PASSWORD})
    assert "Acknowledge the system-use notice to sign in." in response.text
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "data",
    [{}, {"acknowledge": "y", "email": "x" * 300 + "@oicts.example", "password": "p" * 300}],
)
def test_empty_or_oversized_input_gets_field_messages_never_a_server_error(client, data):
    response = client.post("/login", data=data)
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.text


NOT_CORRECT = "The email address or password is not correct."


def test_five_failures_lock_the_account_even_against_the_right_password(client):
    analyst = make_user()
    for _ in range(5):
        client.post(
            "/login",
            data={"acknowledge": "y", "email": analyst.email, "password": "nope-nope-nope"},
        )
    response = log_in(client, analyst)
    assert response.status_code == 200
    assert NOT_CORRECT in response.text
    assert client.get("/").status_code == 302
    assert _events("auth.lockout")


WRONG_PASSWORD = "nope-nope-nope"


def _sign_in_page(client, email, password=WRONG_PASSWORD):
    page = client.post(
        "/login", data={"acknowledge": "y", "email": email, "password": password}
    ).text
    return page.replace(email, "EMAIL")


def test_a_locked_account_answers_exactly_as_an_address_with_no_account(client):
    analyst = make_user()
    for _ in range(4):
        _sign_in_page(client, analyst.email)
    unknown = _sign_in_page(client, "nobody.here@oicts.example")
    assert NOT_CORRECT in unknown
    assert _sign_in_page(client, analyst.email) == unknown  # the failure that locks it
    assert _sign_in_page(client, analyst.email) == unknown  # while it is locked
    assert _sign_in_page(client, analyst.email, PASSWORD) == unknown  # even the right password
    assert "locked" not in unknown.split('class="usa-hint"')[0]


def test_the_owner_of_a_locked_account_is_told_at_their_next_sign_in(client, sign_in_clock):
    analyst = make_user()
    for _ in range(5):
        _fail_to_sign_in(client, analyst)
    [lockout] = _events("auth.lockout")
    assert (lockout.actor_id, lockout.subject_id) == (analyst.id, str(analyst.id))
    sign_in_clock(16)
    assert log_in(client, analyst).status_code == 302
    page = client.get("/").text
    assert (
        "Your account was locked after repeated failed sign-ins on "
        f"{office_time(lockout.occurred_at)}." in page
    )
    client.post("/logout")
    sign_in_clock(17)
    log_in(client, analyst)
    again = client.get("/").text
    assert "Your account was locked" not in again  # told once


@pytest.fixture
def sign_in_clock(monkeypatch):
    """Sets the minute, after the test starts, that sign-in and the audit trail take as now."""
    start = utcnow()
    minute = [0.0]
    for module in (services, audit):
        monkeypatch.setattr(module, "utcnow", lambda: start + timedelta(minutes=minute[0]))

    def set_minute(value: float) -> None:
        minute[0] = value

    return set_minute


def _fail_to_sign_in(client, user):
    return client.post(
        "/login", data={"acknowledge": "y", "email": user.email, "password": "nope-nope-nope"}
    )


def test_five_failures_within_any_fifteen_minutes_lock_though_earlier_ones_have_aged(
    client, sign_in_clock
):
    analyst = make_user()
    for minute in (0, 5, 10, 14, 16):  # no 15 minutes of these hold five failures
        sign_in_clock(minute)
        assert NOT_CORRECT in _fail_to_sign_in(client, analyst).text
        assert not _events("auth.lockout")
    sign_in_clock(20)  # minutes 5 to 20 now hold five
    _fail_to_sign_in(client, analyst)
    assert _events("auth.lockout")
    sign_in_clock(34)
    assert log_in(client, analyst).status_code == 200  # the right password, still refused
    assert client.get("/").status_code == 302
    sign_in_clock(35)
    assert log_in(client, analyst).status_code == 302
    assert client.get("/").status_code == 200


def test_when_a_lock_ends_the_failures_that_caused_it_no_longer_count(client, sign_in_clock):
    analyst = make_user()
    for _ in range(5):
        _fail_to_sign_in(client, analyst)
    sign_in_clock(15)
    assert "The email address or password is not correct." in (
        _fail_to_sign_in(client, analyst).text
    )
    assert log_in(client, analyst).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client):
    analyst = make_user()
    services.deactivate_user(analyst, actor=None)
    db.session.commit()
    assert log_in(client, analyst).status_code == 200
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session_on_the_server(app):
    analyst = make_user()
    client = app.test_client()
    log_in(client, analyst)
    stolen_cookie = client.get_cookie("oicts_session", domain="oicts.test").value
    client.post("/logout")
    assert db.session.scalars(select(UserSession)).one().end_reason == "logout"
    replay = app.test_client()
    replay.set_cookie("oicts_session", stolen_cookie, domain="oicts.test")
    assert replay.get("/").status_code == 302


@pytest.mark.parametrize(
    ("column", "age", "reason"),
    [("last_seen_at", timedelta(minutes=16), "idle_timeout"),
     ("created_at", timedelta(hours=12, minutes=1), "absolute_timeout")],
)  # fmt: skip
def test_a_session_ends_after_fifteen_idle_minutes_or_twelve_hours(client, column, age, reason):
    log_in(client, make_user())
    session_row = db.session.scalars(select(UserSession)).one()
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_row.id)
        .values({column: getattr(session_row, column) - age})
    )
    db.session.commit()
    response = client.get("/deadlines/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(UserSession, session_row.id).end_reason == reason
    assert _events("auth.session_expired")


def _let_time_pass(delta):
    """Move every log-in session back by ``delta``, as if that much time had passed."""
    for session_row in db.session.scalars(select(UserSession)):
        session_row.created_at -= delta
        session_row.last_seen_at -= delta
    db.session.commit()


def test_reading_pages_keeps_a_session_alive_and_sixteen_idle_minutes_end_it(client):
    log_in(client, make_user())
    for _ in range(4):  # a page every ten minutes for forty minutes, and never a form
        _let_time_pass(timedelta(minutes=10))
        assert client.get("/deadlines/").status_code == 200
    _let_time_pass(timedelta(minutes=16))
    response = client.get("/deadlines/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_deactivating_a_user_ends_their_live_sessions(client):
    analyst = make_user()
    log_in(client, analyst)
    assert client.get("/").status_code == 200
    ended = services.deactivate_user(analyst, actor=make_user(Role.ADMIN))
    db.session.commit()
    assert ended == 1
    assert client.get("/").status_code == 302


def test_next_only_leads_to_pages_of_this_site(client):
    analyst = make_user()
    response = client.post(
        "/login",
        data={
            "acknowledge": "y",
            "email": analyst.email,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_an_administrator_must_enrol_a_second_factor_before_anything_else(client):
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    for path in ("/", "/admin/audit/", "/parameters/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/account/two-factor")
    setup = client.get("/account/two-factor")
    assert 'alt="QR code' in setup.text
    secret = setup.text.split('data-testid="totp-secret">')[1].split("<")[0]
    refused = client.post("/account/two-factor", data={"code": wrong_code(secret)})
    assert "That code does not match" in refused.text
    enrolled = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert enrolled.status_code == 302
    assert client.get("/admin/audit/").status_code == 200
    assert _events("auth.second_factor_enrol")[-1].outcome == "success"


def test_with_a_second_factor_the_code_is_asked_and_cannot_be_replayed(client):
    admin = make_admin()
    response = log_in(client, admin)
    assert response.headers["Location"].startswith("/login/code")
    assert client.get("/").status_code == 302  # not signed in until the code is given
    wrong = client.post("/login/code", data={"code": "12345"})
    assert "Enter the 6-digit code from your app." in wrong.text
    code = pyotp.TOTP(crypto.decrypt(admin.totp_secret_encrypted)).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    log_in(client, admin)
    replayed = client.post("/login/code", data={"code": code})
    assert "That code is not correct or was already used." in replayed.text


def test_a_form_without_its_csrf_token_is_refused_and_explained(csrf_app):
    analyst = make_user()
    response = csrf_app.test_client().post(
        "/login", data={"acknowledge": "y", "email": analyst.email, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Form expired" in response.text


def test_security_headers_and_hsts_only_over_https(client):
    page = client.get("/login")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in page.headers
    secure = client.get("/login", base_url="https://oicts.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_session_cookie_is_http_only_and_same_site(client):
    log_in(client, make_user())
    cookie = client.get_cookie("oicts_session", domain="oicts.test")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_outside_the_test_suite_passwords_are_hashed_at_full_argon2_cost(app, client):
    """The suite hashes at Argon2's lowest cost for speed; production keeps RFC 9106's."""
    cheap = make_user()
    assert cheap.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    app.config["TESTING"] = False
    try:
        costly = make_user()
        assert costly.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        log_in(client, cheap)
        db.session.refresh(cheap)
        # A cheaper hash is replaced by a full-cost one at the next sign-in.
        assert cheap.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    finally:
        app.config["TESTING"] = True
