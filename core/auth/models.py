"""Users and their server-side log-in sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.auth.rules import LinkPurpose, LockoutState, Role, needs_second_factor
from core.db import ENCRYPTED, UTCDateTime, coded, db, utcnow


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'liaison') = (agency IS NOT NULL)", name="agency_only_for_liaisons"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(coded(Role, constraint="role_known", length=20))
    agency: Mapped[str | None] = mapped_column(String(80))
    # None until the person chooses a password through their enrolment link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(300), info=ENCRYPTED)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_used_step: Mapped[int | None] = mapped_column(Integer)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the account's page shows administrators: the failures count every failed password
    # or code since the last sign-in (the lock-out's own count restarts with each lock-out).
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failed_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures_since_sign_in: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when an administrator resets the second factor: the person sets one up again at
    # their next sign-in, whatever their role.
    second_factor_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def enrolled(self) -> bool:
        """Whether the person has chosen a password (an account made in the browser waits for
        its enrolment link until then)."""
        return self.password_hash is not None

    @property
    def must_set_up_second_factor(self) -> bool:
        """Administrators always need one; anyone whose factor was reset needs a new one."""
        required = needs_second_factor(self.role_enum) or self.second_factor_reset_at is not None
        return required and not self.totp_enabled

    @property
    def lockout_state(self) -> LockoutState:
        return LockoutState(self.failed_login_count, self.first_failed_login_at, self.locked_until)

    @lockout_state.setter
    def lockout_state(self, state: LockoutState) -> None:
        self.failed_login_count = state.failures
        self.first_failed_login_at = state.first_failure_at
        self.locked_until = state.locked_until

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, *roles: Role) -> bool:
        return self.role_enum in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UserSession(db.Model):
    """A log-in session kept on the server, so that log-out and deactivation end it for good."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(back_populates="sessions")


class AccountLink(db.Model):
    """A one-time link that lets a person choose a password: the enrolment link of a new
    account, or the link a forgotten password asks for. Only its token's SHA-256 is kept."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        coded(LinkPurpose, constraint="purpose_known", length=20)
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A newer link of the same purpose, or the account's deactivation, withdraws it.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
