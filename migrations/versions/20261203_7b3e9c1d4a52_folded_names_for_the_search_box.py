"""Providers' and foreign resellers' names folded for the search box (search_name), filled in
for the rows already on record.

Revision ID: 7b3e9c1d4a52
Revises: b7e41c9a2d50
Create Date: 2026-12-03 09:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

from core.search.rules import search_column

revision = '7b3e9c1d4a52'
down_revision = 'b7e41c9a2d50'
branch_labels = None
depends_on = None

# Rows folded and written back per statement.
BATCH = 5_000


def _fill(table, limit, names_of):
    bind = op.get_bind()
    rows = sa.table(table, sa.column('id'), sa.column('legal_name'), sa.column('business_names'),
                    sa.column('name'), sa.column('search_name'))
    columns = ('id', 'legal_name', 'business_names') if table == 'providers' else ('id', 'name')
    last = 0
    while True:
        batch = bind.execute(sa.text(
            f"SELECT {', '.join(columns)} FROM {table} WHERE id > :last ORDER BY id LIMIT {BATCH}"
        ), {'last': last}).all()
        if not batch:
            return
        bind.execute(
            rows.update().where(rows.c.id == sa.bindparam('target')).values(
                search_name=sa.bindparam('folded')),
            [{'target': row.id, 'folded': search_column(names_of(row), limit=limit)}
             for row in batch],
        )
        last = batch[-1].id


def _business_names(value):
    names = json.loads(value) if isinstance(value, str) else value
    return list(names or [])


def upgrade():
    for table, limit in (('providers', 1000), ('foreign_resellers', 300)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_name', sa.String(length=limit), nullable=True))
    _fill('providers', 1000, lambda row: [row.legal_name, *_business_names(row.business_names)])
    _fill('foreign_resellers', 300, lambda row: [row.name])
    for table, limit in (('providers', 1000), ('foreign_resellers', 300)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('search_name', existing_type=sa.String(length=limit),
                                  nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_search_name'), ['search_name'],
                                  unique=False)


def downgrade():
    for table in ('foreign_resellers', 'providers'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_search_name'))
            batch_op.drop_column('search_name')
