"""The Alembic migrations build exactly the schema the models describe, on both back ends."""

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from casework import rules as casework_rules
from casework import services as casework
from core import counters
from core.auth.rules import Role
from core.db import db
from core.parameters.models import RuleParameter
from special_measures import services as measures
from special_measures.rules import ReferralSource, SubjectKind
from tests.factories import make_filing, make_provider, make_user


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
