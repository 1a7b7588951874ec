"""Opening, meeting and listing deadlines; every date comes from ``core.clocks``."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import contains_eager

from core import clocks, crypto, signals, subjects
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines.models import CalendarAddress, Deadline
from core.deadlines.rules import (
    Urgency,
    days_left_phrase,
    due_soon_ends,
    in_notice,
    notice_ends,
    sweep_outcome,
    urgency,
)
from core.errors import DomainError, IllegalTransition
from core.jobs import schedule
from core.navigation import MODULE_LABELS
from core.ownership import rules as ownership_rules
from core.ownership import services as ownership
from core.parameters import services as parameters


def period_for(clock: clocks.Clock, start_on: date, days: int | None) -> int | None:
    """The number of days a clock runs: the case's own, else the rule parameter in force."""
    if days is not None or clock.parameter_key is None:
        return days
    return parameters.value_on(clock.parameter_key, start_on)


def open_deadline(
    clock_key: str,
    *,
    subject: tuple[str, object],
    subject_label: str,
    start_on: date,
    actor: User | None,
    assignee: User | None = None,
    days: int | None = None,
) -> Deadline:
    """Open a clock for ``subject``: given to ``assignee``, else to the owner of the case it is
    about, if that case has one (docs/architecture.md §16)."""
    clock = clocks.get(clock_key)
    period = period_for(clock, start_on, days)
    by_hand = assignee is not None
    if assignee is None:
        assignee = ownership.owner_of_subject(subject[0], str(subject[1]))
    deadline = Deadline(
        clock_key=clock.key,
        module=clock.module,
        subject_type=subject[0],
        subject_id=str(subject[1]),
        subject_label=subject_label,
        started_on=start_on,
        due_on=clocks.due(clock.key, start_on, days=period),
        period_days=period,
        citation=clock.citation,
        computation=clocks.explain(clock.key, start_on, days=period),
        assignee_id=assignee.id if assignee else None,
        assigned_by_hand=by_hand,
        opened_by_id=actor.id if actor else None,
    )
    db.session.add(deadline)
    db.session.flush()
    record_event(
        "deadline.open",
        actor=actor,
        subject=("deadline", deadline.id),
        after={
            "clock": clock.key,
            "subject": f"{subject[0]}:{subject[1]}",
            "start_on": start_on,
            "due_on": deadline.due_on,
        },
    )
    if assignee is not None:
        signals.send(signals.deadline_assigned, deadline=deadline, actor=actor)
    return deadline


class DeadlineAlreadyMet(IllegalTransition):
    pass


def meet_deadline(
    deadline: Deadline, *, met_on: date, actor: User | None, note: str = ""
) -> Deadline:
    if not deadline.is_open:
        raise DeadlineAlreadyMet(f"This deadline was already met on {deadline.met_on}.")
    if met_on < deadline.started_on:
        raise DomainError("A clock cannot be met before it started.")
    deadline.met_on, deadline.met_note = met_on, note or None
    deadline.met_by_id = actor.id if actor else None
    db.session.flush()
    record_event(
        "deadline.meet",
        actor=actor,
        subject=("deadline", deadline.id),
        before={"met_on": None},
        after={"met_on": met_on, "on_time": met_on <= deadline.due_on},
    )
    return deadline


@dataclass(frozen=True)
class BoardRow:
    deadline: Deadline
    urgency: Urgency
    days_left: str
    date_warning: str | None
    clock_title: str
    subject_url: str | None


@dataclass(frozen=True)
class BoardFilter:
    module: str = ""
    assignee_id: int | None = None
    clock_key: str = ""


def board_query(criteria: BoardFilter) -> Select[tuple[Deadline]]:
    """The open deadlines ``criteria`` selects, each with its assignee: overdue first, then due
    within 14 days, then later, by due date (``rules.urgency`` rises as the due date falls, so
    the due date alone orders them), then as opened. The board pages it in SQL."""
    query = (
        select(Deadline)
        .where(Deadline.met_on.is_(None))
        .outerjoin(Deadline.assignee)
        .options(contains_eager(Deadline.assignee))
        .order_by(Deadline.due_on, Deadline.id)
    )
    if criteria.module:
        query = query.where(Deadline.module == criteria.module)
    if criteria.assignee_id is not None:
        query = query.where(Deadline.assignee_id == criteria.assignee_id)
    if criteria.clock_key:
        query = query.where(Deadline.clock_key == criteria.clock_key)
    return query


