"""States, statuses and kinds are enumerations whose CHECK constraints are made from the
enumerations themselves, now also on casework's three state columns and on a foreign reseller's
status; lists kept one item a line (or a space apart) and JSON kept as text become JSON columns.
The values stored stay as they are; a list's items are its non-blank lines, trimmed.

Revision ID: 267d733392c1
Revises: 11ff492403ce
Create Date: 2026-12-01 12:00:00
"""

import json

import sqlalchemy as sa
from alembic import op


revision = '267d733392c1'
down_revision = '11ff492403ce'
branch_labels = None
depends_on = None

# (table, column, constraint, nullable, values, whether a hand-written CHECK was there before)
CODED = (
    ('assessments', 'state', 'state_known', False, ('open', 'information requested', 'findings drafted', 'in review', 'approved', 'issued; remediation due', 'CIP resubmitted', 'closed'), False),
    ('consultations', 'purpose', 'purpose_known', False, ('exemption', 'special_measure'), True),
    ('consultations', 'position', 'position_known', True, ('concur', 'concur with conditions', 'do not concur', 'no response'), True),
    ('exemption_cases', 'state', 'state_known', False, ('received', 'under review', 'information requested', 'in consultation', 'finding drafted', 'in review', 'granted', 'denied', 'revoked', 'withdrawn'), True),
    ('exemption_cases', 'decision', 'decision_known', True, ('grant', 'deny'), True),
    ('exemption_notices', 'kind', 'kind_known', False, ('annual notification', 'material change'), True),
    ('department_requests', 'kind', 'kind_known', False, ('cip_copy', 'reseller_cip_copy', 'ai_additional_information'), True),
    ('filings', 'channel', 'channel_known', False, ('web', 'api', 'bulk'), True),
    ('foreign_resellers', 'status', 'status_known', False, ('active', 'ended'), False),
    ('penalty_cases', 'state', 'state_known', False, ('drafted', 'in review', 'approved', 'notice served', 'petition received', 'final decision issued', 'withdrawn before service'), False),
    ('ip_accesses', 'action', 'action_known', False, ('access', 'administration'), True),
    ('reseller_imports', 'status', 'status_known', False, ('queued', 'checking', 'rejected', 'imported', 'failed'), True),
    ('report_identifiers', 'kind', 'kind_known', False, ('name', 'email', 'phone', 'payment', 'wallet'), True),
    ('reseller_oversight', 'state', 'state_known', False, ('evidence received', 'termination clock running', 'relationship terminated', 'remediated'), False),
    ('reviews', 'state', 'state_known', False, ('in review', 'approved', 'returned', 'voided'), True),
    ('screening_hits', 'decision', 'decision_known', True, ('match', 'not a match', 'unsure'), True),
    ('special_measure_actions', 'kind', 'kind_known', False, ('extension', 'revocation'), True),
    ('special_measure_cases', 'state', 'state_known', False, ('referred', 'under evaluation', 'in consultation', 'determination drafted', 'in review', 'approved', 'issued', 'closed without a measure'), True),
    ('special_measure_cases', 'source', 'source_known', False, ('secretary', 'agency', 'provider'), True),
    ('special_measure_cases', 'subject_kind', 'subject_kind_known', False, ('jurisdiction', 'person'), True),
    ('special_measure_cases', 'measure_kind', 'measure_kind_known', True, ('prohibition', 'conditions'), True),
    ('users', 'role', 'role_known', False, ('analyst', 'reviewer', 'admin', 'liaison', 'viewer'), True),
)

# (table, column as it was, its type then, column now, what separated the items)
LISTS = (
    ('providers', 'business_names_text', sa.Text(), 'business_names', '\n'),
    ('special_measure_cases', 'aliases_text', sa.Text(), 'aliases', '\n'),
    ('special_measure_cases', 'identifiers_text', sa.Text(), 'identifiers', '\n'),
    ('special_measure_cases', 'related_receipts_text', sa.Text(), 'related_receipts', '\n'),
    ('penalty_cases', 'violations_text', sa.String(length=100), 'violation_codes', ' '),
)

# (table, column, nullable): JSON documents already, kept as text until now.
DOCUMENTS = (
    ('filings', 'data_json', False),
    ('filings', 'warnings_json', False),
    ('exemption_cases', 'finding_json', True),
    ('risk_snapshots', 'lines_json', False),
    ('assessments', 'risk_lines_json', False),
    ('screening_runs', 'measures_json', False),
)

JSON = sa.JSON(none_as_null=True)


def _in(column, values):
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def _tables(*groups):
    return sorted({entry[0] for group in groups for entry in group})


def _rewrite(table, column, convert):
    """Each row's value of ``column`` (read and written as text) replaced by ``convert(value)``."""
    bind = op.get_bind()
    rows = sa.table(table, sa.column('id', sa.Integer()), sa.column(column, sa.Text()))
    changed = [
        {'row_id': row_id, 'value': convert(value)}
        for row_id, value in bind.execute(sa.select(rows.c.id, rows.c[column]))
    ]
    if changed:
        bind.execute(
            rows.update().where(rows.c.id == sa.bindparam('row_id')).values({column: sa.bindparam('value')}),
            changed,
        )


def _items(separator):
    def convert(text):
        return json.dumps([item.strip() for item in text.split(separator) if item.strip()])
    return convert


def _joined(separator):
    return lambda document: separator.join(json.loads(document))


def upgrade():
    for table, old, _old_type, _new, separator in LISTS:
        _rewrite(table, old, _items(separator))
    for name in _tables(CODED, LISTS, DOCUMENTS):
        with op.batch_alter_table(name, schema=None) as batch_op:
            for table, column, constraint, _nullable, values, had_check in CODED:
                if table != name:
                    continue
                if had_check:
                    batch_op.drop_constraint(batch_op.f(f'ck_{table}_{constraint}'), type_='check')
                batch_op.create_check_constraint(constraint, _in(column, values))
            for table, old, old_type, new, _separator in LISTS:
                if table == name:
                    batch_op.alter_column(old, existing_type=old_type, type_=JSON,
                                          existing_nullable=False, postgresql_using=f'{old}::json')
                    batch_op.alter_column(old, new_column_name=new, existing_type=JSON,
                                          existing_nullable=False)
            for table, column, nullable in DOCUMENTS:
                if table == name:
                    batch_op.alter_column(column, existing_type=sa.Text(), type_=JSON,
                                          existing_nullable=nullable,
                                          postgresql_using=f'{column}::json')


def downgrade():
    for name in _tables(CODED, LISTS, DOCUMENTS):
        with op.batch_alter_table(name, schema=None) as batch_op:
            for table, column, nullable in DOCUMENTS:
                if table == name:
                    batch_op.alter_column(column, existing_type=JSON, type_=sa.Text(),
                                          existing_nullable=nullable,
                                          postgresql_using=f'{column}::text')
            for table, old, old_type, new, _separator in LISTS:
                if table == name:
                    batch_op.alter_column(new, existing_type=JSON, type_=old_type,
                                          existing_nullable=False, postgresql_using=f'{new}::text')
                    batch_op.alter_column(new, new_column_name=old, existing_type=old_type,
                                          existing_nullable=False)
            for table, column, constraint, nullable, values, had_check in CODED:
                if table != name:
                    continue
                batch_op.drop_constraint(batch_op.f(f'ck_{table}_{constraint}'), type_='check')
                if had_check:
                    check = _in(column, values)
                    batch_op.create_check_constraint(
                        constraint, f'{column} IS NULL OR {check}' if nullable else check
                    )
    for table, old, _old_type, _new, separator in LISTS:
        _rewrite(table, old, _joined(separator))
