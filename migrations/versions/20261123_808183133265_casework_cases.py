"""Casework cases: compliance assessments with their findings and information requests
(§7.305), oversight of foreign resellers (§7.303(e)), and civil penalties (§7.309(c)).

Revision ID: 808183133265
Revises: 0eb4711e55e2
Create Date: 2026-11-23 06:54:16.018786
"""

import sqlalchemy as sa
from alembic import op


revision = '808183133265'
down_revision = '0eb4711e55e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('origin_note', sa.Text(), nullable=True),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('risk_score', sa.Integer(), nullable=False),
    sa.Column('risk_lines_json', sa.Text(), nullable=False),
    sa.Column('resubmission_days', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('remediation_deadline_id', sa.Integer(), nullable=True),
    sa.Column('resubmitted_receipt', sa.String(length=24), nullable=True),
    sa.Column('resubmitted_on', sa.Date(), nullable=True),
    sa.Column('audit_requested_on', sa.Date(), nullable=True),
    sa.Column('audit_request_note', sa.Text(), nullable=True),
    sa.Column('transaction_review_note', sa.Text(), nullable=True),
    sa.Column('special_measure_referral_note', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['follows_id'], ['assessments.id'], name=op.f('fk_assessments_follows_id_assessments')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_assessments_opened_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_assessments_provider_id_providers')),
    sa.ForeignKeyConstraint(['remediation_deadline_id'], ['deadlines.id'], name=op.f('fk_assessments_remediation_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('reference', name=op.f('uq_assessments_reference'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_provider_id'), ['provider_id'], unique=False)

    op.create_table('penalty_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('violations_text', sa.String(length=100), nullable=False),
    sa.Column('conduct', sa.Text(), nullable=False),
    sa.Column('transaction_value', sa.BigInteger(), nullable=True),
    sa.Column('proposed_amount', sa.BigInteger(), nullable=False),
    sa.Column('proposed_on', sa.Date(), nullable=False),
    sa.Column('cap', sa.BigInteger(), nullable=False),
    sa.Column('cap_source', sa.String(length=200), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=True),
    sa.Column('petition_deadline_id', sa.Integer(), nullable=True),
    sa.Column('petition_received_on', sa.Date(), nullable=True),
    sa.Column('petition_summary', sa.Text(), nullable=True),
    sa.Column('decision_deadline_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('final_amount', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['decision_deadline_id'], ['deadlines.id'], name=op.f('fk_penalty_cases_decision_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_penalty_cases_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['petition_deadline_id'], ['deadlines.id'], name=op.f('fk_penalty_cases_petition_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_penalty_cases_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_penalty_cases_reference'))
    )
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penalty_cases_provider_id'), ['provider_id'], unique=False)

    op.create_table('reseller_oversight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('reseller_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('evidence_kind', sa.String(length=80), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('evidence_received_on', sa.Date(), nullable=False),
    sa.Column('reported_to_authorities', sa.Text(), nullable=True),
    sa.Column('knowledge_on', sa.Date(), nullable=True),
    sa.Column('deadline_id', sa.Integer(), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_reseller_oversight_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_reseller_oversight_opened_by_id_users')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_reseller_oversight_provider_id_providers')),
    sa.ForeignKeyConstraint(['reseller_id'], ['foreign_resellers.id'], name=op.f('fk_reseller_oversight_reseller_id_foreign_resellers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reseller_oversight'))
    )
    with op.batch_alter_table('reseller_oversight', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reseller_oversight_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reseller_oversight_reseller_id'), ['reseller_id'], unique=False)

    op.create_table('assessment_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('requirement', sa.String(length=10), nullable=False),
    sa.Column('shortcoming', sa.Text(), nullable=False),
    sa.Column('recommendation_kind', sa.String(length=10), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_findings_assessment_id_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_findings'))
    )
    with op.batch_alter_table('assessment_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_findings_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('assessment_requests',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_requests_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['request_id'], ['department_requests.id'], name=op.f('fk_assessment_requests_request_id_department_requests')),
    sa.PrimaryKeyConstraint('assessment_id', 'request_id', name=op.f('pk_assessment_requests'))
    )


def downgrade():
    op.drop_table('assessment_requests')
    with op.batch_alter_table('assessment_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_findings_assessment_id'))

    op.drop_table('assessment_findings')
    with op.batch_alter_table('reseller_oversight', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reseller_oversight_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_reseller_oversight_provider_id'))

    op.drop_table('reseller_oversight')
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penalty_cases_provider_id'))

    op.drop_table('penalty_cases')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_provider_id'))

    op.drop_table('assessments')
