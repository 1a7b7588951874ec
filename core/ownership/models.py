"""Teams, and the owner columns every case table shares (``OwnedCase``)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core.auth.models import User
from core.db import db


class Team(db.Model):
    """A team of the office a case may be given to beside its owner. Retired, it keeps the cases
    it had but is offered for no other."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OwnedCase:
    """The owner (an analyst, or nobody yet) and the team of a case, on every module's case
    table. Written only by ``core.ownership.services``, which audits each change."""

    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))

    @declared_attr
    def owner(cls) -> Mapped[User | None]:  # noqa: N805 (a class attribute, made per table)
        return relationship(User, foreign_keys=f"{cls.__name__}.owner_id")

    @declared_attr
    def team(cls) -> Mapped[Team | None]:  # noqa: N805
        return relationship(Team, foreign_keys=f"{cls.__name__}.team_id")
