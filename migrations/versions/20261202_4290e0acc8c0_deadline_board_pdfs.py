"""The deadline board printed as a PDF by the job worker: who asked, with which filters, and
once it is made the PDF itself, its size and its SHA-256.

Revision ID: 4290e0acc8c0
Revises: 14b4cb1b0f6f
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
from alembic import op


revision = '4290e0acc8c0'
down_revision = '14b4cb1b0f6f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_board_pdfs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filters', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline_count', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_deadline_board_pdfs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_board_pdfs'))
    )


def downgrade():
    op.drop_table('deadline_board_pdfs')
