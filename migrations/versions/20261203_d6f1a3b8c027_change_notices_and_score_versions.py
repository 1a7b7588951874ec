"""Notices of material change a provider gives or owes (§7.309(b)(1), (3)), weighed in the risk
score (§7.305(d)(2)(i)); every kept score and snapshot keeps the scoring rules' version, and a
snapshot the weights, it was computed with.

Revision ID: d6f1a3b8c027
Revises: a3c9e5f71b60
Create Date: 2026-12-03 14:00:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "d6f1a3b8c027"
down_revision = "a3c9e5f71b60"
branch_labels = None
depends_on = None

CREATED = datetime(2026, 12, 3, tzinfo=UTC)
WEIGHT_NOTE = "Office starting weight; not set by the rule text."
SEED_WEIGHTS = [
    ("risk.weight.change_notice_not_given", 15, "§7.305(d)(2)(i)"),
    ("risk.weight.change_notice_late", 5, "§7.305(d)(2)(i)"),
]


def upgrade():
    op.create_table(
        "change_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("obligation", sa.String(length=30), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("notice_received_on", sa.Date(), nullable=True),
        sa.Column("learned_on", sa.Date(), nullable=True),
        sa.Column("learned_from", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "notice_received_on IS NOT NULL OR learned_on IS NOT NULL",
            name=op.f("ck_change_notices_notice_or_knowledge"),
        ),
        sa.CheckConstraint(
            "obligation IN ('cip unnecessary', 'representation ended')",
            name=op.f("ck_change_notices_obligation_known"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_change_notices_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_change_notices_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_notices")),
    )
    with op.batch_alter_table("change_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_notices_provider_id"), ["provider_id"], unique=False
        )
    with op.batch_alter_table("risk_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weights_version", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rules_version", sa.String(length=40), nullable=True))
    with op.batch_alter_table("risk_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules_version", sa.String(length=40), nullable=True))
    # Only the weights not there yet: a downgrade leaves them (below), and they come back.
    present = set(
        op.get_bind()
        .execute(
            sa.text("SELECT key FROM rule_parameters WHERE key IN :keys").bindparams(
                sa.bindparam("keys", expanding=True)
            ),
            {"keys": [key for key, _value, _citation in SEED_WEIGHTS]},
        )
        .scalars()
    )
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    missing = [
        {"key": key, "value": str(value), "effective_from": date(2024, 1, 29),
         "citation": citation, "note": WEIGHT_NOTE, "created_at": CREATED}
        for key, value, citation in SEED_WEIGHTS
        if key not in present
    ]  # fmt: skip
    if missing:
        op.bulk_insert(parameters, missing)


def downgrade():
    # The weights stay: they are rule parameters an administrator may have given values since,
    # and a parameter no definition names is read by nothing.
    with op.batch_alter_table("risk_scores", schema=None) as batch_op:
        batch_op.drop_column("rules_version")
    with op.batch_alter_table("risk_snapshots", schema=None) as batch_op:
        batch_op.drop_column("rules_version")
        batch_op.drop_column("weights_version")
    with op.batch_alter_table("change_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_notices_provider_id"))
    op.drop_table("change_notices")
