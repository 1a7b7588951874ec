"""Intake: filings, foreign resellers, requests and documents, API tokens; a deadline may be
met by a filing that arrived by API (no person).

Revision ID: 319ae0e2eaf6
Revises: 63fe12363050
Create Date: 2026-11-23 00:39:28.741275
"""

import sqlalchemy as sa
from alembic import op


revision = '319ae0e2eaf6'
down_revision = '63fe12363050'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("receipt_counters",
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_receipt_counters'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hint', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_api_tokens_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_provider_id'), ['provider_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    op.create_table('foreign_resellers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('jurisdiction', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('began_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_title', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_foreign_resellers_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_foreign_resellers')),
    sa.UniqueConstraint('provider_id', 'name', 'jurisdiction', name=op.f('uq_foreign_resellers_provider_id'))
    )
    with op.batch_alter_table('foreign_resellers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_foreign_resellers_provider_id'), ['provider_id'], unique=False)

    op.create_table('department_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('response_document_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'reseller_cip_copy') = (reseller_id IS NOT NULL)", name=op.f('ck_department_requests_reseller_when_needed')),
    sa.CheckConstraint("kind IN ('cip_copy', 'reseller_cip_copy')", name=op.f('ck_department_requests_kind_known')),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_department_requests_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_department_requests_provider_id_providers')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_department_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['reseller_id'], ['foreign_resellers.id'], name=op.f('fk_department_requests_reseller_id_foreign_resellers')),
    sa.ForeignKeyConstraint(['response_document_id'], ['documents.id'], name=op.f('fk_department_requests_response_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_requests'))
    )
    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_requests_provider_id'), ['provider_id'], unique=False)

    op.create_table('filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_number', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('raw_payload', sa.Text(), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('data_json', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('keyed_by_id', sa.Integer(), nullable=True),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('warnings_json', sa.Text(), nullable=False),
    sa.Column('timeliness', sa.String(length=20), nullable=True),
    sa.Column('rules_version', sa.String(length=20), nullable=False),
    sa.CheckConstraint("channel IN ('web', 'api', 'bulk')", name=op.f('ck_filings_channel_known')),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_tokens.id'], name=op.f('fk_filings_api_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['keyed_by_id'], ['users.id'], name=op.f('fk_filings_keyed_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_filings_provider_id_providers')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['filings.id'], name=op.f('fk_filings_supersedes_id_filings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filings')),
    sa.UniqueConstraint('provider_id', 'idempotency_key', name='one_filing_per_key'),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_filings_receipt_number')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_filings_supersedes_id'))
    )
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filings_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_filings_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filings_received_at'), ['received_at'], unique=False)


    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deadlines_met_has_who_and_when"), type_="check")
        batch_op.create_check_constraint(
            "met_by_only_when_met", "met_on IS NOT NULL OR met_by_id IS NULL"
        )


def downgrade():
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deadlines_met_by_only_when_met"), type_="check")
        batch_op.create_check_constraint(
            "met_has_who_and_when", "(met_on IS NULL) = (met_by_id IS NULL)"
        )

    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filings_received_at'))
        batch_op.drop_index(batch_op.f('ix_filings_provider_id'))
        batch_op.drop_index(batch_op.f('ix_filings_kind'))

    op.drop_table('filings')
    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_requests_provider_id'))

    op.drop_table('department_requests')
    with op.batch_alter_table('foreign_resellers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_foreign_resellers_provider_id'))

    op.drop_table('foreign_resellers')
    op.drop_table('documents')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_provider_id'))

    op.drop_table('api_tokens')
    op.drop_table('receipt_counters')
