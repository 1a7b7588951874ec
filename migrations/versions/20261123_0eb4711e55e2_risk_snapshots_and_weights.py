"""Daily snapshots of the risk score (for "what changed since last week") and the seed weights
of the score, as rule parameters an administrator may change (§7.305(d)).

Revision ID: 0eb4711e55e2
Revises: 283f5feab437
Create Date: 2026-11-23 06:32:02.781351
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op


revision = '0eb4711e55e2'
down_revision = '283f5feab437'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('risk_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('lines_json', sa.Text(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_risk_snapshots_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_snapshots')),
    sa.UniqueConstraint('provider_id', 'taken_on', name=op.f('uq_risk_snapshots_provider_id'))
    )
    with op.batch_alter_table('risk_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_snapshots_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_snapshots_taken_on'), ['taken_on'], unique=False)
    _seed_weights()


# Starting weights chosen by the office (not rule text): a missing certification weighs most,
# each party matching a special measure nearly as much, small items (one late filing, one
# unverified account) little. An administrator changes them on the rule-parameters page.
WEIGHT_NOTE = "Office starting weight; not set by the rule text."
SEED_WEIGHTS = [
    ("risk.weight.never_certified", 40, "§7.305(d)(2)(i)"),
    ("risk.weight.overdue_certification", 25, "§7.305(d)(2)(i)"),
    ("risk.weight.late_filing", 5, "§7.305(d)(2)(i)"),
    ("risk.weight.overdue_exemption_notification", 25, "§7.305(d)(2)(i)"),
    ("risk.weight.unverified_account", 2, "§7.305(d)(1)(i)"),
    ("risk.weight.stale_unverified_account", 5, "§7.305(d)(1)(i)"),
    ("risk.weight.open_findings", 5, "§7.305(d)(2)(ii)"),
    ("risk.weight.overdue_findings", 20, "§7.305(d)(2)(ii)"),
    ("risk.weight.special_measure_hit", 30, "§7.305(d)(1)(i)"),
]


def _seed_weights():
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        parameters,
        [
            {
                "key": key,
                "value": str(value),
                "effective_from": date(2024, 1, 29),
                "citation": citation,
                "note": WEIGHT_NOTE,
                "created_at": datetime(2026, 11, 23, tzinfo=UTC),
            }
            for key, value, citation in SEED_WEIGHTS
        ],
    )



def downgrade():
    op.execute("DELETE FROM rule_parameters WHERE key LIKE 'risk.weight.%'")
    with op.batch_alter_table('risk_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_snapshots_taken_on'))
        batch_op.drop_index(batch_op.f('ix_risk_snapshots_provider_id'))

    op.drop_table('risk_snapshots')