# The board sorted by what a person reads: a clock's title, a module's label, an assignee's
# name (nobody first on both databases, which otherwise put NULL at opposite ends).
CLOCK_TITLE = sql_case(
    {clock.key: clock.title for clock in clocks.CATALOGUE.values()},
    value=Deadline.clock_key,
    else_=Deadline.clock_key,
)
MODULE_LABEL = sql_case(MODULE_LABELS, value=Deadline.module, else_=Deadline.module)
ASSIGNEE_NAME = func.coalesce(func.lower(User.full_name), "")


def board_rows(deadlines: Iterable[Deadline], today: date, *, links: bool = True) -> list[BoardRow]:
    """The board's rows of ``deadlines``, in their order. Without ``links`` (a PDF, made
    outside any request), rows name no page."""
    return [
        BoardRow(
            deadline=deadline,
            urgency=urgency(deadline.due_on, today),
            days_left=days_left_phrase(deadline.due_on, today),
            date_warning=clocks.non_working_day_warning(deadline.due_on),
            clock_title=clocks.get(deadline.clock_key).title,
            subject_url=subjects.url_of(deadline.subject_type, deadline.subject_id)
            if links
            else None,
        )
        for deadline in deadlines
    ]


def board(
    criteria: BoardFilter,
    today: date,
    *,
    links: bool = True,
    order: Callable[[Select[tuple[Deadline]]], Select[tuple[Deadline]]] | None = None,
) -> list[BoardRow]:
    """Every open deadline ``criteria`` selects, in the board's order (or ``order``'s, a
    download's of a sorted page): the exports, the calendar and the PDF."""
    query = board_query(criteria)
    return board_rows(
        db.session.execute(order(query) if order else query).scalars(), today, links=links
    )


def board_head(
    criteria: BoardFilter, today: date, *, limit: int, urgent_only: bool = False
) -> list[BoardRow]:
    """The first ``limit`` rows of the board (only those overdue or due soon, if asked): what
    the dashboard shows, fetched alone."""
    query = board_query(criteria).limit(limit)
    if urgent_only:
        query = query.where(Deadline.due_on <= due_soon_ends(today))
    return board_rows(db.session.execute(query).scalars(), today)


def urgency_in_sql(today: date) -> ColumnElement[str]:
    """``rules.urgency`` of a deadline's due date on ``today``, as SQL."""
    return sql_case(
        (Deadline.due_on < today, Urgency.OVERDUE.value),
        (Deadline.due_on <= due_soon_ends(today), Urgency.DUE_SOON.value),
        else_=Urgency.LATER.value,
    )


def open_counts(today: date) -> dict[str, Counter[Urgency]]:
    """How many deadlines are open in each module (every module of ``clocks.MODULES``), by
    urgency on ``today``: one GROUP BY in SQL."""
    urgency_of = urgency_in_sql(today)
    counted_rows = db.session.execute(
        select(Deadline.module, urgency_of, func.count())
        .where(Deadline.met_on.is_(None))
        .group_by(Deadline.module, urgency_of)
    ).all()
    counts: dict[str, Counter[Urgency]] = {module: Counter() for module in clocks.MODULES}
    for module, urgency_value, number in counted_rows:
        counts.setdefault(module, Counter())[Urgency(urgency_value)] += number
    return counts


def assign_deadline(deadline: Deadline, assignee: User | None, *, actor: User) -> None:
    """Who watches an open clock; the board filters on it. Given by hand, it no longer follows
    its case's owner."""
    if not deadline.is_open:
        raise DeadlineAlreadyMet(
            f"This deadline was met on {deadline.met_on}; it needs nobody now."
        )
    deadline.assigned_by_hand = True
    _assign(deadline, assignee, actor=actor)


def follow_owner(subject: tuple[str, str], owner: User | None, *, actor: User | None) -> None:
    """A case changed hands: its open deadlines that nobody assigned by hand go to its new
    owner (or to nobody), each audited and told as any assignment is."""
    for deadline in deadlines_for_subject(*subject):
        followed = ownership_rules.follows_owner(
            is_open=deadline.is_open, assigned_by_hand=deadline.assigned_by_hand
        )
        if followed and deadline.assignee_id != (owner.id if owner else None):
            _assign(deadline, owner, actor=actor)


