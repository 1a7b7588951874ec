"""Where each foreign reseller on record comes from: the CIP certification whose list names it
(§7.304(a)(2)(viii)) and the compiled certification that certifies its CIP (§7.304(f)); the
catalogue accelerator an analyst confirms for a training report (§7.308(d)(1)(ii)(C)); and room
for a telephone extension in the Primary Contacts' numbers. Values already kept stay as they are.

Revision ID: 11ff492403ce
Revises: 8b1d5e3a7c92
Create Date: 2026-12-01 08:04:11
"""

import sqlalchemy as sa
from alembic import op


revision = '11ff492403ce'
down_revision = '8b1d5e3a7c92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accelerator_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('accelerator_id', sa.Integer(), nullable=False),
    sa.Column('reported_model', sa.String(length=120), nullable=False),
    sa.Column('chosen_by_id', sa.Integer(), nullable=False),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accelerator_id'], ['accelerators.id'], name=op.f('fk_accelerator_choices_accelerator_id_accelerators')),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'], name=op.f('fk_accelerator_choices_chosen_by_id_users')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_accelerator_choices_filing_id_filings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accelerator_choices')),
    sa.UniqueConstraint('filing_id', name=op.f('uq_accelerator_choices_filing_id'))
    )
    with op.batch_alter_table('foreign_resellers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed_in_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('certified_in_id', sa.Integer(), nullable=True))
        batch_op.alter_column('contact_phone', existing_type=sa.VARCHAR(length=20),
                              type_=sa.String(length=50), existing_nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_foreign_resellers_certified_in_id_filings'), 'filings', ['certified_in_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_foreign_resellers_listed_in_id_filings'), 'filings', ['listed_in_id'], ['id'])
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.alter_column('contact_phone', existing_type=sa.VARCHAR(length=20),
                              type_=sa.String(length=50), existing_nullable=False)


def downgrade():
    # A number kept with its extension does not fit the old column: the extension goes.
    find = 'strpos' if op.get_bind().dialect.name == 'postgresql' else 'instr'
    for table in ('providers', 'foreign_resellers'):
        op.execute(
            f"UPDATE {table} SET contact_phone = substr(contact_phone, 1, {find}(contact_phone, ';') - 1) "
            "WHERE contact_phone LIKE '%;ext=%'"
        )
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.alter_column('contact_phone', existing_type=sa.String(length=50),
                              type_=sa.VARCHAR(length=20), existing_nullable=False)
    with op.batch_alter_table('foreign_resellers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_foreign_resellers_listed_in_id_filings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_foreign_resellers_certified_in_id_filings'), type_='foreignkey')
        batch_op.alter_column('contact_phone', existing_type=sa.String(length=50),
                              type_=sa.VARCHAR(length=20), existing_nullable=True)
        batch_op.drop_column('certified_in_id')
        batch_op.drop_column('listed_in_id')
    op.drop_table('accelerator_choices')
