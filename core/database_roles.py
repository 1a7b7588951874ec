"""The PostgreSQL role the application connects as: it reads and writes the case data and adds
to the audit trail, but cannot change or remove an audit event, move the trail's head by hand,
or switch the database's triggers off (only the tables' owner or a superuser can).

Migrations run as the owner role (scripts/postgres-roles.sql makes both roles); the owner then
grants the application role its rights with ``flask db grant-app-role ROLE``, after every
upgrade, since an upgrade may add tables.
"""

from __future__ import annotations

from sqlalchemy import text

from core.db import db
from core.errors import DomainError


class RoleRefused(DomainError):
    pass


def _privileges(role: str) -> list[str]:
    quote = db.engine.dialect.identifier_preparer.quote
    grantee, database = quote(role), quote(db.engine.url.database or "")
    return [
        # TEMPORARY: a compiled reseller list is staged in a temporary table of the session's
        # own before it is written (intake/resellers/upsert.py).
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {grantee}",
        f"GRANT USAGE ON SCHEMA public TO {grantee}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}",
        # Tables a later migration adds are usable at once; this command, run again after the
        # upgrade, takes back whatever must stay append-only.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {grantee}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {grantee}",
        # The audit trail is append-only for the application; its head only moves forward.
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {grantee}",
        f"REVOKE INSERT, DELETE, TRUNCATE ON audit_head FROM {grantee}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {grantee}",
    ]


def grant_application_role(role: str) -> None:
    """Give ``role`` the application's rights on this database (run as the owner role)."""
    if db.engine.dialect.name != "postgresql":
        raise RoleRefused("Only PostgreSQL has roles; a SQLite file is guarded by its file rights.")
    found = db.session.execute(
        text(
            "SELECT rolsuper OR rolbypassrls, "
            "pg_has_role(rolname, (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename = 'audit_events'), 'MEMBER') "
            "FROM pg_roles WHERE rolname = :role"
        ),
        {"role": role},
    ).one_or_none()
    if found is None:
        raise RoleRefused(f"There is no role {role}: make it with scripts/postgres-roles.sql.")
    is_superuser, owns_the_tables = found
    if is_superuser:
        raise RoleRefused(
            f"{role} is a superuser (or bypasses row security): the application must not connect "
            "as one, since it could switch the audit trail's triggers off."
        )
    if owns_the_tables:
        raise RoleRefused(
            f"{role} owns the tables (or is a member of their owner), so it could switch the "
            "audit trail's triggers off: the application needs a role of its own."
        )
    for statement in _privileges(role):
        db.session.execute(text(statement))
