"""Compiled foreign-reseller certifications filed by a provider's system through the API
(§7.304(f)): an import is an analyst's upload or a token's, one or the other.

Revision ID: 9d41f6a2c8e3
Revises: 7c3e2b90d4f1
Create Date: 2026-11-29 17:45:00
"""

import sqlalchemy as sa
from alembic import op


revision = '9d41f6a2c8e3'
down_revision = '7c3e2b90d4f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reseller_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', sa.Integer(), nullable=True))
        batch_op.alter_column('uploaded_by_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_reseller_imports_api_token_id_api_tokens'), 'api_tokens', ['api_token_id'], ['id'])
        batch_op.create_check_constraint('one_uploader', "(uploaded_by_id IS NULL) != (api_token_id IS NULL)")


def downgrade():
    op.execute("DELETE FROM reseller_imports WHERE uploaded_by_id IS NULL")
    with op.batch_alter_table('reseller_imports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reseller_imports_one_uploader'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_reseller_imports_api_token_id_api_tokens'), type_='foreignkey')
        batch_op.alter_column('uploaded_by_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('api_token_id')
