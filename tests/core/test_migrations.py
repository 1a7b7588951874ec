"""The Alembic migrations build exactly the schema the models describe, on both back ends."""

import hashlib
import json
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.exc import IntegrityError

from casework import rules as casework_rules
from casework import services as casework
from casework.oversight import rules as oversight_rules
from casework.oversight import services as oversight_services
from casework.penalties import services as penalties
from core import counters
from core.auth.rules import Role
from core.db import db
from core.jobs.queue import POSTGRES_TABLE_PREFIX
from core.jobs.services import send_committed
from core.parameters.models import RuleParameter
from intake.ai import ip_logs
from intake.models import IpLogAttachment
from special_measures import services as measures
from special_measures.rules import ReferralSource, SubjectKind
from tests.factories import (
    file_report,
    make_filing,
    make_provider,
    make_resellers,
    make_user,
    violations_of,
)


def _has_a_model(name: str | None, type_: str, parent_names: dict) -> bool:
    """Huey's tables in PostgreSQL (core.jobs.queue) are made by the migrations, not modelled."""
    table = name if type_ == "table" else parent_names.get("table_name")
    return not (table or "").startswith(f"{POSTGRES_TABLE_PREFIX}_")


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _has_a_model}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_seed_the_rule_parameters_and_the_audit_chain(app):
    keys = set(db.session.execute(select(RuleParameter.key)).scalars())
    assert {
        "special_measure.earliest_compliance_days",
        "ai.large_model_operations",
        "ai.large_model_operations_biological",
        "penalty.ieepa_civil_cap",
    } <= keys
    assert "audit_head" in inspect(db.engine).get_table_names()


def test_the_reference_counters_start_from_the_numbers_already_issued(app):
    """Receipts and case references issued before the counters existed are never issued again:
    the migration seeds each series from the highest number on record."""
    analyst, provider = make_user(Role.ANALYST), make_provider()
    day = date(2027, 3, 15)
    referral = measures.Referral(
        source=ReferralSource.SECRETARY, received_on=day, summary="Botnet controllers.",
        subject_kind=SubjectKind.JURISDICTION, jurisdiction="RU",
    )  # fmt: skip
    for _ in range(2):
        measures.open_case(referral, actor=analyst, today=day)
    casework.open_assessment(
        provider, origin=casework_rules.AssessmentOrigin.REFERRAL, scope="The written CIP.",
        origin_note="", actor=analyst, today=day,
    )  # fmt: skip
    db.session.commit()
    receipts = [make_filing(provider).receipt_number for _ in range(3)]
    db.session.remove()

    downgrade(revision="c4f2d81e6a37")  # the revision before the counters
    assert "reference_counters" not in inspect(db.engine).get_table_names()
    upgrade()

    seeded = {
        (row.series, row.year): row.last_number
        for row in db.session.execute(select(counters.ReferenceCounter)).scalars()
    }
    receipt_year = int(receipts[0].split("-")[1])
    assert seeded == {("OICTS", receipt_year): 3, ("SM", 2027): 2, ("AS", 2027): 1}
    assert counters.next_reference("SM", 2027, digits=4) == "SM-2027-0003"
    assert counters.next_reference("OICTS", receipt_year, digits=6) == (
        f"OICTS-{receipt_year}-000004"
    )


# The revision before states became enumerations and lists and documents JSON columns.
BEFORE_TYPED_COLUMNS = "11ff492403ce"
TYPED_COLUMNS = "267d733392c1"
# (table, list column now, its text column before, what separated the items)
LISTS = (
    ("providers", "business_names", "business_names_text", "\n"),
    ("special_measure_cases", "aliases", "aliases_text", "\n"),
    ("special_measure_cases", "identifiers", "identifiers_text", "\n"),
    ("special_measure_cases", "related_receipts", "related_receipts_text", "\n"),
)
DOCUMENTS = (
    ("filings", "data_json"),
    ("filings", "warnings_json"),
    ("exemption_cases", "finding_json"),
    ("risk_snapshots", "lines_json"),
    ("assessments", "risk_lines_json"),
    ("screening_runs", "measures_json"),
)


