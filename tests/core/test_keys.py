"""Rotating the field encryption key: `flask keys rotate` seals every encrypted field with the
new key, after which the old one can be dropped."""

import base64
import json
import secrets

import pytest
from sqlalchemy import select

from core import crypto
from core.audit.models import AuditEvent
from core.auth.models import User
from core.db import db
from core.jobs.models import JobInput
from intake.models import Filing, ReportIdentifier
from intake.resellers import services as reseller_services
from tests.factories import file_report, make_admin, make_provider
from tests.intake.resellers.test_import import csv_file, reseller


def _sealed_values():
    return {
        "second factor": db.session.scalar(
            select(User.totp_secret_encrypted).where(User.totp_secret_encrypted.is_not(None))
        ),
        "filing as received": db.session.scalar(
            select(Filing.raw_payload).where(Filing.raw_encrypted.is_(True))
        ),
        "payment identifier": db.session.scalar(
            select(ReportIdentifier.ciphertext).where(ReportIdentifier.ciphertext.is_not(None))
        ),
        "a job's uploaded file": db.session.scalar(select(JobInput.sealed_content)),
    }


def _opened(value: str | bytes) -> str | bytes:
    return crypto.decrypt_bytes(value) if isinstance(value, bytes) else crypto.decrypt(value)


def test_after_rotation_the_old_key_can_be_dropped(app):
    make_admin()
    provider = make_provider()
    file_report(provider)
    # A compiled file waiting for the job worker, kept sealed.
    reseller_services.start_reseller_import(
        provider, filename="resellers.csv", content=csv_file([reseller()]), actor=make_admin()
    )
    db.session.commit()
    # That request is over; its job is in the queue, whose worker is not running here.
    db.session.remove()
    before = _sealed_values()
    assert all(before.values()), before
    plaintexts = {what: _opened(value) for what, value in before.items()}
    old_key = app.config["FIELD_ENCRYPTION_KEY"]
    new_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

    app.config["FIELD_ENCRYPTION_KEY"] = new_key
    with pytest.raises(ValueError, match="wrong FIELD_ENCRYPTION_KEY"):
        crypto.decrypt(before["second factor"])  # the old key is no longer configured
    app.config["FIELD_ENCRYPTION_RETIRED_KEYS"] = [old_key]
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "report_identifiers.ciphertext: 3 resealed" in result.output  # the example has three

    db.session.expire_all()
    app.config["FIELD_ENCRYPTION_RETIRED_KEYS"] = []
    after = _sealed_values()
    assert all(after[what] != before[what] for what in before)
    assert {what: _opened(value) for what, value in after.items()} == plaintexts
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "keys.reseal"))
    assert json.loads(event.after_json)["filings.raw_payload"] == 1
    assert json.loads(event.after_json)["job_inputs.sealed_content"] == 1
    assert event.actor_label == "flask keys rotate"


def test_rotation_without_the_key_that_sealed_a_value_changes_nothing(app):
    make_admin()
    before = _sealed_values()["second factor"]
    app.config["FIELD_ENCRYPTION_KEY"] = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 1
    assert "Nothing was changed" in result.output
    db.session.expire_all()
    assert _sealed_values()["second factor"] == before
