"""Receiving filings: stored whole and exactly as received, with receipts and clocks."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.deadlines.models import Deadline
from intake import registry as provider_registry
from intake import services
from intake.examples import payload
from intake.models import Filing
from tests.factories import make_provider, make_user

# 15:00 UTC is 10:00 in Washington, the same calendar day.
MARCH_15 = datetime(2026, 3, 15, 15, 0, tzinfo=UTC)


def _submit(provider, kind, data=None, *, at=MARCH_15, actor=None, **extra):
    data = payload(kind) if data is None else data
    submission = services.Submission(
        kind=kind, payload=data, raw=json.dumps({"kind": kind, "payload": data}), **extra
    )
    received = services.receive_filing(provider, submission, actor=actor, received_at=at)
    db.session.commit()
    return received.filing


def _annual_clocks(provider):
    return db.session.scalars(
        select(Deadline)
        .where(
            Deadline.clock_key == "cip.annual_certification",
            Deadline.subject_id == str(provider.id),
        )
        .order_by(Deadline.id)
    ).all()


def test_a_certification_is_stored_as_received_with_a_receipt_and_the_annual_clock(app):
    analyst = make_user(Role.ANALYST)
    provider = make_provider("Northwind Cloud Services, Inc.")
    filing = _submit(provider, "cip_certification", actor=analyst, channel="web")
    assert filing.receipt_number == "OICTS-2026-000001"
    assert json.loads(filing.raw_payload)["payload"]["primary_contact_phone"] == "(206) 555-0142"
    assert filing.data["primary_contact_phone"] == "+12065550142"
    assert len(filing.payload_sha256) == 64
    assert filing.rules_version
    assert provider.contact_phone == "+12065550142"
    [clock] = _annual_clocks(provider)
    assert clock.started_on == date(2026, 3, 15)
    assert clock.due_on == date(2027, 3, 15)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "filing.receive")
    ).one()
    assert event.subject_id == filing.receipt_number


@pytest.mark.parametrize(
    ("days_later", "verdict", "clock_restarted"),
    [(300, "too early", False), (330, "on time", True), (366, "late", True)],
)
def test_an_annual_certification_is_judged_and_flagged_never_refused(
    app, days_later, verdict, clock_restarted
):
    provider = make_provider()
    _submit(provider, "cip_certification", channel="web")
    annual = _submit(
        provider, "annual_certification", at=MARCH_15 + timedelta(days=days_later), channel="web"
    )
    assert annual.timeliness == verdict
    assert bool(annual.warnings) is (verdict != "on time")
    assert annual.warning_count == len(annual.warnings)
    clocks = _annual_clocks(provider)
    assert (clocks[0].met_on is not None) is clock_restarted
    assert len(clocks) == (2 if clock_restarted else 1)


def test_a_filing_with_errors_stores_nothing(app):
    provider = make_provider()
    with pytest.raises(services.FilingRejected) as rejected:
        _submit(
            provider,
            "cip_certification",
            payload("cip_certification", employee_count=-1),
            channel="web",
        )
    assert rejected.value.problems[0].path == "employee_count"
    db.session.rollback()
    assert db.session.scalars(select(Filing)).all() == []


def test_the_same_idempotency_key_and_payload_give_the_same_receipt(app):
    provider = make_provider()
    first = _submit(provider, "cip_certification", channel="api", idempotency_key="k-1")
    again = _submit(provider, "cip_certification", channel="api", idempotency_key="k-1")
    assert again.id == first.id
    assert len(db.session.scalars(select(Filing)).all()) == 1
    with pytest.raises(services.IdempotencyConflict, match=first.receipt_number):
        _submit(
            provider,
            "cip_certification",
            payload("cip_certification", employee_count=1),
            channel="api",
            idempotency_key="k-1",
        )


def test_a_correction_supersedes_and_leaves_the_original_untouched(app):
    provider = make_provider()
    original = _submit(provider, "cip_certification", channel="web")
    raw_before = original.raw_payload
    corrected = _submit(
        provider,
        "cip_certification",
        payload("cip_certification", employee_count=450),
        channel="web",
        supersedes=original.receipt_number,
    )
    assert corrected.supersedes_id == original.id
    assert original.raw_payload == raw_before
    assert [f.id for f in services.chain_of(original)] == [original.id, corrected.id]
    with pytest.raises(services.FilingRejected, match="already corrected"):
        _submit(provider, "cip_certification", channel="web", supersedes=original.receipt_number)


def test_a_change_of_primary_contact_updates_the_registry(app):
    provider = make_provider()
    _submit(provider, "irregular_update", channel="web")
    assert provider.contact_name == "Henry Boateng"
    assert provider.contact_phone == "+12065550199"


def test_receipt_numbers_are_unique_and_consecutive_under_concurrent_submissions(app):
    def take_number(_):
        with app.app_context():
            number = services.next_receipt_number(2031)
            db.session.commit()
            return number

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(take_number, range(30)))
    assert sorted(numbers) == [f"OICTS-2031-{n:06d}" for n in range(1, 31)]


def test_a_correction_does_not_move_the_annual_clock(app):
    # Certified 2026-03-15; corrected a month later. The annual certification is due a year
    # after the certification itself (§7.304(b)), so one received 2027-02-01 is in the window.
    provider = make_provider()
    original = _submit(provider, "cip_certification", channel="web")
    _submit(
        provider, "cip_certification", payload("cip_certification", employee_count=450),
        channel="web", supersedes=original.receipt_number, at=MARCH_15 + timedelta(days=30),
    )  # fmt: skip
    assert services.last_certification(provider).id == original.id
    annual = _submit(
        provider, "annual_certification", channel="web", at=datetime(2027, 2, 1, 15, tzinfo=UTC)
    )
    assert annual.timeliness == "on time"
    (row,) = [
        row
        for row in provider_registry.registry(date(2027, 2, 1))
        if row.provider.id == provider.id
    ]
    assert row.last_certified_on == date(2027, 2, 1)
    assert [clock.met_on for clock in _annual_clocks(provider)] == [date(2027, 2, 1), None]


def test_a_contact_change_for_a_reseller_not_on_record_is_kept_and_flagged(app):
    provider = make_provider()
    data = payload(
        "irregular_update", change_type="reseller_primary_contact", reseller_name="Nowhere GmbH"
    )
    filing = _submit(provider, "irregular_update", data, channel="api")
    (warning,) = filing.warnings
    assert warning["field"] == "reseller_name"
    assert "Nowhere GmbH is not on the provider's list of foreign resellers" in warning["message"]


def _kept_and_recounted(provider):
    kept = provider.last_certified_on
    provider_registry.recount_last_certified([provider.id])
    db.session.expire(provider)
    return kept, provider.last_certified_on


def test_the_registry_keeps_the_day_of_each_providers_last_certification(app):
    provider = make_provider()
    assert _kept_and_recounted(provider) == (None, None)
    _submit(provider, "cip_certification", channel="web")
    assert _kept_and_recounted(provider) == (date(2026, 3, 15), date(2026, 3, 15))
    # Neither an update, nor a certification too early (§7.304(b)), nor a correction moves it.
    _submit(provider, "irregular_update", at=MARCH_15 + timedelta(days=20), channel="web")
    _submit(provider, "annual_certification", at=MARCH_15 + timedelta(days=300), channel="web")
    assert _kept_and_recounted(provider) == (date(2026, 3, 15), date(2026, 3, 15))
    late = _submit(
        provider, "annual_certification", at=MARCH_15 + timedelta(days=370), channel="web"
    )
    _submit(
        provider,
        "annual_certification",
        at=MARCH_15 + timedelta(days=380),
        channel="web",
        supersedes=late.receipt_number,
    )
    assert _kept_and_recounted(provider) == (date(2027, 3, 20), date(2027, 3, 20))
    # A certification keyed in later with an earlier day of receipt leaves the later day.
    _submit(provider, "annual_certification", at=MARCH_15 + timedelta(days=340), channel="web")
    assert _kept_and_recounted(provider) == (date(2027, 3, 20), date(2027, 3, 20))
    (row,) = [
        row
        for row in provider_registry.registry(date(2027, 4, 1))
        if row.provider.id == provider.id
    ]
    assert (row.last_certified_on, row.status.value) == (date(2027, 3, 20), "current")


def test_a_filing_cannot_keep_a_count_of_warnings_other_than_its_warnings(app):
    filing = _submit(make_provider(), "cip_certification", channel="web")
    miscounted = update(Filing).where(Filing.id == filing.id).values(warning_count=1)
    with pytest.raises(IntegrityError):
        db.session.execute(miscounted)
