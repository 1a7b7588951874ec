"""Use cases for people and access: accounts, log-in, sessions and the second factor."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from core import crypto
from core.audit.models import AuditEvent
from core.audit.services import DENIED, FAILURE, SUCCESS, record_event
from core.auth.models import AccountLink, User, UserSession
from core.auth.rules import (
    LinkPurpose,
    LockoutState,
    Role,
    activity_worth_recording,
    after_failed_login,
    agency_problem,
    is_locked,
    password_problems,
    session_end_reason,
)
from core.db import db, utcnow
from core.errors import InvalidInput
from core.schema import check_email

# Argon2id with the library's RFC 9106 defaults (64 MiB, 3 passes, 4 lanes).
_PRODUCTION_HASHER = PasswordHasher()
# The test suite makes and signs in thousands of accounts; under TESTING only, Argon2 runs at its
# lowest cost. A production-cost hash met there still verifies, and production rehashes any
# cheaper hash at the next sign-in (check_needs_rehash).
_TESTING_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Verifying against these keeps the time of a log-in for an unknown email like that of a real one.
_DUMMY_HASHES: dict[int, str] = {}


def _hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("TESTING"):
        return _TESTING_HASHER
    return _PRODUCTION_HASHER


def _dummy_hash(hasher: PasswordHasher) -> str:
    if id(hasher) not in _DUMMY_HASHES:
        _DUMMY_HASHES[id(hasher)] = hasher.hash("an account that does not exist")
    return _DUMMY_HASHES[id(hasher)]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.role, User.email)).scalars())


def active_users(role: Role, *, agency: str | None = None) -> list[User]:
    """The active accounts of one role (of one agency, for liaisons), as notices reach them."""
    query = select(User).where(User.role == role, User.active.is_(True))
    if agency is not None:
        query = query.where(User.agency == agency)
    return list(db.session.execute(query.order_by(User.id)).scalars())


def _user_snapshot(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "agency": user.agency,
        "active": user.active,
        "second_factor": user.totp_enabled,
        "enrolled": user.enrolled,
    }


def create_user(
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str | None,
    agency: str | None = None,
    actor: User | None,
) -> User:
    """A new account; without a password (made in the browser), it waits for its owner to
    choose one through an enrolment link (core/auth/links.py)."""
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    if len(email) > 254 or check_email(email)[1]:
        errors["email"] = ["Enter an email address such as name@bis.doc.gov."]
    elif find_user(email) is not None:
        errors["email"] = [f"An account for {email} already exists."]
    if not full_name.strip():
        errors["full_name"] = ["Enter the person's full name."]
    if problem := agency_problem(role, agency):
        errors["agency"] = [problem]
    if password is not None and (problems := password_problems(password, email=email)):
        errors["password"] = problems
    if errors:
        raise InvalidInput(errors)
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role.value,
        agency=(agency or "").strip() or None,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        failed_login_count=0,
        failures_since_sign_in=0,
    )
    db.session.add(user)
    db.session.flush()
    record_event("user.create", actor=actor, subject=("user", user.id), after=_user_snapshot(user))
    return user


def deactivate_user(user: User, *, actor: User | None) -> int:
    """Deactivate an account and end every session it has; returns how many were ended."""
    before = _user_snapshot(user)
    user.active = False
    user.deactivated_at = utcnow()
    ended = end_all_sessions(user, reason="deactivated")
    withdraw_links(user)
    record_event(
        "user.deactivate",
        actor=actor,
        subject=("user", user.id),
        before=before,
        after={**_user_snapshot(user), "sessions_ended": ended},
    )
    return ended


def withdraw_links(user: User, purposes: tuple[LinkPurpose, ...] = tuple(LinkPurpose)) -> None:
    """The account's unspent one-time links (core/auth/links.py) of those purposes stop working."""
    db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose.in_(purposes),
            AccountLink.used_at.is_(None),
            AccountLink.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


class LoginOutcome(enum.Enum):
    SIGNED_IN = "signed in"
    NEEDS_SECOND_FACTOR = "needs second factor"
    BAD_CREDENTIALS = "bad credentials"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


def _password_matches(user: User | None, password: str) -> bool:
    try:
        hasher = _hasher()
        # An account still waiting for its enrolment has no password: it takes as long to refuse.
        stored = user.password_hash if user and user.password_hash else _dummy_hash(hasher)
        return hasher.verify(stored, password) and user is not None and user.enrolled
    except (VerificationError, InvalidHashError):
        return False


# The audit events of a failed password or second-factor code; each counts towards lock-out.
FAILED_SIGN_IN_ACTIONS = ("auth.login", "auth.second_factor")


