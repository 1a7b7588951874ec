"""Each provider keeps the day of its last annual certification (§7.304(b)), so that the
registry filters and sorts by certification status on an index rather than grouping every
filing on every page; filled from the filings on record.

Revision ID: f2b8d4a6c913
Revises: d6f1a3b8c027
Create Date: 2026-12-06 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b8d4a6c913"
down_revision = "d6f1a3b8c027"
branch_labels = None
depends_on = None

# The kinds that certify a CIP when this revision was written (intake.kinds, certifies_cip).
CERTIFYING_KINDS = ("cip_certification", "annual_certification", "new_provider_certification")


def upgrade():
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("last_certified_on", sa.Date(), nullable=True))
        batch.create_index(op.f("ix_providers_last_certified_on"), ["last_certified_on"])
    kinds = ", ".join(f"'{kind}'" for kind in CERTIFYING_KINDS)
    op.execute(
        "UPDATE providers SET last_certified_on = ("
        " SELECT max(filings.received_on) FROM filings"
        " WHERE filings.provider_id = providers.id"
        f" AND filings.kind IN ({kinds})"
        " AND filings.supersedes_id IS NULL"
        " AND (filings.timeliness IS NULL OR filings.timeliness != 'too early'))"
    )


def downgrade():
    with op.batch_alter_table("providers") as batch:
        batch.drop_index(op.f("ix_providers_last_certified_on"))
        batch.drop_column("last_certified_on")
