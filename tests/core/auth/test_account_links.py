"""The one-time links of accounts (docs/architecture.md §8): an enrolment link lets the owner of
a new account choose their password, "Forgot password?" sends a link for a new one. Opening a
link spends nothing; choosing the password spends it; a used, replaced, expired or unknown link
answers a page that says so. Through a real mail server, as people receive them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.auth import links
from core.auth.models import AccountLink, UserSession
from core.auth.rules import LinkPurpose
from core.db import db, utcnow
from core.jobs.models import Job, JobInput
from core.notifications.models import OutgoingMail
from core.notifications.rules import ONE_TIME_LINK
from tests.factories import (
    NEW_PASSWORD,
    PASSWORD,
    commit_and_deliver,
    link_path,
    log_in,
    make_enrolling_user,
    make_user,
    start_other_session,
)
from tests.mailcatcher import text_of


def _forgot(client, email: str, address: str = "198.51.100.7"):
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/login/forgot", data={"email": email})


def _events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    return list(db.session.scalars(query))


def _choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def _enrolment_path(user) -> str:
    address = links.issue_link(user, LinkPurpose.ENROLMENT, actor=None)
    db.session.commit()
    return link_path(address, "/account/enrol/")


def test_an_enrolment_link_opens_twice_without_being_spent_then_sets_the_password_once(client):
    person = make_enrolling_user()
    path = _enrolment_path(person)
    assert log_in(client, person, "").status_code == 200  # no password yet: nothing signs in
    for _ in range(2):  # a mail scanner's fetch and the person's: neither spends the link
        page = client.get(path)
        assert page.status_code == 200
        assert "Choose your password" in page.text and person.email in page.text
    weak = _choose(client, path, "password1234567")
    assert weak.status_code == 422
    assert "commonly used or breached" in weak.text
    assert client.get(path).status_code == 200  # a refused password spends nothing

    chosen = _choose(client, path)
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/login")
    assert log_in(client, person, NEW_PASSWORD).headers["Location"].endswith("/")
    assert client.get("/").status_code == 200
    [enrolled] = _events("user.enrol")
    assert (enrolled.subject_type, enrolled.subject_id) == ("user", str(person.id))

    again = client.post(path, data={"password": NEW_PASSWORD + "x", "confirm": NEW_PASSWORD + "x"})
    assert again.status_code == 410
    assert "This link was used already" in again.text
    assert "Ask an administrator" in again.text


def test_guesses_at_an_account_not_yet_enrolled_do_not_lock_out_its_owner(client):
    person = make_enrolling_user()
    path = _enrolment_path(person)
    for _ in range(5):
        log_in(client, person, "a-wrong-guess-1")
    assert db.session.get(type(person), person.id).locked_until is not None
    assert _choose(client, path).status_code == 302
    assert log_in(client, person, NEW_PASSWORD).headers["Location"].endswith("/")
    [enrolled] = _events("user.enrol")
    assert '"lockout_cleared":true' in enrolled.after_json


def test_an_expired_link_and_a_replaced_one_say_so_and_store_nothing(client):
    person = make_enrolling_user()
    older = _enrolment_path(person)
    newer = _enrolment_path(person)
    replaced = _choose(client, older)
    assert replaced.status_code == 410 and "replaced by a newer one" in replaced.text
    link = links.link_for(newer.rsplit("/", 1)[1])
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = _choose(client, newer)
    assert expired.status_code == 410
    assert "This link has expired: it worked for 72 hours." in expired.text
    assert db.session.get(type(person), person.id).password_hash is None


def test_an_unknown_token_or_one_of_the_other_purpose_is_a_clear_page(client):
    person = make_enrolling_user()
    enrolment = _enrolment_path(person)
    for path in ("/account/enrol/not-a-token", "/account/reset/" + enrolment.rsplit("/", 1)[1]):
        for answer in (client.get(path), _choose(client, path)):
            assert answer.status_code == 404
            assert "This link does not work" in answer.text
            assert "Forgot password?" in answer.text
    # Only the SHA-256 of a token is kept.
    token = enrolment.rsplit("/", 1)[1]
    assert token not in db.session.scalars(select(AccountLink.token_hash)).all()


def test_forgot_password_does_the_same_work_whether_or_not_the_address_has_an_account(app):
    """What the page itself stores is one sealed job, either way, so that the time it takes
    does not tell; the job worker looks the address up."""
    person = make_user()
    db.session.commit()
    stored = []
    for email in ("nobody@oicts.example", person.email):
        links.request_password_reset(email)
        db.session.commit()
        stored.append(
            {
                "jobs": db.session.scalar(select(func.count(Job.id))),
                "links": db.session.scalar(select(func.count(AccountLink.id))),
                "mail": db.session.scalar(select(func.count(OutgoingMail.id))),
                "events": [e.action for e in _events("job.queue")],
            }
        )
    assert stored[0] == {"jobs": 1, "links": 0, "mail": 0, "events": ["job.queue"]}
    assert stored[1] == {"jobs": 2, "links": 0, "mail": 0, "events": ["job.queue"] * 2}
    sealed = db.session.scalars(select(JobInput.sealed_content)).all()
    assert all(person.email.encode() not in content for content in sealed)


def test_forgot_password_answers_the_same_words_and_mails_only_an_account_on_record(
    mail_app, smtp_server
):
    person, gone = make_user(), make_user()
    gone.active = False
    db.session.commit()
    client = mail_app.test_client()
    answers = [_forgot(client, email) for email in ("nobody@oicts.example", gone.email)]
    answers.append(_forgot(client, person.email.upper()))
    commit_and_deliver()
    words = {_words(answer.text) for answer in answers}
    assert {answer.status_code for answer in answers} == {200} and len(words) == 1
    assert "If that address belongs to an active account" in answers[0].text

    assert smtp_server.to("nobody@oicts.example") == [] and smtp_server.to(gone.email) == []
    [message] = smtp_server.to(person.email)
    assert "Choose a new password" in message["Subject"]
    assert "works once, for 1 hour" in text_of(message)
    assert [event.after_json for event in _events("auth.password_reset_request")] == [
        '{"sent":false}', '{"sent":false}', '{"sent":true}'
    ]  # fmt: skip


def _words(page: str) -> str:
    """The page's answer paragraph, whatever else (a CSRF token) differs."""
    start = page.index('data-testid="forgot-answer"')
    return page[start : page.index("</p>", start)]


