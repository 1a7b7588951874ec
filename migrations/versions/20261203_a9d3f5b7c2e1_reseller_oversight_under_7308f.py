"""A reseller oversight case is under §7.303(e) (the CIP) or §7.308(f) (AI training reports):
it records which of §7.303(e)'s two facts started the 30-day clock, the closing of the
reseller's account, and, under §7.308(f), the provider's notice to the reseller, the suspension
and the resumption on its assurances. Cases opened before are §7.303(e) cases, and a clock
started before was started by the knowledge that the reseller had not remediated, the only
fact the page offered. The new open cases weigh on the risk score under §7.305(d)(1)(ii); their
weight, a rule parameter, is kept by a downgrade, as a parameter's history is evidence.

Revision ID: a9d3f5b7c2e1
Revises: e5a1c7d93b28
Create Date: 2026-12-03 23:00:00.000000
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "a9d3f5b7c2e1"
down_revision = "e5a1c7d93b28"
branch_labels = None
depends_on = None

OLD_STATES = ("evidence received", "termination clock running", "relationship terminated",
              "remediated")  # fmt: skip
STATES = (*OLD_STATES, "reseller notified", "provision suspended",
          "provision resumed on assurances")  # fmt: skip
BASES = ("§7.303(e)", "§7.308(f)")
TRIGGERS = (
    "knowledge that the reseller has not remediated the issues",
    "continuing the relationship otherwise increases the risk of malicious use",
)
DATES = ("account_closed_on", "notified_on", "suspended_on", "resumed_on")
NOTES = ("trigger_note", "account_closure_note", "notice_note", "suspension_note", "assurances")
WEIGHT = "risk.weight.reseller_reporting_oversight"


def _in(column, values):
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def upgrade():
    with op.batch_alter_table("reseller_oversight", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basis", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("termination_trigger", sa.String(length=80), nullable=True))
        for name in DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in NOTES:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    op.execute(f"UPDATE reseller_oversight SET basis = '{BASES[0]}'")
    op.execute(
        f"UPDATE reseller_oversight SET termination_trigger = '{TRIGGERS[0]}' WHERE knowledge_on IS NOT NULL"
    )
    with op.batch_alter_table("reseller_oversight", schema=None) as batch_op:
        batch_op.alter_column("basis", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint(batch_op.f("ck_reseller_oversight_state_known"), type_="check")
        batch_op.create_check_constraint("state_known", _in("state", STATES))
        batch_op.create_check_constraint("basis_known", _in("basis", BASES))
        batch_op.create_check_constraint("trigger_known", _in("termination_trigger", TRIGGERS))
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # Once: a downgrade keeps the weight, a rule parameter's history being evidence.
    present = op.get_bind().execute(
        sa.select(sa.func.count()).select_from(parameters).where(parameters.c.key == WEIGHT)
    ).scalar_one()
    if present:
        return
    op.bulk_insert(parameters, [
        {"key": WEIGHT, "value": "10", "effective_from": date(2024, 1, 29),
         "citation": "§7.305(d)(1)(ii)", "note": "Office starting weight; not set by the rule text.",
         "created_at": datetime(2026, 12, 3, tzinfo=UTC)},
    ])  # fmt: skip


def downgrade():
    # The weight stays (see upgrade): it weighs nothing once no signal is of its kind.
    op.execute(
        f"UPDATE reseller_oversight SET state = 'remediated' WHERE NOT ({_in('state', OLD_STATES)})"
    )
    with op.batch_alter_table("reseller_oversight", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_reseller_oversight_trigger_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_reseller_oversight_basis_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_reseller_oversight_state_known"), type_="check")
        batch_op.create_check_constraint("state_known", _in("state", OLD_STATES))
        for name in (*NOTES, *DATES, "termination_trigger", "basis"):
            batch_op.drop_column(name)
