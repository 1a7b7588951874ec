"""The Alembic migrations build exactly the schema the models describe, on both back ends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from core.db import db
from core.parameters.models import RuleParameter


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
