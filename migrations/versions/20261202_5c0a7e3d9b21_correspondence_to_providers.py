"""Documents issued to providers (correspondence), their one-time download links, and requests
whose clock opens when they are sent (deadline_id nullable until then).

Revision ID: 5c0a7e3d9b21
Revises: d8418d8d79dd
Create Date: 2026-12-02 17:40:00
"""

import sqlalchemy as sa
from alembic import op


revision = '5c0a7e3d9b21'
down_revision = 'd8418d8d79dd'
branch_labels = None
depends_on = None

KINDS = ('cip_copy_request', 'reseller_cip_copy_request', 'information_request',
         'assessment_report', 'exemption_decision', 'penalty_notice', 'special_measure_notice')


def _listed(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    op.create_table('correspondence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('delivery', sa.String(length=12), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_by', sa.String(length=10), nullable=True),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('undelivered_reason', sa.Text(), nullable=True),
    sa.Column('sent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_note', sa.Text(), nullable=True),
    sa.CheckConstraint(_listed('kind', KINDS), name=op.f('ck_correspondence_kind_known')),
    sa.CheckConstraint(_listed('delivery', ('queued', 'sent', 'undelivered')),
                       name=op.f('ck_correspondence_delivery_known')),
    sa.CheckConstraint(_listed('sent_by', ('email', 'api', 'hand')),
                       name=op.f('ck_correspondence_sent_by_known')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_correspondence_provider_id_providers')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_correspondence_document_id_documents')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_correspondence_issued_by_id_users')),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mail.id'], name=op.f('fk_correspondence_mail_id_outgoing_mail')),
    sa.ForeignKeyConstraint(['sent_recorded_by_id'], ['users.id'], name=op.f('fk_correspondence_sent_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correspondence'))
    )
    with op.batch_alter_table('correspondence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correspondence_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_correspondence_mail_id'), ['mail_id'], unique=False)
        batch_op.create_index('ix_correspondence_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('correspondence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correspondence_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_from', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['correspondence_id'], ['correspondence.id'], name=op.f('fk_correspondence_links_correspondence_id_correspondence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correspondence_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_correspondence_links_token_hash'))
    )
    with op.batch_alter_table('correspondence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correspondence_links_correspondence_id'), ['correspondence_id'], unique=False)

    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.alter_column('deadline_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # A request not yet sent has no clock; it cannot go back to a schema that needs one.
    op.execute("DELETE FROM department_requests WHERE deadline_id IS NULL")
    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.alter_column('deadline_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('correspondence_links')
    op.drop_table('correspondence')
