"""``flask users create | list | deactivate``."""

from core.auth import services
from core.db import db
from tests.factories import log_in


def test_create_list_and_deactivate(app):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["users", "create", "ada.reviewer@oicts.example", "--role", "reviewer",
              "--password", "granite-meadow-signal-77"]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "Created ada.reviewer@oicts.example (reviewer)" in created.output
    liaison = runner.invoke(
        args=["users", "create", "li@dhs.example", "--role", "liaison", "--agency", "DHS",
              "--password", "granite-meadow-signal-78"]
    )  # fmt: skip
    assert liaison.exit_code == 0, liaison.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "ada.reviewer@oicts.example" in listing
    assert "[DHS]" in listing

    client = app.test_client()
    user = services.find_user("ada.reviewer@oicts.example")
    log_in(client, user, "granite-meadow-signal-77")
    assert client.get("/").status_code == 200
    result = runner.invoke(args=["users", "deactivate", "ada.reviewer@oicts.example"])
    assert "ended 1 session(s)" in result.output
    assert client.get("/").status_code == 302


def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_created(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "weak@oicts.example",
            "--role",
            "analyst",
            "--password",
            "password",
        ]
    )
    assert result.exit_code == 2
    assert "password: Use at least 15 characters" in result.output
    db.session.rollback()
    assert services.find_user("weak@oicts.example") is None


def test_a_breached_passphrase_is_refused_with_a_field_message(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "xkcd@oicts.example", "--role", "analyst",
              "--password", "correcthorsebatterystaple"]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "password: This password is on a list of commonly used or breached passwords." in (
        result.output
    )
    db.session.rollback()
    assert services.find_user("xkcd@oicts.example") is None


def test_a_liaison_needs_an_agency_and_a_role_must_exist(app):
    runner = app.test_cli_runner()
    no_agency = runner.invoke(
        args=[
            "users",
            "create",
            "l@x.example",
            "--role",
            "liaison",
            "--password",
            "granite-meadow-signal-79",
        ]
    )
    assert no_agency.exit_code == 2
    assert "A liaison must belong to an agency" in no_agency.output
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "r@x.example",
            "--role",
            "root",
            "--password",
            "granite-meadow-signal-80",
        ]
    )
    assert unknown.exit_code == 2
    assert "Unknown role 'root'" in unknown.output


def test_the_password_is_prompted_when_not_given(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "prompted@oicts.example", "--role", "viewer"],
        input="granite-meadow-signal-81\ngranite-meadow-signal-81\n",
    )
    assert result.exit_code == 0, result.output
    assert services.find_user("prompted@oicts.example") is not None


def test_deactivating_an_unknown_account_fails(app):
    result = app.test_cli_runner().invoke(args=["users", "deactivate", "ghost@oicts.example"])
    assert result.exit_code == 1
    assert "No account for ghost@oicts.example." in result.output


def test_an_address_mail_would_refuse_gets_no_account(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "ada..reviewer@oicts.example", "--role", "reviewer",
              "--password", "granite-meadow-signal-79"]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Enter an email address such as name@bis.doc.gov." in result.output
    db.session.rollback()
    assert services.find_user("ada..reviewer@oicts.example") is None
