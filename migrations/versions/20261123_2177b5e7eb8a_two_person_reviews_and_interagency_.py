"""Two-person reviews bound to the content reviewed, and interagency consultations with each
agency's position (§7.306(e)(2), §7.307(c)).

Revision ID: 2177b5e7eb8a
Revises: 2e91768d3469
Create Date: 2026-11-23 04:04:44.684037
"""

import sqlalchemy as sa
from alembic import op


revision = '2177b5e7eb8a'
down_revision = '2e91768d3469'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('subject_label', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('agency', sa.String(length=80), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("position IS NULL OR position IN ('concur', 'concur with conditions', 'do not concur', 'no response')", name=op.f('ck_consultations_position_known')),
    sa.CheckConstraint("purpose IN ('exemption', 'special_measure')", name=op.f('ck_consultations_purpose_known')),
    sa.CheckConstraint('respond_by >= requested_on', name=op.f('ck_consultations_respond_after_request')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consultations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_consultations_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('subject_type', 'subject_id', 'agency', name=op.f('uq_consultations_subject_type'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_agency'), ['agency'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_subject_type'), ['subject_type'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('subject_label', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.CheckConstraint("state IN ('in review', 'approved', 'returned', 'voided')", name=op.f('ck_reviews_state_known')),
    sa.CheckConstraint('reviewer_id IS NULL OR reviewer_id <> drafted_by_id', name=op.f('ck_reviews_not_own')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_reviews_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_subject_type'), ['subject_type'], unique=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_subject_type'))
        batch_op.drop_index(batch_op.f('ix_reviews_subject_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_subject_type'))
        batch_op.drop_index(batch_op.f('ix_consultations_subject_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_agency'))

    op.drop_table('consultations')
