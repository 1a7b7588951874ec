"""Command-line tools: ``flask users ...``, ``flask audit verify|checkpoint``,
``flask keys rotate``, ``flask rate-limits prune`` and ``flask db grant-app-role``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate.cli import db as migrations_cli

from core import keys, transactions
from core.audit import services as audit
from core.auth import services
from core.auth.rules import CONSULTED_AGENCIES, RoleError, parse_role
from core.database_roles import RoleRefused, grant_application_role
from core.errors import InvalidInput
from core.jobs.cli import jobs_cli
from core.rate_limits import storage as rate_limit_storage

users_cli = AppGroup("users", help="Manage user accounts.")
audit_cli = AppGroup("audit", help="Check and anchor the audit trail.")
keys_cli = AppGroup("keys", help="Rotate the field encryption key.")
rate_limits_cli = AppGroup("rate-limits", help="Keep the rate limits' counters.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, help="analyst, reviewer, admin, liaison or viewer")
@click.option("--agency", default=None, help=f"Liaisons only: {', '.join(CONSULTED_AGENCIES)}")
@click.option("--name", "full_name", default=None, help="Full name (default: from the email)")
@click.option("--password", default=None, help="Prompted for (hidden) when not given")
@transactions.command
def create_user_command(
    email: str, role: str, agency: str | None, full_name: str | None, password: str | None
) -> None:
    """Create an account."""
    try:
        role_enum = parse_role(role)
    except RoleError as error:
        raise click.BadParameter(str(error), param_hint="--role") from None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = full_name or email.split("@", 1)[0].replace(".", " ").title()
    try:
        user = services.create_user(
            email=email,
            full_name=name,
            role=role_enum,
            password=password,
            agency=agency,
            actor=None,
        )
    except InvalidInput as error:
        for field, messages in error.field_errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Created {user.email} ({user.role}{', ' + user.agency if user.agency else ''}).")


@users_cli.command("list")
def list_users_command() -> None:
    """List every account."""
    for user in services.list_users():
        status = "active" if user.active else "deactivated"
        factor = "2FA" if user.totp_enabled else "password only"
        agency = f" [{user.agency}]" if user.agency else ""
        click.echo(f"{user.email:40} {user.role:9}{agency:12} {status:12} {factor}")


@users_cli.command("deactivate")
@click.argument("email")
@transactions.command
def deactivate_user_command(email: str) -> None:
    """Deactivate an account and end its sessions."""
    user = services.find_user(email)
    if user is None:
        click.echo(f"No account for {email}.", err=True)
        raise SystemExit(1)
    ended = services.deactivate_user(user, actor=None)
    click.echo(f"Deactivated {user.email}; ended {ended} session(s).")


def _verified() -> audit.Verification:
    """The whole chain checked against its checkpoints; exit 1 naming what is broken if not."""
    try:
        return audit.verified_trail()
    except audit.TrailBroken as broken:
        click.echo(str(broken), err=True)
        raise SystemExit(1) from None


@audit_cli.command("verify")
def verify_audit_command() -> None:
    """Check that the audit chain is whole and agrees with its checkpoints; exit 1 naming the
    first broken event if not (the scheduler runs the same check daily, core.audit.checks)."""
    verification = _verified()
    click.echo(audit.verified_sentence(verification))
    if agreed := audit.checkpoints_sentence(verification):
        click.echo(agreed)
    else:
        click.echo(audit.no_checkpoint_sentence(), err=True)


@audit_cli.command("checkpoint")
@transactions.command
def checkpoint_audit_command() -> None:
    """Verify the audit chain, then append its signed head to the checkpoint file (run daily)."""
    checkpoint = audit.append_checkpoint(_verified())
    click.echo(
        f"Checkpoint written to {audit.checkpoint_file()}: event #{checkpoint.seq} at "
        f"{checkpoint.at}."
    )


@migrations_cli.command("grant-app-role")
@click.argument("role")
@transactions.command
def grant_app_role_command(role: str) -> None:
    """As the owner role, after each upgrade: let ROLE, the role the application connects as,
    use every table but never change or remove an audit event (PostgreSQL)."""
    try:
        grant_application_role(role)
    except RoleRefused as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    click.echo(f"{role} may now run the application; it cannot change or remove audit events.")


@keys_cli.command("rotate")
@transactions.command
def rotate_keys_command() -> None:
    """Seal every encrypted field with FIELD_ENCRYPTION_KEY; afterwards the keys listed in
    FIELD_ENCRYPTION_RETIRED_KEYS can be dropped."""
    try:
        resealed = keys.reseal_every_field()
    except ValueError as error:
        click.echo(f"Nothing was changed: {error}.", err=True)
        raise SystemExit(1) from None
    for column, count in resealed.items():
        click.echo(f"{column}: {count:,} resealed")
    click.echo("Every encrypted field is sealed with the current key.")


@rate_limits_cli.command("prune")
@transactions.command
def prune_rate_limits_command() -> None:
    """Remove the rate limits' counters whose window has ended (run daily)."""
    click.echo(f"{rate_limit_storage.prune_expired():,} ended counter(s) removed.")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(rate_limits_cli)
