"""One counter per series and year for every number people quote: receipts (OICTS), special
measure cases (SM), penalty notices (PN) and compliance assessments (AS). Seeded from the
receipt counters and from the highest reference of each series already issued.

Revision ID: 4f8a2c6e1b37
Revises: c4f2d81e6a37
Create Date: 2026-12-01 08:00:00
"""

import re

import sqlalchemy as sa
from alembic import op


revision = '4f8a2c6e1b37'
down_revision = 'c4f2d81e6a37'
branch_labels = None
depends_on = None

RECEIPTS = "OICTS"
CASE_SERIES = {
    "special_measure_cases": "SM",
    "penalty_cases": "PN",
    "assessments": "AS",
}
REFERENCE = re.compile(r"^([A-Z]+)-(\d{4})-(\d+)$")

counters = sa.table(
    "reference_counters",
    sa.column("series", sa.String),
    sa.column("year", sa.Integer),
    sa.column("last_number", sa.Integer),
)


def _highest_issued(connection) -> dict[tuple[str, int], int]:
    highest: dict[tuple[str, int], int] = {}
    for year, last_number in connection.execute(
        sa.text("SELECT year, last_number FROM receipt_counters")
    ):
        highest[(RECEIPTS, year)] = last_number
    for table, series in CASE_SERIES.items():
        for (reference,) in connection.execute(sa.text(f"SELECT reference FROM {table}")):
            match = REFERENCE.match(reference)
            if match and match.group(1) == series:
                key = (series, int(match.group(2)))
                highest[key] = max(highest.get(key, 0), int(match.group(3)))
    return highest


def upgrade():
    op.create_table('reference_counters',
    sa.Column('series', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', 'year', name=op.f('pk_reference_counters'))
    )
    highest = _highest_issued(op.get_bind())
    if highest:
        op.bulk_insert(counters, [
            {"series": series, "year": year, "last_number": number}
            for (series, year), number in sorted(highest.items())
        ])
    op.drop_table('receipt_counters')


def downgrade():
    op.create_table('receipt_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_receipt_counters'))
    )
    op.execute(
        "INSERT INTO receipt_counters (year, last_number) "
        f"SELECT year, last_number FROM reference_counters WHERE series = '{RECEIPTS}'"
    )
    op.drop_table('reference_counters')
