"""A penalty case lists its violations one by one, each against its own transaction
(§7.309(c)(1)); it may be against any person (§7.309(a)): a provider, a foreign reseller or a
person named on the case, whose name and address are kept encrypted; it records the day whose
cap bounds it; and it records referrals for criminal action and civil actions to recover
(§7.309(c)(2), (c)(3)). The cap's rows cite Commerce's table, 15 CFR 6.3.

A case drafted before has one violation row for each paragraph it named, dated the day it was
proposed, each against the one transaction value the case had (the arithmetic of the day: the
greater of the cap and twice that value, for each violation). Its cap stays as figured, dated
the day it was proposed.

Revision ID: b7e4c2a9d516
Revises: 135b3636548f
Create Date: 2026-12-03 23:00:00.000000
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "b7e4c2a9d516"
down_revision = "135b3636548f"
branch_labels = None
depends_on = None

RESPONDENTS = "'provider', 'foreign reseller', 'other person'"
PROCEEDINGS = (
    "'referral to the Attorney General for criminal action', 'civil action to recover the penalty'"
)
ONE_RESPONDENT = (
    "(respondent_kind = 'provider') = (provider_id IS NOT NULL) AND "
    "(respondent_kind = 'foreign reseller') = (reseller_id IS NOT NULL) AND "
    "(respondent_kind = 'other person') = (person_name_sealed IS NOT NULL)"
)
# Commerce's table of adjusted civil monetary penalties (15 CFR 6.3), for IEEPA (50 U.S.C.
# 1705(b)). The 2025 figure is Commerce's 2025 adjustment; the Federal Register page of the 2024
# one is not verified here, so its citation says so rather than guess.
CAP_CITATIONS = (
    ("2024-01-12", "15 CFR 6.3, IEEPA 50 U.S.C. 1705(b): 2024 adjustment (FR page not verified)"),
    ("2025-01-15", "15 CFR 6.3, IEEPA 50 U.S.C. 1705(b): 2025 adjustment, 90 FR 3687"),
)
OLD_CITATIONS = (
    ("2024-01-12", "50 U.S.C. 1705(b) as adjusted for inflation (OFAC adjustment of 2024-01-12)"),
    ("2025-01-15", "50 U.S.C. 1705(b) as adjusted for inflation (90 FR 3687, 2025-01-15)"),
)


def _cases():
    return sa.table(
        "penalty_cases",
        sa.column("id", sa.Integer),
        sa.column("violation_codes", sa.JSON),
        sa.column("transaction_value", sa.BigInteger),
        sa.column("proposed_on", sa.Date),
    )


def _violations():
    return sa.table(
        "penalty_violations",
        sa.column("penalty_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("paragraph", sa.String),
        sa.column("occurred_on", sa.Date),
        sa.column("transaction", sa.Text),
        sa.column("transaction_value", sa.BigInteger),
    )


def _cite(rows):
    parameters = sa.table(
        "rule_parameters",
        sa.column("key", sa.String),
        sa.column("effective_from", sa.Date),
        sa.column("citation", sa.String),
    )
    for effective_from, citation in rows:
        op.execute(
            parameters.update()
            .where(parameters.c.key == "penalty.ieepa_civil_cap")
            .where(parameters.c.effective_from == date.fromisoformat(effective_from))
            .values(citation=citation)
        )


def upgrade():
    op.create_table(
        "penalty_violations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.String(length=4), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("transaction", sa.Text(), nullable=False),
        sa.Column("transaction_value", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["penalty_id"], ["penalty_cases.id"],
            name=op.f("fk_penalty_violations_penalty_id_penalty_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_violations")),
    )  # fmt: skip
    op.create_index(op.f("ix_penalty_violations_penalty_id"), "penalty_violations", ["penalty_id"])
    op.create_table(
        "penalty_proceedings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"kind IN ({PROCEEDINGS})", name=op.f("ck_penalty_proceedings_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["penalty_id"], ["penalty_cases.id"],
            name=op.f("fk_penalty_proceedings_penalty_id_penalty_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"],
            name=op.f("fk_penalty_proceedings_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_proceedings")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_penalty_proceedings_penalty_id"), "penalty_proceedings", ["penalty_id"]
    )

    cases, violations = _cases(), _violations()
    bind = op.get_bind()
    rows = [
        {"penalty_id": case.id, "number": number, "paragraph": code,
         "occurred_on": case.proposed_on, "transaction": "",
         "transaction_value": case.transaction_value}
        for case in bind.execute(sa.select(cases).order_by(cases.c.id))
        for number, code in enumerate(case.violation_codes or [], start=1)
    ]  # fmt: skip
    if rows:
        op.bulk_insert(violations, rows)

    with op.batch_alter_table("penalty_cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("respondent_kind", sa.String(length=20), nullable=False,
                      server_default="provider")
        )  # fmt: skip
        batch_op.add_column(sa.Column("reseller_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("person_name_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("person_address_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cap_on", sa.Date(), nullable=True))
        batch_op.alter_column("provider_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_penalty_cases_reseller_id"), ["reseller_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_penalty_cases_reseller_id_foreign_resellers"),
            "foreign_resellers", ["reseller_id"], ["id"],
        )  # fmt: skip
        batch_op.drop_column("violation_codes")
        batch_op.drop_column("transaction_value")
    op.execute("UPDATE penalty_cases SET cap_on = proposed_on")
    with op.batch_alter_table("penalty_cases", schema=None) as batch_op:
        batch_op.alter_column("respondent_kind", server_default=None)
        batch_op.alter_column("cap_on", existing_type=sa.Date(), nullable=False)
        batch_op.create_check_constraint("respondent_known", f"respondent_kind IN ({RESPONDENTS})")
        batch_op.create_check_constraint("one_respondent", ONE_RESPONDENT)
    _cite(CAP_CITATIONS)


def downgrade():
    _cite(OLD_CITATIONS)
    cases, violations = _cases(), _violations()
    bind = op.get_bind()
    found: dict[int, list] = {}
    for row in bind.execute(sa.select(violations).order_by(violations.c.number)):
        found.setdefault(row.penalty_id, []).append(row)
    op.drop_index(op.f("ix_penalty_proceedings_penalty_id"), table_name="penalty_proceedings")
    op.drop_table("penalty_proceedings")
    op.drop_index(op.f("ix_penalty_violations_penalty_id"), table_name="penalty_violations")
    op.drop_table("penalty_violations")
    # The schema before knew only providers as respondents.
    op.execute("DELETE FROM penalty_cases WHERE provider_id IS NULL")
    with op.batch_alter_table("penalty_cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_penalty_cases_one_respondent"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_penalty_cases_respondent_known"), type_="check")
        batch_op.add_column(sa.Column("violation_codes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("transaction_value", sa.BigInteger(), nullable=True))
    for penalty_id, rows in found.items():
        values = [row.transaction_value for row in rows if row.transaction_value]
        bind.execute(
            cases.update()
            .where(cases.c.id == penalty_id)
            .values(violation_codes=[row.paragraph for row in rows],
                    transaction_value=max(values) if values else None)
        )  # fmt: skip
    with op.batch_alter_table("penalty_cases", schema=None) as batch_op:
        batch_op.alter_column("violation_codes", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f("fk_penalty_cases_reseller_id_foreign_resellers"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_penalty_cases_reseller_id"))
        batch_op.alter_column("provider_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("cap_on")
        batch_op.drop_column("person_address_sealed")
        batch_op.drop_column("person_name_sealed")
        batch_op.drop_column("reseller_id")
        batch_op.drop_column("respondent_kind")
