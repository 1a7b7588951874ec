"""Exemption cases (§7.306): the office's work on each request filed, information requests
(§7.306(e)(2)) and notices (§7.306(f), §7.309(b)(2)).

Revision ID: 877288db3c20
Revises: 808183133265
Create Date: 2026-11-23 06:38:47.028511
"""

import sqlalchemy as sa
from alembic import op


revision = '877288db3c20'
down_revision = '808183133265'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exemption_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=30), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finding_json', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('finding_drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('revocation_reasons', sa.Text(), nullable=True),
    sa.Column('revocation_reference', sa.String(length=100), nullable=True),
    sa.Column('revocation_drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('grant', 'deny')", name=op.f('ck_exemption_cases_decision_known')),
    sa.CheckConstraint("state IN ('received', 'under review', 'information requested', 'in consultation', 'finding drafted', 'in review', 'granted', 'denied', 'revoked')", name=op.f('ck_exemption_cases_state_known')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_exemption_cases_filing_id_filings')),
    sa.ForeignKeyConstraint(['finding_drafted_by_id'], ['users.id'], name=op.f('fk_exemption_cases_finding_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_exemption_cases_provider_id_providers')),
    sa.ForeignKeyConstraint(['reseller_id'], ['foreign_resellers.id'], name=op.f('fk_exemption_cases_reseller_id_foreign_resellers')),
    sa.ForeignKeyConstraint(['revocation_drafted_by_id'], ['users.id'], name=op.f('fk_exemption_cases_revocation_drafted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemption_cases')),
    sa.UniqueConstraint('filing_id', name=op.f('uq_exemption_cases_filing_id'))
    )
    with op.batch_alter_table('exemption_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemption_cases_provider_id'), ['provider_id'], unique=False)

    op.create_table('exemption_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['exemption_cases.id'], name=op.f('fk_exemption_attachments_case_id_exemption_cases')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_exemption_attachments_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemption_attachments'))
    )
    with op.batch_alter_table('exemption_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemption_attachments_case_id'), ['case_id'], unique=False)

    op.create_table('exemption_information_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('respond_by >= requested_on', name=op.f('ck_exemption_information_requests_respond_after_request')),
    sa.ForeignKeyConstraint(['case_id'], ['exemption_cases.id'], name=op.f('fk_exemption_information_requests_case_id_exemption_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exemption_information_requests_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_exemption_information_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemption_information_requests'))
    )
    with op.batch_alter_table('exemption_information_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemption_information_requests_case_id'), ['case_id'], unique=False)

    op.create_table('exemption_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('annual notification', 'material change')", name=op.f('ck_exemption_notices_kind_known')),
    sa.ForeignKeyConstraint(['case_id'], ['exemption_cases.id'], name=op.f('fk_exemption_notices_case_id_exemption_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exemption_notices_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemption_notices'))
    )
    with op.batch_alter_table('exemption_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemption_notices_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('exemption_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemption_notices_case_id'))

    op.drop_table('exemption_notices')
    with op.batch_alter_table('exemption_information_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemption_information_requests_case_id'))

    op.drop_table('exemption_information_requests')
    with op.batch_alter_table('exemption_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemption_attachments_case_id'))

    op.drop_table('exemption_attachments')
    with op.batch_alter_table('exemption_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemption_cases_provider_id'))

    op.drop_table('exemption_cases')
