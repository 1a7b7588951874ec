"""What every signed-in person does to their own account: change their password (the current
one required; their other sessions end, this one goes on) and see their open sessions and end
one left signed in elsewhere. Each is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.models import UserSession
from core.auth.rules import Role
from core.db import db
from tests.factories import (
    NEW_PASSWORD,
    PASSWORD,
    log_in,
    make_user,
    start_other_session,
)


def _change(client, current: str, new: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def _outcomes(action: str) -> list[str]:
    query = select(AuditEvent.outcome).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    return list(db.session.scalars(query))


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LIAISON])
def test_changing_my_password_needs_the_current_one_and_ends_only_my_other_sessions(app, role):
    person = make_user(role)
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, person)
    log_in(elsewhere, person)

    wrong = _change(here, "not-my-password-at-all")
    assert wrong.status_code == 200
    assert "This is not your current password." in wrong.text
    assert _outcomes("user.password_change") == ["failure"]  # the refused attempt is kept
    mismatched = _change(here, PASSWORD, confirm=NEW_PASSWORD + "!")
    assert mismatched.status_code == 422
    assert "The two passwords are not the same." in mismatched.text
    same = _change(here, PASSWORD, new=PASSWORD)
    assert "Choose a password other than your current one." in same.text
    assert elsewhere.get("/").status_code == 200

    changed = _change(here, PASSWORD)
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/account")
    assert "1 other session(s) ended; this one goes on." in here.get("/account").text
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert _outcomes("user.password_change") == ["failure", "success"]
    fresh = app.test_client()
    assert log_in(fresh, person, PASSWORD).status_code == 200
    assert log_in(fresh, person, NEW_PASSWORD).status_code == 302


def test_i_see_my_sessions_and_end_one_left_signed_in_elsewhere(app):
    person = make_user(Role.REVIEWER)
    client, elsewhere = app.test_client(), app.test_client()
    log_in(elsewhere, person)
    other_id = start_other_session(person)
    log_in(client, person)
    page = client.get("/account")
    assert page.status_code == 200
    assert "This session" in page.text
    assert page.text.count("End<span") == 2  # the two others, never this one

    assert client.post(f"/account/sessions/{other_id}/end").status_code == 302
    assert "That session has ended" in client.get("/account").text
    assert db.session.get(UserSession, other_id).end_reason == "ended_by_owner"
    assert _outcomes("auth.session_end") == ["success"]
    assert elsewhere.get("/").status_code == 200  # the session not ended goes on


def test_nobody_ends_another_persons_session_or_the_one_in_use(app):
    me, someone = make_user(), make_user()
    client = app.test_client()
    log_in(client, me)
    theirs = start_other_session(someone)
    mine = db.session.scalars(select(UserSession.id).where(UserSession.user_id == me.id)).one()
    assert client.post(f"/account/sessions/{theirs}/end").status_code == 404
    assert client.post(f"/account/sessions/{mine}/end").status_code == 404
    assert db.session.get(UserSession, theirs).ended_at is None
    assert client.get("/").status_code == 200


def test_a_password_of_any_alphabet_may_replace_one_of_any_other(app):
    person = make_user(Role.ANALYST)
    client = app.test_client()
    log_in(client, person)
    umlauts = "grüne-wiesen-lampe-1987-Straße"
    assert _change(client, PASSWORD, new=umlauts).status_code == 302
    assert "Choose a password other" in _change(client, umlauts, new=umlauts).text
    assert _change(client, umlauts, new="пароль-для-входа-2026").status_code == 302
    fresh = app.test_client()
    assert log_in(fresh, person, "пароль-для-входа-2026").status_code == 302


def test_guessing_my_current_password_is_slowed_as_signing_in_is(app):
    """Whoever holds someone's session may not try current passwords without end: the wrong
    ones count with the account's failed sign-ins (RATELIMIT_SIGN_IN_PER_ACCOUNT)."""
    app.config["RATELIMIT_SIGN_IN_PER_ACCOUNT"] = "3 per 15 minutes"
    person = make_user(Role.ANALYST)
    client = app.test_client()
    log_in(client, person)
    guesses = [_change(client, f"guess-number-{n}-of-many") for n in range(3)]
    assert [g.status_code for g in guesses] == [200, 200, 200]
    refused = _change(client, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts for this account" in refused.text
    assert _outcomes("user.password_change") == ["failure"] * 3  # the right one was not tried
