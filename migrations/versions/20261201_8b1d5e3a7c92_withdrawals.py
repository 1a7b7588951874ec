"""A provider may withdraw its exemption request before a finding (§7.306(e)(1)), and the office
may withdraw a proposed penalty before its notice is served (§7.309(c)(1)): the day and the
reasons of each.

Revision ID: 8b1d5e3a7c92
Revises: 4f8a2c6e1b37
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '8b1d5e3a7c92'
down_revision = '4f8a2c6e1b37'
branch_labels = None
depends_on = None

STATES = ("'received', 'under review', 'information requested', 'in consultation', "
          "'finding drafted', 'in review', 'granted', 'denied', 'revoked'")


def upgrade():
    with op.batch_alter_table('exemption_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reasons', sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_exemption_cases_state_known'), type_='check')
        batch_op.create_check_constraint(
            'state_known', f"state IN ({STATES}, 'withdrawn')"
        )
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reasons', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reasons')
        batch_op.drop_column('withdrawn_on')
    with op.batch_alter_table('exemption_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exemption_cases_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', f"state IN ({STATES})")
        batch_op.drop_column('withdrawal_reasons')
        batch_op.drop_column('withdrawn_on')
