"""Risk scores are kept, one row per provider, instead of computed on every request
(§7.305(d)); the queue pages by the score's index.

Revision ID: c4d8e2a61f37
Revises: 7f3c2a9e5d14
Create Date: 2026-12-03 20:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e2a61f37"
down_revision = "7f3c2a9e5d14"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "risk_scores",
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("lines_json", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("certification", sa.String(length=40), nullable=False),
        sa.Column("weights_version", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("good_for", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"]),
        sa.PrimaryKeyConstraint("provider_id"),
    )
    op.create_index("ix_risk_scores_score", "risk_scores", ["score", "provider_id"])
    op.create_index("ix_risk_scores_good_for", "risk_scores", ["good_for"])


def downgrade():
    op.drop_index("ix_risk_scores_good_for", table_name="risk_scores")
    op.drop_index("ix_risk_scores_score", table_name="risk_scores")
    op.drop_table("risk_scores")
