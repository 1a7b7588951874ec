"""Office settings: who signs the letters, and the point of contact CUI documents name.

Revision ID: c4f2d81e6a37
Revises: 2258db38e829
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = 'c4f2d81e6a37'
down_revision = '2258db38e829'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('office_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_office_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_office_settings'))
    )


def downgrade():
    op.drop_table('office_settings')