def _assign(deadline: Deadline, assignee: User | None, *, actor: User | None) -> None:
    before = deadline.assignee.full_name if deadline.assignee else None
    previous = deadline.assignee_id
    deadline.assignee = assignee
    db.session.flush()
    record_event(
        "deadline.assign",
        actor=actor,
        subject=("deadline", deadline.id),
        before={"assignee": before},
        after={"assignee": assignee.full_name if assignee else None},
    )
    if assignee is not None and assignee.id != previous:
        signals.send(signals.deadline_assigned, deadline=deadline, actor=actor)


def get_deadline(deadline_id: int) -> Deadline | None:
    return db.session.get(Deadline, deadline_id)


def deadlines_for_subject(subject_type: str, subject_id: object) -> list[Deadline]:
    return list(
        db.session.execute(
            select(Deadline)
            .where(Deadline.subject_type == subject_type, Deadline.subject_id == str(subject_id))
            .order_by(Deadline.met_on.is_not(None), Deadline.due_on)
        ).scalars()
    )


# --- The daily sweep of what falls due ------------------------------------------------------

DUE_SOON_SWEEP = "deadline_sweep"


def sweep_due_soon(today: date) -> str:
    """Find the open deadlines due within ``NOTICE_DAYS`` and those overdue, and announce them
    (``signals.deadlines_due_soon``) for whoever tells the people who watch them."""
    found = db.session.execute(
        select(Deadline)
        .where(Deadline.met_on.is_(None), Deadline.due_on <= notice_ends(today))
        .order_by(Deadline.due_on, Deadline.id)
    ).scalars()
    grouped: dict[Urgency, list[Deadline]] = {Urgency.DUE_SOON: [], Urgency.OVERDUE: []}
    for deadline in found:
        if (group := in_notice(deadline.due_on, today)) is not None:
            grouped[group].append(deadline)
    due_soon, overdue = grouped[Urgency.DUE_SOON], grouped[Urgency.OVERDUE]
    signals.send(signals.deadlines_due_soon, today=today, due_soon=due_soon, overdue=overdue)
    return sweep_outcome(today, due_soon=len(due_soon), overdue=len(overdue))


DAILY_SWEEP = schedule.daily(
    DUE_SOON_SWEEP,
    at=time(7, 0),
    label="Daily sweep of the deadlines falling due",
    run=sweep_due_soon,
)


# --- The personal calendar address --------------------------------------------------------


def calendar_address_of(user: User) -> CalendarAddress | None:
    return db.session.execute(
        select(CalendarAddress).where(CalendarAddress.user_id == user.id)
    ).scalar_one_or_none()


def new_calendar_token(user: User) -> str:
    """A new secret for the person's calendar address; the one before stops working at once.

    Only its hash is kept, so the address can be shown only now.
    """
    token = secrets.token_urlsafe(32)
    address = calendar_address_of(user)
    replaced = address is not None
    if address is None:
        address = CalendarAddress(user_id=user.id)
        db.session.add(address)
    address.token_hash = crypto.token_digest(token)
    address.created_at, address.last_read_at = utcnow(), None
    db.session.flush()
    record_event(
        "calendar.address", actor=user, subject=("user", user.id), after={"replaced": replaced}
    )
    return token


def calendar_reader(token: str) -> User | None:
    """The person whose calendar address carries ``token``, noting that it was read now."""
    address = db.session.execute(
        select(CalendarAddress).where(CalendarAddress.token_hash == crypto.token_digest(token))
    ).scalar_one_or_none()
    if address is None:
        return None
    address.last_read_at = utcnow()
    return address.user


def export_board(
    rows: list[BoardRow], *, file_format: str, actor: User, filters: dict[str, str] | None = None
) -> list[BoardRow]:
    """The board's rows for a download (CSV, calendar), recorded as a read in the audit trail."""
    after: dict[str, object] = {"format": file_format, "rows": len(rows)}
    if filters is not None:
        after["filters"] = filters
    record_event("export.deadlines", actor=actor, after=after)
    return rows
