"""Compiled foreign-reseller certifications (§7.304(f)): each upload, its progress, its
row-by-row error report and, once imported, its result for each row.

Revision ID: 2e91768d3469
Revises: 319ae0e2eaf6
Create Date: 2026-11-23 00:59:30.321469
"""

import sqlalchemy as sa
from alembic import op


revision = '2e91768d3469'
down_revision = '319ae0e2eaf6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reseller_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('error_report', sa.Text(), nullable=True),
    sa.Column('row_results', sa.Text(), nullable=True),
    sa.Column('failure_reference', sa.String(length=16), nullable=True),
    sa.Column('filing_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'imported') = (filing_id IS NOT NULL)", name=op.f('ck_reseller_imports_filing_on_import')),
    sa.CheckConstraint("status IN ('queued', 'checking', 'rejected', 'imported', 'failed')", name=op.f('ck_reseller_imports_status_known')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_reseller_imports_document_id_documents')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_reseller_imports_filing_id_filings')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_reseller_imports_provider_id_providers')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_reseller_imports_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reseller_imports')),
    sa.UniqueConstraint('filing_id', name=op.f('uq_reseller_imports_filing_id'))
    )
    with op.batch_alter_table('reseller_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reseller_imports_provider_id'), ['provider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reseller_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reseller_imports_provider_id'))

    op.drop_table('reseller_imports')
