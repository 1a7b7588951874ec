"""Reports of large AI model training (§7.308): payment identifiers sealed and indexed for the
cross-filing search, IP access logs, requests for additional information, and the accelerator
catalogue seeded from the makers' published figures; risk weights for §7.305(d)(1)(ii) and for
open foreign-reseller oversight cases (§7.305(d)(1)(i)).

Revision ID: 5a1e0c7d9b21
Revises: 877288db3c20
Create Date: 2026-11-29 17:30:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op


revision = '5a1e0c7d9b21'
down_revision = '877288db3c20'
branch_labels = None
depends_on = None

CREATED = datetime(2026, 11, 29, tzinfo=UTC)


def upgrade():
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raw_encrypted', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filing_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('response_filing_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_department_requests_filing_id'), ['filing_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_department_requests_filing_id_filings'), 'filings', ['filing_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_department_requests_response_filing_id_filings'), 'filings', ['response_filing_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_department_requests_kind_known'), type_='check')
        batch_op.create_check_constraint(
            'kind_known', "kind IN ('cip_copy', 'reseller_cip_copy', 'ai_additional_information')"
        )
        batch_op.create_check_constraint(
            'report_when_needed', "(kind = 'ai_additional_information') = (filing_id IS NOT NULL)"
        )

    op.create_table('report_identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.String(length=30), nullable=True),
    sa.Column('match_key', sa.String(length=300), nullable=False),
    sa.Column('shown_as', sa.String(length=300), nullable=False),
    sa.Column('ciphertext', sa.Text(), nullable=True),
    sa.CheckConstraint("(kind IN ('payment', 'wallet')) = (ciphertext IS NOT NULL)", name=op.f('ck_report_identifiers_payments_encrypted')),
    sa.CheckConstraint("kind IN ('name', 'email', 'phone', 'payment', 'wallet')", name=op.f('ck_report_identifiers_kind_known')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_report_identifiers_filing_id_filings')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_report_identifiers_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_identifiers'))
    )
    with op.batch_alter_table('report_identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_identifiers_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index('ix_report_identifiers_kind_match_key', ['kind', 'match_key'], unique=False)

    op.create_table('ip_log_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attached_by_id', sa.Integer(), nullable=True),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_tokens.id'], name=op.f('fk_ip_log_attachments_api_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['attached_by_id'], ['users.id'], name=op.f('fk_ip_log_attachments_attached_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_ip_log_attachments_document_id_documents')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_ip_log_attachments_filing_id_filings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ip_log_attachments'))
    )
    with op.batch_alter_table('ip_log_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ip_log_attachments_filing_id'), ['filing_id'], unique=False)

    op.create_table('ip_accesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('ip_key', sa.String(length=32), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('accessed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('utc_offset_minutes', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=15), nullable=False),
    sa.CheckConstraint("action IN ('access', 'administration')", name=op.f('ck_ip_accesses_action_known')),
    sa.ForeignKeyConstraint(['attachment_id'], ['ip_log_attachments.id'], name=op.f('fk_ip_accesses_attachment_id_ip_log_attachments')),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], name=op.f('fk_ip_accesses_filing_id_filings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ip_accesses'))
    )
    with op.batch_alter_table('ip_accesses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ip_accesses_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ip_accesses_ip_key'), ['ip_key'], unique=False)

    accelerators = op.create_table('accelerators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('vendor', sa.String(length=80), nullable=False),
    sa.Column('peak_dense_ops_per_second', sa.Float(), nullable=False),
    sa.Column('number_format', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_accelerators_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accelerators')),
    sa.UniqueConstraint('model', name=op.f('uq_accelerators_model'))
    )
    op.bulk_insert(accelerators, [
        {"model": model, "vendor": vendor, "peak_dense_ops_per_second": peak,
         "number_format": "BF16 dense", "source": source, "updated_at": CREATED}
        for model, vendor, peak, source in SEED_ACCELERATORS
    ])
    _seed_weights()


# Figures from the makers' published datasheets (dense BF16 tensor throughput, no sparsity);
# the same rows as intake.ai.rules.ACCELERATOR_SEED, written out because a migration does not
# import application code.
SEED_ACCELERATORS = [
    ("A100 SXM", "NVIDIA", 312e12,
     "NVIDIA A100 Tensor Core GPU datasheet (2021): BF16 Tensor Core 312 teraFLOPS (624 with sparsity)"),
    ("H100 SXM", "NVIDIA", 989.4e12,
     "NVIDIA H100 Tensor Core GPU datasheet (2022): BF16 Tensor Core 1,979 teraFLOPS with sparsity; "
     "dense 989.4 in the NVIDIA H100 Tensor Core GPU Architecture whitepaper (2022)"),
    ("H200 SXM", "NVIDIA", 989.4e12,
     "NVIDIA H200 Tensor Core GPU datasheet (2024): BF16 Tensor Core 1,979 teraFLOPS with sparsity; "
     "the same Hopper tensor cores as the H100 SXM, dense 989.4"),
    ("MI250X", "AMD", 383e12, "AMD Instinct MI250X accelerator datasheet (2021): peak BF16 383 teraFLOPS"),
    ("MI300X", "AMD", 1307.4e12,
     "AMD Instinct MI300X accelerator datasheet (2023): peak BF16 1,307.4 teraFLOPS (2,614.9 with sparsity)"),
    ("TPU v4", "Google", 275e12,
     "Google Cloud TPU v4 documentation (2022): peak compute per chip (bf16) 275 teraFLOPS"),
    ("TPU v5p", "Google", 459e12,
     "Google Cloud TPU v5p documentation (2023): peak compute per chip (bf16) 459 teraFLOPS"),
]

WEIGHT_NOTE = "Office starting weight; not set by the rule text."
SEED_WEIGHTS = [
    ("risk.weight.ai_training_report", 10, "§7.305(d)(1)(ii)"),
    ("risk.weight.late_ai_report", 5, "§7.305(d)(1)(ii)"),
    ("risk.weight.corrected_ai_report", 5, "§7.305(d)(1)(ii)"),
    ("risk.weight.reseller_oversight", 10, "§7.305(d)(1)(i)"),
    ("risk.weight.implausible_compute_estimate", 15, "§7.305(d)(1)(ii)"),
]


def _seed_weights():
    parameters = sa.table(
        "rule_parameters",
        sa.column("key"),
        sa.column("value"),
        sa.column("effective_from", sa.Date),
        sa.column("citation"),
        sa.column("note"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(parameters, [
        {"key": key, "value": str(value), "effective_from": date(2024, 1, 29),
         "citation": citation, "note": WEIGHT_NOTE, "created_at": CREATED}
        for key, value, citation in SEED_WEIGHTS
    ])


def downgrade():
    op.execute(
        "DELETE FROM rule_parameters WHERE key IN ('risk.weight.ai_training_report', "
        "'risk.weight.late_ai_report', 'risk.weight.corrected_ai_report', "
        "'risk.weight.reseller_oversight', 'risk.weight.implausible_compute_estimate')"
    )
    op.drop_table('accelerators')
    op.drop_table('ip_accesses')
    op.drop_table('ip_log_attachments')
    op.drop_table('report_identifiers')
    with op.batch_alter_table('department_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_department_requests_report_when_needed'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_department_requests_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', "kind IN ('cip_copy', 'reseller_cip_copy')")
        batch_op.drop_constraint(batch_op.f('fk_department_requests_response_filing_id_filings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_department_requests_filing_id_filings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_department_requests_filing_id'))
        batch_op.drop_column('response_filing_id')
        batch_op.drop_column('filing_id')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_column('raw_encrypted')
