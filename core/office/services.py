"""Reading and changing the office settings; every change is audited."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.office.models import OfficeSetting
from core.office.rules import KEYS, DocumentSettings, document_settings


def values() -> dict[str, str]:
    return {row.key: row.value for row in db.session.execute(select(OfficeSetting)).scalars()}


def documents() -> DocumentSettings:
    """The signers and the CUI point of contact that documents print today."""
    return document_settings(values())


def save(changes: Mapping[str, str], *, actor: User | None) -> None:
    """Stores each known setting that differs from what is kept; an empty value clears it."""
    before = values()
    for key in KEYS:
        value = (changes.get(key) or "").strip()
        if value == before.get(key, ""):
            continue
        row = db.session.get(OfficeSetting, key)
        if not value:
            db.session.delete(row)
            continue
        if row is None:
            row = OfficeSetting(key=key)
            db.session.add(row)
        row.value, row.updated_at = value, utcnow()
        row.updated_by_id = actor.id if actor else None
    db.session.flush()
    after = values()
    if after != before:
        record_event(
            "office.settings", actor=actor, subject=("office_settings", "documents"),
            before=before, after=after,
        )  # fmt: skip
