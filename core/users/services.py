"""What administrators do to accounts in the browser: make one (its owner chooses the password
through an enrolment link), change its role and agency, deactivate and reactivate it, reset its
second factor, and read its history. Every change is audited with the account as its subject,
and nobody does these to their own account (separation of duties, docs/architecture.md §8)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from core.audit.models import AuditEvent
from core.audit.services import record_event
from core.auth import links
from core.auth import services as accounts
from core.auth.models import User
from core.auth.rules import Role, agency_problem, own_account_refusal
from core.db import db, utcnow
from core.errors import IllegalTransition, InvalidInput

SUBJECT = "user"
# The account's page shows its latest events; the audit trail, filtered to it, has them all.
HISTORY_SHOWN = 100


def users_query() -> Select[tuple[User]]:
    return select(User)


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _refuse_own(action: str, user: User, actor: User) -> None:
    if refusal := own_account_refusal(action, actor_id=actor.id, user_id=user.id):
        raise IllegalTransition(refusal)


@dataclass(frozen=True)
class NewAccount:
    user: User
    # The enrolment link's address, only where no mail server is set: shown once, kept nowhere.
    link_to_hand_over: str | None


def create_account(
    *, email: str, full_name: str, role: Role, agency: str | None, actor: User
) -> NewAccount:
    """An account without a password, and its enrolment link sent to its owner."""
    user = accounts.create_user(
        email=email, full_name=full_name, role=role, password=None, agency=agency, actor=actor
    )
    return NewAccount(user, links.send_enrolment_link(user, actor=actor))


def send_new_enrolment_link(user: User, *, actor: User) -> str | None:
    """Another enrolment link (the first expired or went astray); the older one stops working."""
    if user.enrolled:
        raise IllegalTransition("This person has chosen a password already.")
    if not user.active:
        raise IllegalTransition("Reactivate the account before sending it an enrolment link.")
    return links.send_enrolment_link(user, actor=actor)


def change_role(user: User, *, role: Role, agency: str | None, actor: User) -> bool:
    """Another role (and agency, which only a liaison has); False when nothing changed. The
    next page the person opens reads the new role (an administrator's needs a second factor
    first, core/access.py)."""
    _refuse_own("role", user, actor)
    agency = (agency or "").strip() or None
    if problem := agency_problem(role, agency):
        raise InvalidInput({"agency": [problem]})
    before = {"role": str(user.role), "agency": user.agency}
    after = {"role": role.value, "agency": agency}
    if before == after:
        return False
    user.role, user.agency = role.value, agency
    db.session.flush()
    record_event("user.role_change", actor=actor, subject=(SUBJECT, user.id), before=before,
                 after=after)  # fmt: skip
    return True


def deactivate(user: User, *, actor: User) -> int:
    """The account can no longer sign in, and every session it has ends now."""
    _refuse_own("deactivate", user, actor)
    if not user.active:
        raise IllegalTransition("This account is deactivated already.")
    return accounts.deactivate_user(user, actor=actor)


def reactivate(user: User, *, actor: User) -> None:
    """The account may sign in again (with its password; a new session each time)."""
    if user.active:
        raise IllegalTransition("This account is active already.")
    user.active, user.deactivated_at = True, None
    db.session.flush()
    record_event("user.reactivate", actor=actor, subject=(SUBJECT, user.id),
                 before={"active": False}, after={"active": True})  # fmt: skip


def reset_second_factor(user: User, *, actor: User) -> int:
    """The authenticator is forgotten (lost, or perhaps copied): the account's sessions end and
    its owner sets up a new one at their next sign-in, whatever their role. Returns how many
    sessions ended."""
    _refuse_own("second_factor", user, actor)
    if not user.totp_enabled:
        raise IllegalTransition("This account has no second factor to reset.")
    user.totp_secret_encrypted = None
    user.totp_enabled_at = None
    user.totp_last_used_step = None
    user.second_factor_reset_at = utcnow()
    ended = accounts.end_all_sessions(user, reason="second_factor_reset")
    db.session.flush()
    record_event("user.second_factor_reset", actor=actor, subject=(SUBJECT, user.id),
                 before={"second_factor": True},
                 after={"second_factor": False, "sessions_ended": ended})  # fmt: skip
    return ended


def history_of(user: User) -> list[AuditEvent]:
    """What was done to and by the account as its subject, newest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id == str(user.id))
            .order_by(AuditEvent.seq.desc())
            .limit(HISTORY_SHOWN)
        )
    )