def _count_failed_sign_in(user: User, now: datetime) -> None:
    """Update the user's lock-out state for a failed sign-in at ``now``.

    The user row keeps only when the current run of failures began; the times of the failures
    since then come from the audit trail, which records every one.
    """
    since = user.first_failed_login_at
    earlier = (
        db.session.scalars(
            select(AuditEvent.occurred_at).where(
                AuditEvent.actor_id == user.id,
                AuditEvent.action.in_(FAILED_SIGN_IN_ACTIONS),
                AuditEvent.outcome == FAILURE,
                AuditEvent.occurred_at >= since,
            )
        ).all()
        if since is not None
        else []
    )
    user.lockout_state = after_failed_login(earlier, now)
    user.last_failed_sign_in_at = now
    user.failures_since_sign_in = (user.failures_since_sign_in or 0) + 1


def tell_owner_of_lockout(user: User) -> None:
    """The one place that tells an account's owner it was locked after failed sign-ins.

    The sign-in page answers a locked account exactly as it answers an address with no account,
    so the owner is told here instead: the audit trail records it, and the owner reads it at
    their next sign-in (``lockouts_since_last_sign_in``). An email to the owner belongs here too,
    once the system sends notifications.
    """
    record_event(
        "auth.lockout", actor=user, subject=("user", user.id), after={"until": user.locked_until}
    )


def lockouts_since_last_sign_in(user: User) -> list[datetime]:
    """When the account was locked since its owner last signed in, oldest first."""
    last_sign_in = db.session.scalar(
        select(func.max(AuditEvent.occurred_at)).where(
            AuditEvent.actor_id == user.id,
            AuditEvent.action == "auth.login",
            AuditEvent.outcome == SUCCESS,
        )
    )
    query = select(AuditEvent.occurred_at).where(
        AuditEvent.actor_id == user.id, AuditEvent.action == "auth.lockout"
    )
    if last_sign_in is not None:
        query = query.where(AuditEvent.occurred_at > last_sign_in)
    return list(db.session.scalars(query.order_by(AuditEvent.occurred_at)))


def check_password(email: str, password: str) -> LoginResult:
    """The first step of log-in: the password, with lock-out after repeated failures."""
    user = find_user(email)
    now = utcnow()
    # Checked whatever the account's state, so that a locked account takes as long to answer.
    matches = _password_matches(user, password)
    if user is not None and is_locked(user.lockout_state, now):
        record_event("auth.login", actor=user, outcome=DENIED, after={"reason": "locked"})
        return LoginResult(LoginOutcome.LOCKED, user)
    if not matches or user is None or not user.active:
        if user is not None:
            _count_failed_sign_in(user, now)
            reason = (
                "inactive account"
                if not user.active
                else "not enrolled"
                if not user.enrolled
                else "wrong password"
            )
        else:
            reason = "unknown account"
        record_event(
            "auth.login",
            actor=user,
            actor_label=normalise_email(email)[:254],
            outcome=FAILURE,
            after={"reason": reason},
        )
        if user is not None and is_locked(user.lockout_state, now):
            tell_owner_of_lockout(user)
            return LoginResult(LoginOutcome.LOCKED, user)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if user.password_hash and _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.totp_enabled:
        return LoginResult(LoginOutcome.NEEDS_SECOND_FACTOR, user)
    return LoginResult(LoginOutcome.SIGNED_IN, user)


def _totp_for(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def _matching_step(secret: str, code: str, last_used_step: int | None) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), never reused."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = _totp_for(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step, now_step - 1, now_step + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_second_factor(user: User, code: str) -> bool:
    """The second step of log-in; a failed code counts towards lock-out like a password."""
    now = utcnow()
    if is_locked(user.lockout_state, now) or user.totp_secret_encrypted is None:
        return False
    step = _matching_step(
        crypto.decrypt(user.totp_secret_encrypted), code, user.totp_last_used_step
    )
    if step is None:
        _count_failed_sign_in(user, now)
        record_event(
            "auth.second_factor", actor=user, outcome=FAILURE, after={"reason": "wrong code"}
        )
        return False
    user.totp_last_used_step = step
    return True


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return _totp_for(secret).provisioning_uri(name=user.email, issuer_name="OICTS Case System")


