"""Documents an agency sends with its position in a consultation (§7.306(e)(2), §7.307(c)).

Revision ID: 7c3e2b90d4f1
Revises: 5a1e0c7d9b21
Create Date: 2026-11-29 17:40:00
"""

import sqlalchemy as sa
from alembic import op


revision = '7c3e2b90d4f1'
down_revision = '5a1e0c7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_attachments_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_consultation_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_attachments'))
    )
    with op.batch_alter_table('consultation_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_attachments_consultation_id'), ['consultation_id'], unique=False)


def downgrade():
    op.drop_table('consultation_attachments')
