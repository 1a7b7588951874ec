"""The screening that follows a measure's issuance or extension runs as a job: each of its runs
names the job, one run per provider and job, so that doing the job's work again stores nothing
twice. Earlier runs keep no job.

Revision ID: 14b4cb1b0f6f
Revises: 820e6b6a1d51
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '14b4cb1b0f6f'
down_revision = '820e6b6a1d51'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('screening_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_screening_runs_job_id'), ['job_id', 'provider_id'])
        batch_op.create_foreign_key(batch_op.f('fk_screening_runs_job_id_jobs'), 'jobs', ['job_id'], ['id'])


def downgrade():
    with op.batch_alter_table('screening_runs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_screening_runs_job_id_jobs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_screening_runs_job_id'), type_='unique')
        batch_op.drop_column('job_id')
