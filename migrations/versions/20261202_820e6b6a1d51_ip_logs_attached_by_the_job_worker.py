"""IP access logs (§7.308(d)(1)(i)(F)) are checked and stored by the job worker: an attachment
is received first (its file's name, size and SHA-256) and says how its check went (queued,
checking, attached, rejected with its problems, failed); the log's Document exists once it is
attached. Attachments already stored are attached, with the facts of their Document.

On PostgreSQL a job's sealed input is stored without compression: it is ciphertext, which never
compresses, and trying costs a 30 MB log several times what writing it does.

Revision ID: 820e6b6a1d51
Revises: 9030ec7519d8
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
from alembic import op


revision = '820e6b6a1d51'
down_revision = '9030ec7519d8'
branch_labels = None
depends_on = None

TABLE = 'ip_log_attachments'
STATUSES = ('queued', 'checking', 'attached', 'rejected', 'failed')
# (column, type) that every attachment has, filled in from its Document for those stored before.
FROM_DOCUMENT = (
    ('filename', sa.String(length=255)),
    ('size_bytes', sa.Integer()),
    ('sha256', sa.String(length=64)),
)
COUNTS = ('rows_total', 'problem_count')


def _job_input_storage(storage):
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE job_inputs ALTER COLUMN sealed_content SET STORAGE {storage}')


def upgrade():
    _job_input_storage('EXTERNAL')
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), nullable=True))
        for column, kind in FROM_DOCUMENT:
            batch_op.add_column(sa.Column(column, kind, nullable=True))
        for column in COUNTS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('problems', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('failure_reference', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))
    copied = ', '.join(
        f'{column} = (SELECT documents.{column} FROM documents '
        f'WHERE documents.id = {TABLE}.document_id)'
        for column, _ in FROM_DOCUMENT
    )
    op.execute(
        f"UPDATE {TABLE} SET status = 'attached', rows_total = row_count, problem_count = 0, "
        f"finished_at = attached_at, {copied}"
    )
    quoted = ', '.join(f"'{status}'" for status in STATUSES)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=12), nullable=False)
        for column, kind in FROM_DOCUMENT:
            batch_op.alter_column(column, existing_type=kind, nullable=False)
        for column in COUNTS:
            batch_op.alter_column(column, existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('document_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint('status_known', f'status IN ({quoted})')
        batch_op.create_check_constraint(
            'document_when_attached', "(status = 'attached') = (document_id IS NOT NULL)"
        )


def downgrade():
    _job_input_storage('EXTENDED')
    # Only attached logs have a Document, which the table required before.
    op.execute(f"DELETE FROM {TABLE} WHERE status != 'attached'")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_{TABLE}_document_when_attached'), type_='check')
        batch_op.drop_constraint(batch_op.f(f'ck_{TABLE}_status_known'), type_='check')
        batch_op.alter_column('document_id', existing_type=sa.Integer(), nullable=False)
        for column in ('finished_at', 'failure_reference', 'problems', *COUNTS):
            batch_op.drop_column(column)
        for column, _ in FROM_DOCUMENT:
            batch_op.drop_column(column)
        batch_op.drop_column('status')