def test_a_new_password_by_link_ends_every_session_and_clears_the_lock_out(mail_app, smtp_server):
    person = make_user()
    signed_in = mail_app.test_client()
    log_in(signed_in, person)
    start_other_session(person)
    for _ in range(5):  # someone guessing locks the account
        log_in(mail_app.test_client(), person, "a-wrong-guess-1")
    assert db.session.get(type(person), person.id).locked_until is not None

    client = mail_app.test_client()
    _forgot(client, person.email)
    commit_and_deliver()
    [message] = smtp_server.to(person.email)
    path = link_path(text_of(message), "/account/reset/")
    assert client.get(path).status_code == 200
    assert _choose(client, path).status_code == 302

    assert signed_in.get("/").status_code == 302  # the session signed in before has ended
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))
    ).all()
    assert live == []
    assert log_in(client, person, PASSWORD).status_code == 200  # the old password is refused
    assert log_in(client, person, NEW_PASSWORD).headers["Location"].endswith("/")
    [reset] = _events("user.password_reset")
    assert '"sessions_ended":2' in reset.after_json and '"lockout_cleared":true' in reset.after_json


def test_the_stored_message_holds_a_placeholder_and_only_the_delivered_one_the_link(
    mail_app, smtp_server
):
    person = make_user()
    _forgot(mail_app.test_client(), person.email)
    commit_and_deliver()
    stored = db.session.scalars(select(OutgoingMail)).one()
    assert ONE_TIME_LINK in stored.text_body and ONE_TIME_LINK in stored.html_body
    assert "/account/reset/" not in stored.text_body + stored.html_body
    assert stored.one_time_link_sealed is None  # erased once handed over
    [message] = smtp_server.to(person.email)
    assert ONE_TIME_LINK not in text_of(message)
    assert "/account/reset/" in text_of(message)


def test_forgot_password_is_limited_per_account_and_per_address(app, client):
    person = make_user()
    app.config["RATELIMIT_PASSWORD_RESET_PER_ACCOUNT"] = "2 per hour"
    app.config["RATELIMIT_PASSWORD_RESET_PER_ADDRESS"] = "3 per hour"
    for address in ("198.51.100.1", "198.51.100.2"):
        assert _forgot(client, person.email, address).status_code == 200
    refused = _forgot(client, person.email, "198.51.100.3")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many requests for a new password for this email address" in refused.text
    assert 'name="email"' in refused.text  # the form again

    for number in range(3):
        _forgot(client, f"someone{number}@oicts.example", "203.0.113.9")
    from_address = _forgot(client, "another@oicts.example", "203.0.113.9")
    assert from_address.status_code == 429
    assert "Too many requests for a new password from this address" in from_address.text
    sent = db.session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == person.email))
    assert len(sent.all()) == 2
