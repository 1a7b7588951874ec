"""Foundation schema: people, sessions, audit trail, deadlines, rule parameters, providers.

Revision ID: 63fe12363050
Revises: 
Create Date: 2026-11-23 00:08:01.961975
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op


revision = '63fe12363050'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('business_names_text', sa.Text(), nullable=False),
    sa.Column('street_address', sa.String(length=300), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('is_us_reseller', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_title', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('first_foreign_account_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_providers')),
    sa.UniqueConstraint('legal_name', name=op.f('uq_providers_legal_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('agency', sa.String(length=80), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('totp_secret_encrypted', sa.String(length=300), nullable=True),
    sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_last_used_step', sa.Integer(), nullable=True),
    sa.Column('failed_login_count', sa.Integer(), nullable=False),
    sa.Column('first_failed_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'liaison') = (agency IS NOT NULL)", name=op.f('ck_users_agency_only_for_liaisons')),
    sa.CheckConstraint("role IN ('analyst', 'reviewer', 'admin', 'liaison', 'viewer')", name=op.f('ck_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=60), nullable=True),
    sa.Column('subject_id', sa.String(length=60), nullable=True),
    sa.Column('before_json', sa.Text(), nullable=True),
    sa.Column('after_json', sa.Text(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_events_prev_hash')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_events_seq'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clock_key', sa.String(length=60), nullable=False),
    sa.Column('module', sa.String(length=30), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('subject_label', sa.String(length=300), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('period_days', sa.Integer(), nullable=True),
    sa.Column('citation', sa.String(length=40), nullable=False),
    sa.Column('computation', sa.Text(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('met_by_id', sa.Integer(), nullable=True),
    sa.Column('met_note', sa.Text(), nullable=True),
    sa.CheckConstraint('(met_on IS NULL) = (met_by_id IS NULL)', name=op.f('ck_deadlines_met_has_who_and_when')),
    sa.CheckConstraint('due_on >= started_on', name=op.f('ck_deadlines_due_not_before_start')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_deadlines_assignee_id_users')),
    sa.ForeignKeyConstraint(['met_by_id'], ['users.id'], name=op.f('fk_deadlines_met_by_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_deadlines_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_clock_key'), ['clock_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_met_on'), ['met_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_module'), ['module'], unique=False)

    op.create_table('rule_parameters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('citation', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rule_parameters_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_parameters')),
    sa.UniqueConstraint('key', 'effective_from', name='one_value_per_day')
    )
    with op.batch_alter_table('rule_parameters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_parameters_key'), ['key'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)



    _seed_audit_head()
    _make_audit_append_only()
    _seed_rule_parameters()


GENESIS_HASH = "0" * 64

# SQLite and PostgreSQL both refuse UPDATE and DELETE on the audit trail: it is append-only.
APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
]


def _seed_audit_head():
    head = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash"))
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])


def _make_audit_append_only():
    dialect = op.get_bind().dialect.name
    statements = APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE
    for statement in statements:
        op.execute(statement)


NPRM = "89 FR 5698 (2024-01-29), proposed rule text"
SEED_PARAMETERS = [
    ("special_measure.earliest_compliance_days", 180, date(2024, 1, 29),
     f"§7.307(a)(6); {NPRM}", None),
    ("special_measure.effect_after_publication_days", 0, date(2024, 1, 29),
     f"§7.307(a)(4); {NPRM}",
     "The rule text imposes a special measure as soon as the determination is issued "
     "(§7.307(a)(4)); the NPRM preamble (IV(3)(A)) speaks of an effective date 30 days after "
     "publication in the Federal Register. The rule text governs; the publication date is "
     "kept on each determination."),
    ("ai.large_model_operations", 10**26, date(2023, 10, 30),
     "E.O. 14110 §4.2(b)(i), 88 FR 75191 (interim technical conditions)",
     "E.O. 14110 was revoked by E.O. 14148 on 2025-01-20; this interim value stands until "
     "the Department's interpretive rules replace it."),
    ("ai.large_model_operations_biological", 10**23, date(2023, 10, 30),
     "E.O. 14110 §4.2(b)(i), 88 FR 75191 (interim technical conditions)",
     "E.O. 14110 was revoked by E.O. 14148 on 2025-01-20; this interim value stands until "
     "the Department's interpretive rules replace it."),
    ("penalty.ieepa_civil_cap", 368136, date(2024, 1, 12),
     "50 U.S.C. 1705(b) as adjusted for inflation (OFAC adjustment of 2024-01-12)", None),
    ("penalty.ieepa_civil_cap", 377700, date(2025, 1, 15),
     "50 U.S.C. 1705(b) as adjusted for inflation (90 FR 3687, 2025-01-15)", None),
    ("assessment.resubmission_days", 90, date(2024, 1, 29),
     "§7.305(a): a reasonable time period, as determined by the Department",
     "Office default; each assessment may set its own period."),
]


def _seed_rule_parameters():
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    seeded_at = datetime(2026, 11, 23, tzinfo=UTC)
    op.bulk_insert(
        parameters,
        [
            {
                "key": key,
                "value": str(value),
                "effective_from": effective_from,
                "citation": citation,
                "note": note,
                "created_at": seeded_at,
            }
            for key, value, effective_from, citation, note in SEED_PARAMETERS
        ],
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_change ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
    
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('rule_parameters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_parameters_key'))

    op.drop_table('rule_parameters')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_module'))
        batch_op.drop_index(batch_op.f('ix_deadlines_met_on'))
        batch_op.drop_index(batch_op.f('ix_deadlines_due_on'))
        batch_op.drop_index(batch_op.f('ix_deadlines_clock_key'))
        batch_op.drop_index(batch_op.f('ix_deadlines_assignee_id'))

    op.drop_table('deadlines')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('providers')
    op.drop_table('audit_head')

