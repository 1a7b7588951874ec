"""Special-measure cases: referral, factors weighed, determination and its dates, extensions
and revocations, the letters to the congressional committees (§7.307), and screening runs
with their hits and decisions.

Revision ID: 283f5feab437
Revises: 2177b5e7eb8a
Create Date: 2026-11-23 06:14:55.841007
"""

import sqlalchemy as sa
from alembic import op


revision = '283f5feab437'
down_revision = '2177b5e7eb8a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('screening_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('relevant_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('measures_json', sa.Text(), nullable=False),
    sa.Column('parties_screened', sa.Integer(), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ran_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_screening_runs_provider_id_providers')),
    sa.ForeignKeyConstraint(['ran_by_id'], ['users.id'], name=op.f('fk_screening_runs_ran_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_runs'))
    )
    with op.batch_alter_table('screening_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_runs_provider_id'), ['provider_id'], unique=False)

    op.create_table('special_measure_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('referring_agency', sa.String(length=120), nullable=True),
    sa.Column('referring_provider_id', sa.Integer(), nullable=True),
    sa.Column('referral_received_on', sa.Date(), nullable=False),
    sa.Column('referral_summary', sa.Text(), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('jurisdiction', sa.String(length=2), nullable=True),
    sa.Column('region', sa.String(length=120), nullable=True),
    sa.Column('person_name', sa.String(length=300), nullable=True),
    sa.Column('aliases_text', sa.Text(), nullable=False),
    sa.Column('identifiers_text', sa.Text(), nullable=False),
    sa.Column('related_receipts_text', sa.Text(), nullable=False),
    sa.Column('evaluation_summary', sa.Text(), nullable=True),
    sa.Column('measure_kind', sa.String(length=20), nullable=True),
    sa.Column('conditions_text', sa.Text(), nullable=True),
    sa.Column('consistency_text', sa.Text(), nullable=True),
    sa.Column('compliance_on', sa.Date(), nullable=True),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('earliest_compliance_on', sa.Date(), nullable=True),
    sa.Column('earliest_compliance_computation', sa.Text(), nullable=True),
    sa.Column('original_last_day_on', sa.Date(), nullable=True),
    sa.Column('expiry_computation', sa.Text(), nullable=True),
    sa.Column('last_day_on', sa.Date(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('federal_register_citation', sa.String(length=60), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.CheckConstraint("measure_kind IS NULL OR measure_kind IN ('prohibition', 'conditions')", name=op.f('ck_special_measure_cases_measure_kind_known')),
    sa.CheckConstraint("source IN ('secretary', 'agency', 'provider')", name=op.f('ck_special_measure_cases_source_known')),
    sa.CheckConstraint("state IN ('referred', 'under evaluation', 'in consultation', 'determination drafted', 'in review', 'approved', 'issued', 'closed without a measure')", name=op.f('ck_special_measure_cases_state_known')),
    sa.CheckConstraint("subject_kind IN ('jurisdiction', 'person')", name=op.f('ck_special_measure_cases_subject_kind_known')),
    sa.CheckConstraint('issued_on IS NULL OR last_day_on >= issued_on', name=op.f('ck_special_measure_cases_last_day_after_issue')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_special_measure_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_special_measure_cases_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_special_measure_cases_issued_by_id_users')),
    sa.ForeignKeyConstraint(['referring_provider_id'], ['providers.id'], name=op.f('fk_special_measure_cases_referring_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_measure_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_special_measure_cases_reference'))
    )
    with op.batch_alter_table('special_measure_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_measure_cases_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_measure_cases_last_day_on'), ['last_day_on'], unique=False)

    op.create_table('screening_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('measure_version', sa.String(length=12), nullable=False),
    sa.Column('party_kind', sa.String(length=40), nullable=False),
    sa.Column('party_name', sa.String(length=300), nullable=False),
    sa.Column('party_key', sa.String(length=300), nullable=False),
    sa.Column('party_jurisdiction', sa.String(length=2), nullable=True),
    sa.Column('party_reference', sa.String(length=60), nullable=False),
    sa.Column('matched_on', sa.String(length=20), nullable=False),
    sa.Column('matched_text', sa.String(length=300), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('match', 'not a match', 'unsure')", name=op.f('ck_screening_hits_decision_known')),
    sa.ForeignKeyConstraint(['case_id'], ['special_measure_cases.id'], name=op.f('fk_screening_hits_case_id_special_measure_cases')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_screening_hits_decided_by_id_users')),
    sa.ForeignKeyConstraint(['run_id'], ['screening_runs.id'], name=op.f('fk_screening_hits_run_id_screening_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_hits'))
    )
    with op.batch_alter_table('screening_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_hits_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_hits_party_key'), ['party_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_hits_run_id'), ['run_id'], unique=False)

    op.create_table('special_measure_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('new_last_day_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('federal_register_citation', sa.String(length=60), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('prior_last_day_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind <> 'extension' OR new_last_day_on IS NOT NULL", name=op.f('ck_special_measure_actions_extension_has_last_day')),
    sa.CheckConstraint("kind IN ('extension', 'revocation')", name=op.f('ck_special_measure_actions_kind_known')),
    sa.ForeignKeyConstraint(['case_id'], ['special_measure_cases.id'], name=op.f('fk_special_measure_actions_case_id_special_measure_cases')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_special_measure_actions_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_special_measure_actions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_measure_actions'))
    )
    with op.batch_alter_table('special_measure_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_measure_actions_case_id'), ['case_id'], unique=False)

    op.create_table('special_measure_factors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['special_measure_cases.id'], name=op.f('fk_special_measure_factors_case_id_special_measure_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_measure_factors')),
    sa.UniqueConstraint('case_id', 'code', name=op.f('uq_special_measure_factors_case_id'))
    )
    with op.batch_alter_table('special_measure_factors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_measure_factors_case_id'), ['case_id'], unique=False)

    op.create_table('congressional_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('committee', sa.String(length=40), nullable=False),
    sa.Column('addressee', sa.String(length=200), nullable=False),
    sa.Column('prepared_on', sa.Date(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_how', sa.String(length=200), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['special_measure_actions.id'], name=op.f('fk_congressional_notices_action_id_special_measure_actions')),
    sa.ForeignKeyConstraint(['case_id'], ['special_measure_cases.id'], name=op.f('fk_congressional_notices_case_id_special_measure_cases')),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_congressional_notices_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_congressional_notices_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_congressional_notices'))
    )
    with op.batch_alter_table('congressional_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_congressional_notices_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('congressional_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_congressional_notices_case_id'))

    op.drop_table('congressional_notices')
    with op.batch_alter_table('special_measure_factors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_measure_factors_case_id'))

    op.drop_table('special_measure_factors')
    with op.batch_alter_table('special_measure_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_measure_actions_case_id'))

    op.drop_table('special_measure_actions')
    with op.batch_alter_table('screening_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_hits_run_id'))
        batch_op.drop_index(batch_op.f('ix_screening_hits_party_key'))
        batch_op.drop_index(batch_op.f('ix_screening_hits_case_id'))

    op.drop_table('screening_hits')
    with op.batch_alter_table('special_measure_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_measure_cases_last_day_on'))
        batch_op.drop_index(batch_op.f('ix_special_measure_cases_issued_on'))

    op.drop_table('special_measure_cases')
    with op.batch_alter_table('screening_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_runs_provider_id'))

    op.drop_table('screening_runs')
