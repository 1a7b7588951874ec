"""The rate limits' counters, shared by every worker and machine: one row per key (kept as its
SHA-256) and window.

The application role reaches the table through the default privileges `flask db
grant-app-role` set (core/database_roles.py); run that command again after upgrading, as after
every upgrade.

Revision ID: d93b6f0a2e14
Revises: 5e0b9c1f3a27
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = 'd93b6f0a2e14'
down_revision = '5e0b9c1f3a27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_counters',
    sa.Column('key_digest', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_digest', name=op.f('pk_rate_limit_counters'))
    )
    op.create_index(op.f('ix_rate_limit_counters_expires_at'), 'rate_limit_counters', ['expires_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_rate_limit_counters_expires_at'), table_name='rate_limit_counters')
    op.drop_table('rate_limit_counters')
