"""Jobs: each job's record and its input's sealed bytes; on PostgreSQL also the job queue's own
tables (Huey's), made here so that the application's role needs no right to create tables.

Revision ID: 5e0b9c1f3a27
Revises: 267d733392c1
Create Date: 2026-12-01 14:08:26.601097
"""

import sqlalchemy as sa
from alembic import op

from core.jobs.queue import POSTGRES_TABLE_PREFIX, postgres_queue_tables


revision = '5e0b9c1f3a27'
down_revision = '267d733392c1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'succeeded', 'failed', name='state_known', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('arguments', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('run_key', sa.String(length=120), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_label', sa.String(length=200), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('worker', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('rows_checked', sa.Integer(), nullable=True),
    sa.Column('rows_stored', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('failure_reference', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('run_key', name=op.f('uq_jobs_run_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_state'), ['state'], unique=False)
        batch_op.create_index('ix_jobs_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('job_inputs',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('sealed_content', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_inputs_job_id_jobs')),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_inputs'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        for statement in postgres_queue_tables():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('kv', 'schedule', 'task', 'counter'):
            op.execute(f'DROP TABLE IF EXISTS {POSTGRES_TABLE_PREFIX}_{table}')
    op.drop_table('job_inputs')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_subject')
        batch_op.drop_index(batch_op.f('ix_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_jobs_kind'))

    op.drop_table('jobs')
