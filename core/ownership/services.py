"""Setting, taking and reassigning a case's owner, every change audited, and the case's
deadlines following its owner (docs/architecture.md §16); the office's teams."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.ownership import notices, registry, rules
from core.ownership.models import Team
from core.ownership.registry import OwnedKind

OWNER_EVENT = "case.owner"

NOT_AN_ANALYST = "Choose an active analyst, or nobody."
NOT_A_TEAM = "Choose one of the office's teams, or none."


def get_case(kind: OwnedKind, case_id: int) -> Any | None:
    return db.session.get(kind.model, case_id)


def owner_of_subject(subject_type: str, subject_id: str) -> User | None:
    """The owner of the case a deadline is about, if it is a case and has one."""
    kind = registry.kind_of_subject(subject_type)
    if kind is None or not subject_id.isdigit():
        return None
    case = get_case(kind, int(subject_id))
    return case.owner if case is not None else None


def _names(case: Any) -> dict[str, str | None]:
    return {
        "owner": case.owner.full_name if case.owner else None,
        "team": case.team.name if case.team else None,
    }


def _set(
    kind: OwnedKind, case: Any, owner: User | None, team: Team | None, *, actor: User | None
) -> None:
    from core.deadlines import services as deadlines

    before = _names(case)
    moved = case.owner_id != (owner.id if owner else None)
    case.owner, case.team = owner, team
    db.session.flush()
    after = _names(case)
    if after == before:
        return
    record_event(
        OWNER_EVENT,
        actor=actor,
        subject=(kind.deadline_subject_type, case.id),
        before=before,
        after={**after, "kind": kind.key},
    )
    if moved:
        deadlines.follow_owner(kind.deadline_subject(case), owner, actor=actor)
        notices.tell_new_owner(kind, case, owner, actor=actor)


def set_on_opening(kind_key: str, case: Any, actor: User | None) -> None:
    """The analyst who opens a case owns it (``rules.owns_on_opening``)."""
    if actor is not None and rules.owns_on_opening(actor.role_enum):
        kind = registry.kind(kind_key)
        assert kind is not None, f"{kind_key} is not registered"
        _set(kind, case, actor, case.team, actor=actor)


def take_unowned(kind_key: str, case: Any, actor: User) -> None:
    """A case nobody owns yet is taken by the first analyst who works it (an exemption case,
    opened by the provider's filing)."""
    if case.owner_id is None:
        set_on_opening(kind_key, case, actor)


def _check_open(kind: OwnedKind, case: Any) -> None:
    if not kind.is_open(case):
        raise IllegalTransition(
            rules.CLOSED.format(label=kind.reference(case), state=str(case.state))
        )


def _chosen_owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = db.session.get(User, owner_id)
    if owner is None or not rules.may_own(owner.role_enum, active=owner.active):
        raise InvalidInput({"owner": [NOT_AN_ANALYST]})
    return owner


def _chosen_team(team_id: int | None, case: Any) -> Team | None:
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    # A retired team stays on the cases it had; it is given to no other.
    if team is None or not (team.active or team.id == case.team_id):
        raise InvalidInput({"team": [NOT_A_TEAM]})
    return team


def reassign(
    kind: OwnedKind, case: Any, *, owner_id: int | None, team_id: int | None, actor: User
) -> None:
    """Give an open case to an active analyst (or to nobody) and perhaps a team."""
    _check_open(kind, case)
    if not rules.may_reassign(actor.role_enum, case_open=True):
        raise DomainError("Only analysts and reviewers reassign a case.")
    _set(kind, case, _chosen_owner(owner_id), _chosen_team(team_id, case), actor=actor)


def take(kind: OwnedKind, case: Any, *, actor: User) -> None:
    _check_open(kind, case)
    if case.owner_id == actor.id:
        raise IllegalTransition(f"{kind.reference(case)} is yours already.")
    if not rules.may_take(actor.role_enum, case_open=True, owner_id=case.owner_id,
                          actor_id=actor.id):  # fmt: skip
        raise DomainError("Only an analyst takes a case.")
    _set(kind, case, actor, case.team, actor=actor)


# --- Whose cases --------------------------------------------------------------------------


def open_cases_by_state(user: User) -> list[tuple[OwnedKind, str, int]]:
    """The person's open cases, counted by kind and state in the database (one GROUP BY a
    kind), in the order the kinds were registered and then by state."""
    counted = []
    for kind in registry.kinds():
        model: Any = kind.model
        rows = db.session.execute(
            select(model.state, func.count())
            .where(model.owner_id == user.id, model.state.in_(sorted(kind.open_states)))
            .group_by(model.state)
            .order_by(model.state)
        )
        counted += [(kind, str(state), count) for state, count in rows]
    return counted


ME, NOBODY = "me", "none"


def owner_condition(model: Any, chosen: str, user: User) -> ColumnElement[bool] | None:
    """A list's ``?owner=`` as a condition on its cases: mine, nobody's, or one person's."""
    if chosen == ME:
        return model.owner_id == user.id
    if chosen == NOBODY:
        return model.owner_id.is_(None)
    if chosen.isdigit():
        return model.owner_id == int(chosen)
    return None


def possible_owners() -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .where(User.role == rules.OWNER_ROLE, User.active.is_(True))
            .order_by(User.full_name, User.id)
        ).scalars()
    )