def enable_second_factor(user: User, secret: str, code: str) -> bool:
    """Turn the second factor on once the person proves their authenticator has the secret."""
    step = _matching_step(secret, code, None)
    if step is None:
        record_event("auth.second_factor_enrol", actor=user, outcome=FAILURE)
        return False
    user.totp_secret_encrypted = crypto.encrypt(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_used_step = step
    user.second_factor_reset_at = None
    record_event("auth.second_factor_enrol", actor=user, subject=("user", user.id))
    return True


# --- Server-side sessions -----------------------------------------------------------------


def start_session(user: User) -> str:
    """Record a new log-in session and return the token to keep in the signed cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    user.lockout_state = LockoutState()
    user.last_sign_in_at, user.failures_since_sign_in = now, 0
    db.session.add(
        UserSession(
            token_hash=crypto.token_digest(token),
            user=user,
            created_at=now,
            last_seen_at=now,
            remote_addr=request.remote_addr if has_request_context() else None,
            user_agent=(request.user_agent.string[:300] if has_request_context() else None),
        )
    )
    record_event("auth.login", actor=user, subject=("user", user.id))
    return token


def _session_for(token: str) -> UserSession | None:
    """The session of ``token`` with its user, in one query: every page asks for both."""
    return db.session.execute(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == crypto.token_digest(token))
    ).scalar_one_or_none()


def resume_session(token: str | None, user_id: str) -> User | None:
    """The user of a live session; ends sessions past their idle or absolute limit."""
    if not token:
        return None
    session = _session_for(token)
    if session is None or session.ended_at is not None or str(session.user_id) != user_id:
        return None
    now = utcnow()
    if reason := session_end_reason(session.created_at, session.last_seen_at, now):
        _end(session, reason)
        record_event("auth.session_expired", actor=session.user, after={"reason": reason})
        # Committed at once, before any view runs (core.access): the end of a session is kept
        # whatever the page answers, and carries none of a view's work.
        db.session.commit()
        return None
    if not session.user.active:
        return None
    if activity_worth_recording(session.last_seen_at, now):
        # Committed at once: the user is loaded before any view runs (core.access), so nothing
        # else is pending, and a page that only reads must still keep its session alive.
        session.last_seen_at = now
        db.session.commit()
    return session.user


def _end(session: UserSession, reason: str) -> None:
    session.ended_at = utcnow()
    session.end_reason = reason


def end_session(token: str | None, user: User) -> None:
    session = _session_for(token) if token else None
    if session is not None and session.ended_at is None:
        _end(session, "logout")
    record_event("auth.logout", actor=user, subject=("user", user.id))


def end_all_sessions(user: User, *, reason: str) -> int:
    live = db.session.execute(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).scalars()
    count = 0
    for session in live:
        _end(session, reason)
        count += 1
    return count


def live_sessions(user: User) -> list[UserSession]:
    """The person's sessions still alive, newest first (one past its limits is not, even
    before its next request ends it)."""
    now = utcnow()
    found = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    )
    return [
        session
        for session in found
        if session_end_reason(session.created_at, session.last_seen_at, now) is None
    ]


def is_current(session: UserSession, token: str | None) -> bool:
    return token is not None and session.token_hash == crypto.token_digest(token)


def end_own_session(user: User, session_id: int, *, current_token: str | None) -> bool:
    """End one of the person's other sessions (a browser left signed in elsewhere); False when
    it is not theirs, not alive or the one in use (which "Sign out" ends)."""
    session = db.session.get(UserSession, session_id)
    if session is None or session.user_id != user.id or session.ended_at is not None:
        return False
    if is_current(session, current_token):
        return False
    _end(session, "ended_by_owner")
    record_event(
        "auth.session_end",
        actor=user,
        subject=("user", user.id),
        after={"session": session.id, "started": session.created_at},
    )
    return True


def _end_other_sessions(user: User, *, keep_token: str | None, reason: str) -> int:
    keep = crypto.token_digest(keep_token) if keep_token else None
    ended = 0
    for session in live_sessions(user):
        if session.token_hash != keep:
            _end(session, reason)
            ended += 1
    return ended


def set_password(user: User, password: str, *, field: str = "password") -> None:
    """Store a new password once it passes the rules (NIST SP 800-63B-4 §3.1.1.2); the
    message goes to ``field`` of the form."""
    if problems := password_problems(
        password, email=user.email, has_second_factor=user.totp_enabled
    ):
        raise InvalidInput({field: problems})
    user.password_hash = hash_password(password)


class WrongPassword(InvalidInput):
    """The current password given was not the account's; its audit event is to be kept."""


def change_own_password(user: User, *, current: str, new: str, keep_token: str | None) -> int:
    """The person changes their password, proving the current one; every other session ends
    (whoever else held one must sign in with the new password), this one is kept. Returns
    how many ended."""
    if not _password_matches(user, current):
        record_event(
            "user.password_change",
            actor=user,
            subject=("user", user.id),
            outcome=FAILURE,
            after={"reason": "wrong current password"},
        )
        raise WrongPassword({"current_password": ["This is not your current password."]})
    if current == new:
        raise InvalidInput({"new_password": ["Choose a password other than your current one."]})
    set_password(user, new, field="new_password")
    ended = _end_other_sessions(user, keep_token=keep_token, reason="password_changed")
    record_event(
        "user.password_change",
        actor=user,
        subject=("user", user.id),
        after={"other_sessions_ended": ended},
    )
    return ended


def count_users() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()
