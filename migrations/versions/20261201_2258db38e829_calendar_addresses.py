"""Personal calendar addresses: a long random secret per person, kept only as its hash, that the
person can reset, with when a calendar program last read it.

The addresses of the previous release were a signature over the account's number and could not
be withdrawn; they stop working with this revision, and each person makes a new one from the
deadline board.

Revision ID: 2258db38e829
Revises: a7cd8cab1066
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '2258db38e829'
down_revision = 'a7cd8cab1066'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_addresses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_addresses')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_addresses_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_addresses_user_id'))
    )


def downgrade():
    op.drop_table('calendar_addresses')
