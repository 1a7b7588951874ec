"""The rate limits on signing in: an address that fails many accounts is refused before it has
locked them, an account failed from many addresses is refused for a while, and the five-failure
lock-out of each account stays as it is (test_sign_in.py). These tests run with the figures of
production unless they name smaller ones."""

import pyotp
import pytest
from sqlalchemy import select

from core import crypto
from core.audit.models import AuditEvent
from core.db import db
from tests.factories import log_in, make_admin, make_user, wrong_code

WRONG = "nope-nope-nope"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.10"
FROM_ADDRESS = "Too many failed sign-in attempts from this address; try again in 15 minutes."
FOR_ACCOUNT = "Too many failed sign-in attempts for this account; try again in 15 minutes."


def _from(client, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _fail(client, email, address=ATTACKER):
    return _from(client, address).post(
        "/login", data={"acknowledge": "y", "email": email, "password": WRONG}
    )


def _refused(response, message):
    assert response.status_code == 429
    assert 840 <= int(response.headers["Retry-After"]) <= 900
    assert message in response.text
    return response


def _lockouts():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.lockout")).all()


def test_an_address_failing_many_accounts_is_refused_before_it_locks_them(app, client):
    analysts = [make_user() for _ in range(10)]
    for analyst in analysts:
        for _ in range(2):  # twenty failures in all, the figure of production
            assert _fail(client, analyst.email).status_code == 200
    _refused(_fail(client, analysts[0].email), FROM_ADDRESS)
    _refused(log_in(_from(client, ATTACKER), analysts[1]), FROM_ADDRESS)  # the right one too
    assert _lockouts() == []
    for analyst in analysts:  # each signs in from their own desk
        assert log_in(_from(app.test_client(), OFFICE), analyst).status_code == 302


@pytest.mark.parametrize("has_account", [True, False])
def test_an_account_failed_from_many_addresses_is_refused_whether_or_not_it_exists(
    client, has_account
):
    email = make_user().email if has_account else "nobody.here@oicts.example"
    for number in range(10):  # the figure of production, each from another address
        assert _fail(client, email, f"192.0.2.{number}").status_code == 200
    _refused(_fail(client, email.upper(), "192.0.2.200"), FOR_ACCOUNT)
    assert len(_lockouts()) == (1 if has_account else 0)  # the lock-out still came at five
    assert _fail(client, make_user().email, "192.0.2.200").status_code == 200


def test_signing_in_successfully_is_never_slowed(client):
    analyst = make_user()
    for _ in range(25):
        assert log_in(_from(client, OFFICE), analyst).status_code == 302
        client.post("/logout")


def test_the_refused_form_keeps_the_email_typed_but_never_the_password(app, client):
    app.config["RATELIMIT_SIGN_IN_PER_ADDRESS"] = "2 per 15 minutes"
    analyst = make_user()
    _fail(client, analyst.email)
    _fail(client, analyst.email)
    page = _refused(_fail(client, analyst.email), FROM_ADDRESS).text
    assert 'data-testid="error-summary"' in page
    assert f'value="{analyst.email}"' in page
    assert WRONG not in page


def test_failed_codes_count_with_failed_passwords_and_the_code_page_is_refused_too(app, client):
    app.config["RATELIMIT_SIGN_IN_PER_ADDRESS"] = "3 per 15 minutes"
    admin = make_admin()
    _fail(client, make_user().email)
    assert log_in(_from(client, ATTACKER), admin).headers["Location"].startswith("/login/code")
    for _ in range(2):
        assert (
            client.post(
                "/login/code",
                data={"code": wrong_code(crypto.decrypt(admin.totp_secret_encrypted))},
            ).status_code
            == 200
        )
    right = pyotp.TOTP(crypto.decrypt(admin.totp_secret_encrypted)).now()
    page = _refused(client.post("/login/code", data={"code": right}), FROM_ADDRESS).text
    assert right not in page
    assert "Enter your code" in page
    _refused(_fail(client, admin.email), FROM_ADDRESS)


def test_codes_failed_from_many_addresses_count_against_the_account(app):
    app.config["RATELIMIT_SIGN_IN_PER_ACCOUNT"] = "3 per 15 minutes"
    admin = make_admin()
    people = [_from(app.test_client(), f"192.0.2.{number}") for number in range(3)]
    for person in people:
        assert log_in(person, admin).headers["Location"].startswith("/login/code")
        assert (
            person.post(
                "/login/code",
                data={"code": wrong_code(crypto.decrypt(admin.totp_secret_encrypted))},
            ).status_code
            == 200
        )
    right = pyotp.TOTP(crypto.decrypt(admin.totp_secret_encrypted)).now()
    _refused(people[-1].post("/login/code", data={"code": right}), FOR_ACCOUNT)
    _refused(log_in(_from(app.test_client(), "192.0.2.99"), admin), FOR_ACCOUNT)