def _demo_office_with_casework(app: Flask) -> None:
    """The demonstration office, and a case of each casework kind, which it does not have."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    analyst, provider = make_user(Role.ANALYST), make_provider()
    (reseller,) = make_resellers(provider, 1)
    day = date(2027, 3, 15)
    casework.take_snapshot(day, actor=None)
    casework.open_assessment(
        provider, origin=casework_rules.AssessmentOrigin.REFERRAL, scope="The written CIP.",
        origin_note="", actor=analyst, today=day,
    )  # fmt: skip
    penalties.draft_penalty(
        provider, violations=violations_of("a2", "a8"), conduct="Never certified.",
        proposed_amount=10_000, actor=analyst, today=day,
    )  # fmt: skip
    oversight_services.open_oversight(
        reseller, evidence_kind=oversight_rules.EvidenceKind.NO_CIP, evidence="No written CIP.",
        received_on=day, reported_to_authorities="", actor=analyst, today=day,
    )  # fmt: skip
    db.session.commit()
    db.session.remove()


def _every_row() -> dict[str, dict[object, dict[str, object]]]:
    """Every table's rows as the database holds them, read without the application's models,
    keyed by primary key."""
    tables = MetaData()
    tables.reflect(db.engine)
    rows = {}
    with db.engine.connect() as connection:
        for name, table in tables.tables.items():
            key = [column.name for column in table.primary_key] or [c.name for c in table.columns]
            rows[name] = {
                tuple(row[column] for column in key): dict(row)
                for row in connection.execute(select(table)).mappings()
            }
    return rows


def test_the_typed_columns_migration_keeps_every_record_of_the_demo_office(app):
    """Downgraded to the text columns and upgraded again, a database holding the demonstration
    office has every row and every value it had; in between, lists are lines of text again and
    documents JSON text."""
    _demo_office_with_casework(app)
    typed = _every_row()
    assert typed["providers"] and typed["filings"] and typed["special_measure_cases"]
    assert all(typed[table] for table in ("penalty_cases", "assessments", "reseller_oversight"))

    downgrade(revision=BEFORE_TYPED_COLUMNS)
    as_text = _every_row()
    # Tables of later revisions (the jobs') are gone in between, with their rows (the demo
    # measure's screening job): they are not this test's.
    made_later = set(typed) - set(as_text)
    assert made_later >= {"jobs", "job_inputs"}
    assert {table: len(rows) for table, rows in as_text.items()} == {
        table: len(rows) for table, rows in typed.items() if table not in made_later
    }
    for table, column, old_column, separator in LISTS:
        for key, row in typed[table].items():
            assert as_text[table][key][old_column] == separator.join(row[column])
    # A penalty's violations are rows of their own now; as text, their paragraphs in order.
    paragraphs: dict[tuple[object, ...], list[str]] = {}
    for row in sorted(typed["penalty_violations"].values(), key=lambda row: row["number"]):
        paragraphs.setdefault((row["penalty_id"],), []).append(row["paragraph"])
    assert paragraphs
    for key in typed["penalty_cases"]:
        assert as_text["penalty_cases"][key]["violations_text"] == " ".join(paragraphs[key])
    for table, column in DOCUMENTS:
        for key, row in typed[table].items():
            kept = as_text[table][key][column]
            assert (json.loads(kept) if kept is not None else None) == row[column]
    assert typed["providers"] and any(row["business_names"] for row in typed["providers"].values())

    # Columns of later revisions (the job of a screening run) are emptied by their downgrades.
    upgrade(revision=TYPED_COLUMNS)
    schema = inspect(db.engine)
    columns = {table: {c["name"] for c in schema.get_columns(table)} for table in as_text}
    upgrade()
    again = _every_row()

    def as_typed(rows: dict[str, dict[object, dict[str, object]]], table: str) -> dict:
        return {
            key: {name: value for name, value in row.items() if name in columns[table]}
            for key, row in rows[table].items()
        }

    assert {table: as_typed(again, table) for table in as_text} == {
        table: as_typed(typed, table) for table in as_text
    }


# Every column whose values are an enumeration's, with a value none of them is.
CODED_COLUMNS = (
    ("assessments", "state"), ("penalty_cases", "state"), ("reseller_oversight", "state"),
    ("foreign_resellers", "status"), ("users", "role"), ("special_measure_cases", "state"),
    ("special_measure_cases", "source"), ("special_measure_cases", "subject_kind"),
    ("special_measure_cases", "measure_kind"), ("reviews", "state"),
    ("consultations", "purpose"), ("consultations", "position"), ("filings", "channel"),
    ("report_identifiers", "kind"), ("ip_accesses", "action"),
)  # fmt: skip


def test_the_database_refuses_a_state_that_is_not_one_of_its_enumeration(app):
    """Written around the application, an unknown state, status or kind is refused by the
    database's own CHECK constraint, casework's state columns included."""
    _demo_office_with_casework(app)
    for table, column in CODED_COLUMNS:
        row_id = db.session.scalar(text(f"SELECT min(id) FROM {table}"))
        assert row_id is not None, table
        unknown = text(f"UPDATE {table} SET {column} = 'unknown' WHERE id = :id")
        with (
            pytest.raises(IntegrityError, match=f"{table}_{column}_known"),
            db.session.begin_nested(),
        ):
            db.session.execute(unknown, {"id": row_id})


BEFORE_IP_LOG_JOBS = "5e0b9c1f3a27"


def test_ip_logs_attached_before_the_job_worker_are_attached_with_their_documents_facts(app):
    """An IP log attached in the request, before logs were checked by the job worker, is an
    attached log afterwards, with the name, size and SHA-256 of the file it kept; one still
    being checked when the schema goes back has nothing to go back to and is dropped."""
    report = file_report(make_provider(), ip_accesses=[])
    log = b"ip_address,accessed_at,action\n192.0.2.44,2027-01-05T14:03:22+08:00,access\n"
    ip_logs.attach_ip_log(report, filename="gateway.csv", content=log, actor=None)
    db.session.commit()
    send_committed()
    ip_logs.attach_ip_log(report, filename="waiting.csv", content=log, actor=None)
    db.session.commit()  # its job is never sent
    db.session.remove()

    downgrade(revision=BEFORE_IP_LOG_JOBS)
    columns = {c["name"] for c in inspect(db.engine).get_columns("ip_log_attachments")}
    assert "status" not in columns and "sha256" not in columns
    upgrade()

    (attached,) = db.session.scalars(select(IpLogAttachment)).all()
    assert (attached.status, attached.filename, attached.size_bytes) == (
        "attached", "gateway.csv", len(log),
    )  # fmt: skip
    assert attached.sha256 == attached.document.sha256 == hashlib.sha256(log).hexdigest()
    assert (attached.rows_total, attached.row_count, attached.problem_count) == (1, 1, 0)
    assert attached.finished_at == attached.attached_at
    with pytest.raises(IntegrityError, match="document_when_attached"), db.session.begin_nested():
        db.session.execute(
            text("UPDATE ip_log_attachments SET document_id = NULL WHERE id = :id"),
            {"id": attached.id},
        )
