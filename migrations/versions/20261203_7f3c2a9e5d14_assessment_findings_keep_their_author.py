"""Each finding of an assessment keeps the analyst who wrote it: a draft finding is its author's
to change or withdraw until the report goes to review (docs/architecture.md §5).

Findings recorded before are attributed to the analyst who opened their assessment, its owner
(docs/architecture.md §12).

Revision ID: 7f3c2a9e5d14
Revises: 7b3e9c1d4a52
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '7f3c2a9e5d14'
down_revision = '7b3e9c1d4a52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment_findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('drafted_by_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE assessment_findings SET drafted_by_id = (SELECT opened_by_id FROM assessments "
        "WHERE assessments.id = assessment_findings.assessment_id)"
    )
    with op.batch_alter_table('assessment_findings', schema=None) as batch_op:
        batch_op.alter_column('drafted_by_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_assessment_findings_drafted_by_id_users'), 'users',
            ['drafted_by_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('assessment_findings', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_assessment_findings_drafted_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('drafted_by_id')