# --- Teams ----------------------------------------------------------------------------------


def teams(*, active_only: bool = False) -> list[Team]:
    query = select(Team).order_by(Team.active.desc(), Team.name)
    if active_only:
        query = query.where(Team.active.is_(True))
    return list(db.session.execute(query).scalars())


def get_team(team_id: int) -> Team | None:
    return db.session.get(Team, team_id)


def _check_name(name: str, team: Team | None = None) -> str:
    name = " ".join(name.split())
    taken = db.session.execute(
        select(Team.id).where(func.lower(Team.name) == name.lower())
    ).scalar_one_or_none()
    if taken is not None and (team is None or taken != team.id):
        raise InvalidInput({"name": [f"There is a team named {name} already."]})
    return name


def add_team(name: str, *, actor: User) -> Team:
    team = Team(name=_check_name(name), active=True)
    db.session.add(team)
    db.session.flush()
    record_event("team.add", actor=actor, subject=("team", team.id), after={"name": team.name})
    return team


def rename_team(team: Team, name: str, *, actor: User) -> None:
    before = team.name
    team.name = _check_name(name, team)
    db.session.flush()
    record_event(
        "team.rename", actor=actor, subject=("team", team.id),
        before={"name": before}, after={"name": team.name},
    )  # fmt: skip


def retire_team(team: Team, *, actor: User) -> None:
    if not team.active:
        raise IllegalTransition(f"The team {team.name} is retired already.")
    team.active = False
    db.session.flush()
    record_event(
        "team.retire", actor=actor, subject=("team", team.id),
        before={"active": True}, after={"active": False},
    )  # fmt: skip


def owners_of_open(kind: OwnedKind, *conditions: ColumnElement[bool]) -> list[User]:
    """The owners of the open cases of ``kind`` that meet ``conditions`` (a provider's), each
    once a case, oldest case first."""
    model: Any = kind.model
    return list(
        db.session.execute(
            select(User)
            .join(model, model.owner_id == User.id)
            .where(model.state.in_(sorted(kind.open_states)), *conditions)
            .order_by(model.id)
        ).scalars()
    )


# A case list sorted by its owner's name: nobody's cases first from A to Z, on both databases
# (which otherwise put NULL at opposite ends).
OWNER_NAME = func.coalesce(func.lower(User.full_name), "")


def cases_query(model: Any, *conditions: ColumnElement[bool] | None) -> Select[Any]:
    """A case list: the cases of ``model`` meeting the conditions given (None: no condition,
    such as an owner filter left at anyone), each with its owner, newest first; a list page
    sorts and pages it in SQL (``core.listing.page_of``), sorting by owner with ``OWNER_NAME``."""
    return (
        select(model)
        .outerjoin(model.owner)
        .options(contains_eager(model.owner))
        .where(*(c for c in conditions if c is not None))
        .order_by(model.id.desc())
    )


def newest_first(model: Any, *conditions: ColumnElement[bool] | None) -> list[Any]:
    """The cases of ``cases_query``, all of them (a provider's page lists its own)."""
    return list(db.session.execute(cases_query(model, *conditions)).scalars())
