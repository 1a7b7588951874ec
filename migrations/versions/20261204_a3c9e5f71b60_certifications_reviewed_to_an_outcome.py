"""Certifications reviewed to an outcome (§7.305(b)): each review with its reasons, the notice
of a deficiency as a kind of document sent to providers, and the risk weights of a deficient
certification awaiting resubmission and of one not resubmitted in its period (§7.305(d)(2)).

Revision ID: a3c9e5f71b60
Revises: b7e4c2a9d516
Create Date: 2026-12-04 09:00:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "a3c9e5f71b60"
down_revision = "b7e4c2a9d516"
branch_labels = None
depends_on = None

CREATED = datetime(2026, 12, 4, tzinfo=UTC)
KINDS = (
    "cip_copy_request",
    "reseller_cip_copy_request",
    "information_request",
    "assessment_report",
    "exemption_decision",
    "penalty_notice",
    "special_measure_notice",
)
NEW_KIND = "certification_deficiency"

WEIGHT_NOTE = "Office starting weight; not set by the rule text."
SEED_WEIGHTS = [
    ("risk.weight.deficient_certification", 15, "§7.305(d)(2)(i)"),
    ("risk.weight.overdue_certification_resubmission", 20, "§7.305(d)(2)(ii)"),
]


def _listed(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _kinds(values):
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_correspondence_kind_known"), type_="check")
        batch_op.create_check_constraint("kind_known", _listed("kind", values))


def upgrade():
    op.create_table(
        "certification_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("reasons", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("resubmission_id", sa.Integer(), nullable=True),
        sa.Column("resubmitted_on", sa.Date(), nullable=True),
        sa.CheckConstraint(_listed("outcome", ("accepted", "deficient")),
                           name=op.f("ck_certification_reviews_outcome_known")),
        sa.ForeignKeyConstraint(["filing_id"], ["filings.id"],
                                name=op.f("fk_certification_reviews_filing_id_filings")),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"],
                                name=op.f("fk_certification_reviews_provider_id_providers")),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["users.id"],
                                name=op.f("fk_certification_reviews_reviewed_by_id_users")),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadlines.id"],
                                name=op.f("fk_certification_reviews_deadline_id_deadlines")),
        sa.ForeignKeyConstraint(["resubmission_id"], ["filings.id"],
                                name=op.f("fk_certification_reviews_resubmission_id_filings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_reviews")),
        sa.UniqueConstraint("filing_id", name=op.f("uq_certification_reviews_filing_id")),
    )  # fmt: skip
    with op.batch_alter_table("certification_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_reviews_provider_id"), ["provider_id"], unique=False
        )
    _kinds((*KINDS, NEW_KIND))
    # A weight is seeded once: a downgrade keeps it (below), so an upgrade again finds it.
    for key, value, citation in SEED_WEIGHTS:
        op.execute(
            sa.text(
                "INSERT INTO rule_parameters (key, value, effective_from, citation, note, "
                "created_at) SELECT :key, :value, :effective_from, :citation, :note, :created_at "
                "WHERE NOT EXISTS (SELECT 1 FROM rule_parameters WHERE key = :key)"
            ).bindparams(
                sa.bindparam("effective_from", date(2024, 1, 29), type_=sa.Date()),
                sa.bindparam("created_at", CREATED, type_=sa.DateTime(timezone=True)),
                key=key, value=str(value), citation=citation, note=WEIGHT_NOTE,
            )
        )  # fmt: skip


def downgrade():
    # The two weights stay, as every rule parameter's history does: an earlier schema reads
    # only the keys it knows.
    # Notices of deficiency cannot go back to a schema that has no such kind of document.
    op.execute(
        "DELETE FROM correspondence_links WHERE correspondence_id IN "
        "(SELECT id FROM correspondence WHERE kind = 'certification_deficiency')"
    )
    op.execute("DELETE FROM correspondence WHERE kind = 'certification_deficiency'")
    _kinds(KINDS)
    op.drop_table("certification_reviews")
