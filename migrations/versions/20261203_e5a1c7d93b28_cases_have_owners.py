"""Every case has an owner (an analyst, or nobody yet) and perhaps a team, and a deadline
given to someone by hand stops following its case's owner (docs/architecture.md §16).

Cases opened before are given the analyst who opened them, as the notices have treated them
until now (docs/architecture.md §12): an assessment's or a reseller oversight's opener, a
penalty's drafter, a special-measure case's creator; an exemption case, opened by the
provider's filing, whoever first asked its submitter for information, else consulted the
agencies on it, else drafted its finding, and nobody before then. A case's open deadlines that
nobody had assigned go to its owner; those somebody assigned are kept as assigned by hand.

Revision ID: e5a1c7d93b28
Revises: c4d8e2a61f37
Create Date: 2026-12-03 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a1c7d93b28"
down_revision = "c4d8e2a61f37"
branch_labels = None
depends_on = None

# Each case table, the column naming who opened it, and its deadlines' subject type.
CASES = (
    ("assessments", "opened_by_id", "assessment"),
    ("penalty_cases", "drafted_by_id", "penalty"),
    ("reseller_oversight", "opened_by_id", "reseller_oversight"),
    ("exemption_cases", None, "exemption"),
    ("special_measure_cases", "created_by_id", "special_measure"),
)

# The first analyst who worked an exemption case, as exemptions/notices.py read it until now.
EXEMPTION_OWNER = """
UPDATE exemption_cases SET owner_id = COALESCE(
    (SELECT requested_by_id FROM exemption_information_requests
      WHERE exemption_information_requests.case_id = exemption_cases.id
      ORDER BY exemption_information_requests.id LIMIT 1),
    (SELECT requested_by_id FROM consultations
      WHERE consultations.subject_type = 'exemption'
        AND consultations.subject_id = CAST(exemption_cases.id AS VARCHAR(40))
      ORDER BY consultations.id LIMIT 1),
    finding_drafted_by_id
)
"""


def upgrade():
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    for table, _opener, _subject in CASES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_owner_id"), ["owner_id"])
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_owner_id_users"), "users", ["owner_id"], ["id"]
            )
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_team_id_teams"), "teams", ["team_id"], ["id"]
            )
    for table, opener, _subject in CASES:
        if opener:
            op.execute(f"UPDATE {table} SET owner_id = {opener}")
    op.execute(EXEMPTION_OWNER)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("assigned_by_hand", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute("UPDATE deadlines SET assigned_by_hand = (assignee_id IS NOT NULL)")
    for table, _opener, subject in CASES:
        op.execute(
            f"UPDATE deadlines SET assignee_id = (SELECT owner_id FROM {table} "
            f"WHERE CAST({table}.id AS VARCHAR(40)) = deadlines.subject_id) "
            f"WHERE subject_type = '{subject}' AND assignee_id IS NULL AND met_on IS NULL"
        )


def downgrade():
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("assigned_by_hand")
    for table, _opener, _subject in reversed(CASES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_team_id_teams"), type_="foreignkey")
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_owner_id_users"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_owner_id"))
            batch_op.drop_column("team_id")
            batch_op.drop_column("owner_id")
    op.drop_table("teams")
