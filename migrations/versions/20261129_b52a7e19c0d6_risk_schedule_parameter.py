"""The score at which a provider is due for a risk-based compliance assessment (§7.305(e)(1)),
as a rule parameter an administrator may change.

Revision ID: b52a7e19c0d6
Revises: 9d41f6a2c8e3
Create Date: 2026-11-29 18:00:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op


revision = 'b52a7e19c0d6'
down_revision = '9d41f6a2c8e3'
branch_labels = None
depends_on = None


def upgrade():
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(parameters, [{
        "key": "assessment.risk_schedule_points",
        "value": "40",
        "effective_from": date(2024, 1, 29),
        "citation": "§7.305(e)(1): assessments as the Department determines, on a risk basis",
        "note": "Office starting figure (the weight of a never-certified provider); not set by "
                "the rule text.",
        "created_at": datetime(2026, 11, 29, tzinfo=UTC),
    }])


def downgrade():
    op.execute("DELETE FROM rule_parameters WHERE key = 'assessment.risk_schedule_points'")
