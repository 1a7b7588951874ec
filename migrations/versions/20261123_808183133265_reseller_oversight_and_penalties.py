"""Oversight of foreign resellers (evidence, knowledge, termination or remediation, §7.303(e))
and civil penalty cases from notice to final decision (§7.309(c)).

Revision ID: 808183133265
Revises: 0eb4711e55e2
Create Date: 2026-11-23 06:47:03.792013
"""

import sqlalchemy as sa
from alembic import op


revision = '808183133265'
down_revision = '0eb4711e55e2'
branch_labels = None
depends_on = None


def upgrade():
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



def downgrade():
    with op.batch_alter_table('reseller_oversight', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reseller_oversight_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_reseller_oversight_provider_id'))

    op.drop_table('reseller_oversight')
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penalty_cases_provider_id'))

    op.drop_table('penalty_cases')
