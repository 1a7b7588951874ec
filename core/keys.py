"""Sealing every encrypted field with the current ``FIELD_ENCRYPTION_KEY``, so that a retired
key (``FIELD_ENCRYPTION_RETIRED_KEYS``) can be dropped. A column is encrypted when its model
says so in the column's ``info`` (``{"encrypted": True}``, and ``"encrypted_when"`` naming a
boolean column where only some rows are), so the kernel finds them without knowing the modules.
"""

from __future__ import annotations

from sqlalchemy import Column, Table, bindparam, select, update

from core import crypto
from core.audit.services import record_event
from core.db import db


def encrypted_columns() -> list[tuple[Table, Column, Column | None]]:
    """Each encrypted column, with the column saying which rows hold ciphertext (or None)."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.info.get("encrypted"):
                flag = column.info.get("encrypted_when")
                found.append((table, column, table.columns[flag] if flag else None))
    return found


def reseal_every_field() -> dict[str, int]:
    """Re-encrypt every encrypted value with the current key, in the caller's transaction, and
    audit how many of each were resealed. A value no configured key opens stops it whole."""
    resealed = {}
    for table, column, flag in encrypted_columns():
        [key] = table.primary_key.columns
        query = select(key, column).where(column.is_not(None))
        if flag is not None:
            query = query.where(flag.is_(True))
        rows = [
            {"row_key": row_key, "sealed": crypto.reseal(value)}
            for row_key, value in db.session.execute(query)
        ]
        if rows:
            db.session.execute(
                update(table)
                .where(key == bindparam("row_key"))
                .values({column.name: bindparam("sealed")}),
                rows,
            )
        resealed[f"{table.name}.{column.name}"] = len(rows)
    record_event("keys.reseal", actor=None, actor_label="flask keys rotate", after=resealed)
    db.session.flush()
    return resealed
