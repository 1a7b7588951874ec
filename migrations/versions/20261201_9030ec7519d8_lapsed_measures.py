"""A special-measure case records the lapse of its measure (§7.307(a)(5)): the state "lapsed",
which the daily run sets the day after the last day in effect when no extension was published.
Until now a lapse was only computed from the dates; cases already past their last day are moved
by the first daily run, not here, so that each move is audited as the others are.

Revision ID: 9030ec7519d8
Revises: d93b6f0a2e14
Create Date: 2026-12-01 14:30:00
"""

import sqlalchemy as sa
from alembic import op


revision = '9030ec7519d8'
down_revision = 'd93b6f0a2e14'
branch_labels = None
depends_on = None

STATES = ("'referred', 'under evaluation', 'in consultation', 'determination drafted', "
          "'in review', 'approved', 'issued'")
CLOSED = "'closed without a measure'"


def upgrade():
    with op.batch_alter_table('special_measure_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_special_measure_cases_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', f"state IN ({STATES}, 'lapsed', {CLOSED})")


def downgrade():
    # Before this revision a lapse was read from the dates alone, with the case left issued.
    op.execute(sa.text("UPDATE special_measure_cases SET state = 'issued' WHERE state = 'lapsed'"))
    with op.batch_alter_table('special_measure_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_special_measure_cases_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', f"state IN ({STATES}, {CLOSED})")
