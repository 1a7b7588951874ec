"""Reports of suspected violations from anyone (§7.310): the report as sent, its contact
details sealed, its triage (owner, links to a provider, a reseller or a case, outcome), and the
documents sent with it (docs/architecture.md §18).

Revision ID: 135b3636548f
Revises: a9d3f5b7c2e1
Create Date: 2026-12-03 13:16:44.834449
"""

import sqlalchemy as sa
from alembic import op

revision = "135b3636548f"
down_revision = "a9d3f5b7c2e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "violation_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acknowledgement", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "requirement",
            sa.Enum(
                "cip",
                "foreign_reseller",
                "cip_reporting",
                "exemption",
                "special_measure",
                "ai_training",
                "not_sure",
                name="requirement_known",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "timing",
            sa.Enum(
                "occurred",
                "likely",
                "not_sure",
                name="timing_known",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("concerns", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_sealed", sa.Text(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "in triage",
                "closed",
                name="state_known",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("reseller_id", sa.Integer(), nullable=True),
        sa.Column("case_kind", sa.String(length=40), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "case",
                "duplicate",
                "no_violation",
                "insufficient",
                "not_subpart_d",
                name="outcome_known",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("outcome_reasons", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_violation_reports_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_violation_reports_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_violation_reports_provider_id_providers"),
        ),
        sa.ForeignKeyConstraint(
            ["reseller_id"],
            ["foreign_resellers.id"],
            name=op.f("fk_violation_reports_reseller_id_foreign_resellers"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_violation_reports_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation_reports")),
        sa.UniqueConstraint("acknowledgement", name=op.f("uq_violation_reports_acknowledgement")),
    )
    with op.batch_alter_table("violation_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_violation_reports_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_violation_reports_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_violation_reports_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "violation_report_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["violation_reports.id"],
            name=op.f("fk_violation_report_attachments_report_id_violation_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation_report_attachments")),
    )
    with op.batch_alter_table("violation_report_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_violation_report_attachments_report_id"), ["report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("violation_report_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_violation_report_attachments_report_id"))

    op.drop_table("violation_report_attachments")
    with op.batch_alter_table("violation_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_violation_reports_received_at"))
        batch_op.drop_index(batch_op.f("ix_violation_reports_provider_id"))
        batch_op.drop_index(batch_op.f("ix_violation_reports_owner_id"))

    op.drop_table("violation_reports")
