"""People's notices and their choices of delivery (at once, in a daily digest, in the
application only), and every outgoing email with each attempt to deliver it.

Revision ID: d8418d8d79dd
Revises: 4290e0acc8c0
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = 'd8418d8d79dd'
down_revision = '4290e0acc8c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digest_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest_at', sa.Time(), nullable=False),
    sa.Column('last_sent_on', sa.Date(), nullable=True),
    sa.Column('last_count', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_settings_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_digest_settings'))
    )
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('delivery', sa.Enum('at_once', 'digest', 'in_app', name='delivery_known', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_settings'))
    )
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('subject_line', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('about_type', sa.String(length=40), nullable=True),
    sa.Column('about_id', sa.String(length=40), nullable=True),
    sa.Column('to_provider', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'sent', 'kept', 'failed', name='state_known', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('last_answer', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_outgoing_mail_job_id_jobs')),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['users.id'], name=op.f('fk_outgoing_mail_recipient_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_queued_at'), ['queued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_recipient_user_id'), ['recipient_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_template'), ['template'], unique=False)

    op.create_table('mail_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mail.id'], name=op.f('fk_mail_attempts_mail_id_outgoing_mail')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attempts'))
    )
    with op.batch_alter_table('mail_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attempts_mail_id'), ['mail_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('link', sa.String(length=400), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.String(length=40), nullable=True),
    sa.Column('once_key', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery', sa.Enum('at_once', 'digest', 'in_app', name='delivery_known', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=True),
    sa.Column('digest_mail_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['digest_mail_id'], ['outgoing_mail.id'], name=op.f('fk_notifications_digest_mail_id_outgoing_mail')),
    sa.ForeignKeyConstraint(['mail_id'], ['outgoing_mail.id'], name=op.f('fk_notifications_mail_id_outgoing_mail')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_digest_mail_id'), ['digest_mail_id'], unique=False)
        batch_op.create_index('ix_notifications_inbox', ['user_id', 'read_at', 'created_at'], unique=False)
        batch_op.create_index('uq_notifications_once', ['user_id', 'once_key'], unique=True)



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('uq_notifications_once')
        batch_op.drop_index('ix_notifications_inbox')
        batch_op.drop_index(batch_op.f('ix_notifications_digest_mail_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('mail_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attempts_mail_id'))

    op.drop_table('mail_attempts')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_template'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_state'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_recipient_user_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_queued_at'))

    op.drop_table('outgoing_mail')
    op.drop_table('notification_settings')
    op.drop_table('digest_settings')
