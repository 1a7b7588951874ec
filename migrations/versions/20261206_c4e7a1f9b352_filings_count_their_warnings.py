"""Each filing keeps how many warnings it has beside them, held equal by a check, so that the
inbox filters and sorts by it without reading every filing's warnings; the inbox's filters (kind,
timeliness, warnings) are indexed together, so that it counts what they select from the index.

Revision ID: c4e7a1f9b352
Revises: f2b8d4a6c913
Create Date: 2026-12-06 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e7a1f9b352"
down_revision = "f2b8d4a6c913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("filings") as batch:
        batch.add_column(
            sa.Column("warning_count", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute("UPDATE filings SET warning_count = coalesce(json_array_length(warnings_json), 0)")
    with op.batch_alter_table("filings") as batch:
        batch.create_check_constraint(
            "warning_count_counts_warnings",
            "warning_count = coalesce(json_array_length(warnings_json), 0)",
        )
        batch.create_index(
            "ix_filings_inbox_filters", ["kind", "timeliness", "warning_count"], unique=False
        )


def downgrade():
    with op.batch_alter_table("filings") as batch:
        batch.drop_index("ix_filings_inbox_filters")
        batch.drop_constraint("warning_count_counts_warnings", type_="check")
        batch.drop_column("warning_count")
