"""Reading the provider registry."""

from __future__ import annotations

from sqlalchemy import select

from core.db import db
from intake.models import Provider


def list_providers() -> list[Provider]:
    return list(db.session.execute(select(Provider).order_by(Provider.legal_name)).scalars())


def get_provider(provider_id: int) -> Provider | None:
    return db.session.get(Provider, provider_id)
