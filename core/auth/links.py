"""One-time links that let a person choose a password: the enrolment link of an account an
administrator made in the browser, and the link "Forgot password?" sends (docs/architecture.md
§8). Only each token's SHA-256 is kept; the email that carries one holds a placeholder until it
is handed to the mail server (core.notifications, docs/architecture.md §12). Opening a link's
page spends nothing (mail scanners fetch every link); choosing the password does.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select, update

from core import crypto
from core.audit.services import record_event
from core.auth import services
from core.auth.models import AccountLink, User
from core.auth.rules import (
    LINK_LIFETIMES,
    LinkPurpose,
    LockoutState,
    link_lifetime_phrase,
    link_refusal,
    used_link_refusal,
)
from core.db import db, utcnow
from core.errors import DomainError
from core.jobs import registry as job_registry
from core.jobs.models import Job
from core.jobs.registry import JobKind, JobWork
from core.jobs.services import enqueue
from core.notifications.rules import register_sample
from core.notifications.services import path_for, public_link, queue_mail

ENROLMENT_MAIL = "account_enrolment"
RESET_MAIL = "password_reset"
# The page each purpose's link opens (core/auth/views.py).
ENDPOINTS = {LinkPurpose.ENROLMENT: "auth.enrol", LinkPurpose.PASSWORD_RESET: "auth.reset"}


class LinkRefused(DomainError):
    """The link was used, replaced or has expired, or its account is deactivated."""


def mail_configured() -> bool:
    """Whether messages leave the system; without a server they are only kept in the outbox."""
    return bool(current_app.config.get("MAIL_SERVER"))


def issue_link(user: User, purpose: LinkPurpose, *, actor: User | None) -> str:
    """A new link's address, returned once; an older unspent link of the purpose stops
    working, so that only the latest email opens anything."""
    services.withdraw_links(user, (purpose,))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=crypto.token_digest(token),
            created_at=now,
            created_by_id=actor.id if actor else None,
            expires_at=now + LINK_LIFETIMES[purpose],
        )
    )
    db.session.flush()
    return public_link(path_for(ENDPOINTS[purpose], token=token))


def _mail_context(purpose: LinkPurpose) -> dict[str, object]:
    """All the email says: that a link was made, for how long it works; never whose account it
    is, its role or agency, or who made it."""
    return {"link_lifetime": link_lifetime_phrase(purpose)}


register_sample(ENROLMENT_MAIL, lambda: _mail_context(LinkPurpose.ENROLMENT))
register_sample(RESET_MAIL, lambda: _mail_context(LinkPurpose.PASSWORD_RESET))


def send_enrolment_link(user: User, *, actor: User) -> str | None:
    """Email the account's owner a link to choose their password. Where no mail server is
    configured the address is returned instead, for the administrator to hand over: it is shown
    once and kept nowhere."""
    if user.enrolled or not user.active:
        raise LinkRefused("Only an active account that has no password yet gets an enrolment link.")
    address = issue_link(user, LinkPurpose.ENROLMENT, actor=actor)
    emailed = mail_configured()
    if emailed:
        queue_mail(
            user.email,
            ENROLMENT_MAIL,
            _mail_context(LinkPurpose.ENROLMENT),
            about=("user", user.id),
            actor=actor,
            one_time_link=address,
        )
    record_event(
        "user.enrolment_link",
        actor=actor,
        subject=("user", user.id),
        after={"emailed": emailed, "works_for": link_lifetime_phrase(LinkPurpose.ENROLMENT)},
    )
    return None if emailed else address


def request_password_reset(email: str) -> None:
    """ "Forgot password?": a link to the address on record of an active, enrolled account, and
    nothing at all otherwise. The page answers the same words either way, and does the same
    work: the address typed is sealed into a job, and the job worker looks it up, so that
    neither the words nor the time the page takes tell whether an address has an account."""
    enqueue(
        PASSWORD_RESET_JOB,
        content=services.normalise_email(email)[:254].encode("utf-8"),
        requested_by_label="Forgot password? on the sign-in page",
    )


def _send_reset_link(_job: Job, work: JobWork) -> str:
    email = work.content().decode("utf-8")
    user = services.find_user(email)
    if user is None or not user.active or not user.enrolled:
        record_event(
            "auth.password_reset_request",
            actor=None,
            actor_label=email or "-",
            after={"sent": False},
        )
        return "No link was sent: the address is not that of an active, enrolled account."
    queue_mail(
        user.email,
        RESET_MAIL,
        _mail_context(LinkPurpose.PASSWORD_RESET),
        about=("user", user.id),
        one_time_link=issue_link(user, LinkPurpose.PASSWORD_RESET, actor=None),
    )
    record_event(
        "auth.password_reset_request", actor=user, subject=("user", user.id), after={"sent": True}
    )
    return "A link was sent to the account's address on record."


PASSWORD_RESET_JOB = job_registry.register(
    JobKind("password_reset_request", label="Password reset request", run=_send_reset_link)
).name


def link_for(token: str) -> AccountLink | None:
    return db.session.scalars(
        select(AccountLink).where(AccountLink.token_hash == crypto.token_digest(token))
    ).first()


def refusal_of(link: AccountLink) -> str | None:
    refused = link_refusal(
        link.purpose,
        expires_at=link.expires_at,
        used_at=link.used_at,
        withdrawn_at=link.withdrawn_at,
        now=utcnow(),
    )
    if refused is None and not link.user.active:
        return "This account is deactivated. Ask an administrator of the office."
    return refused


def choose_password(link: AccountLink, password: str) -> User:
    """The person chooses their password through the link, which is spent on it (two presses
    at once spend it once). A new password by a reset link ends every session of the account
    and clears its lock-out: whoever held a session or was guessing is out."""
    if refused := refusal_of(link):
        raise LinkRefused(refused)
    user = link.user
    services.set_password(user, password)
    spent = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if spent.rowcount != 1:  # another press spent it a moment before
        raise LinkRefused(used_link_refusal(link.purpose))
    # Whoever guessed at the account before its owner chose a password locks nobody out.
    user.lockout_state = LockoutState()
    if link.purpose is LinkPurpose.ENROLMENT:
        record_event(
            "user.enrol", actor=user, subject=("user", user.id),
            after={"link": link.id, "lockout_cleared": True},
        )  # fmt: skip
        return user
    ended = services.end_all_sessions(user, reason="password_reset")
    record_event(
        "user.password_reset",
        actor=user,
        subject=("user", user.id),
        after={"link": link.id, "sessions_ended": ended, "lockout_cleared": True},
    )
    return user
