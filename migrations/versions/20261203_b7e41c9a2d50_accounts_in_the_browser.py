"""Accounts made in the browser: a password chosen by its owner through a one-time link
(account_links), what the account's page shows of its sign-ins, the reset of a second factor;
and the sealed one-time link an outgoing message holds a placeholder for.

Downgrading gives an account still waiting for its enrolment an unusable password hash ("!",
which no password matches), since the earlier schema requires one.

Revision ID: b7e41c9a2d50
Revises: 5c0a7e3d9b21
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = 'b7e41c9a2d50'
down_revision = '5c0a7e3d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=200), nullable=True)
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_failed_sign_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failures_since_sign_in', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('second_factor_reset_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('one_time_link_sealed', sa.Text(), nullable=True))
    op.create_table('account_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("purpose IN ('enrolment', 'password_reset')",
                       name=op.f('ck_account_links_purpose_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_links_user_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_account_links_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_links_token_hash'))
    )
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_links_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_links_user_id'))
    op.drop_table('account_links')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('one_time_link_sealed')
    op.execute("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('second_factor_reset_at')
        batch_op.drop_column('failures_since_sign_in')
        batch_op.drop_column('last_failed_sign_in_at')
        batch_op.drop_column('last_sign_in_at')
        batch_op.alter_column('password_hash', existing_type=sa.String(length=200), nullable=False)
