"""The search box's answers: asked of every module through ``core.signals.search_asked``, kept
to the kinds the person may open, grouped and ranked; and the SQL that finds candidates, which
the modules share so that each kind of record is matched alike (docs/architecture.md §14)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select

from core import signals
from core.db import db
from core.search import rules
from core.search.rules import Group, Query, ReferenceWanted

# The most records of one kind a results page lists; the count says how many matched.
SHOWN_PER_KIND = 10
# The most stored names one query ranks in Python, those sharing the most grams with it.
CANDIDATES = 200
EMAIL_EXACT, EMAIL_START = 100, 90


def search(query: Query, *, may_open: Callable[[str], bool]) -> list[Group]:
    """Every kind of record ``query`` finds that the person may open, best first."""
    answered = signals.answers(signals.search_asked, query=query, limit=SHOWN_PER_KIND)
    groups = [group for groups in answered for group in groups]
    visible = (
        replace(group, order=position)
        for position, group in enumerate(groups)
        if may_open(group.endpoint)
    )
    return rules.ranked(visible)


def count_of(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def by_reference(
    query: Select[Any], column: Any, wanted: ReferenceWanted, *, limit: int
) -> tuple[list[Any], int]:
    """Rows of ``query`` whose ``column`` (a receipt, a case reference, unique and indexed) is
    the one ``wanted`` names or begins as it was typed, the exact one first, then in the
    reference's order; and how many there are."""
    matching = query.where(
        or_(column == (wanted.exact or ""), column.startswith(wanted.prefix, autoescape=True))
    )
    exact_first = case((column == (wanted.exact or ""), 0), else_=1)
    rows = list(db.session.execute(matching.order_by(exact_first, column).limit(limit)).scalars())
    return rows, count_of(matching)


@dataclass(frozen=True)
class Scored:
    """A record's id and how well it matched (0-100), and whether it matched exactly."""

    id: int
    score: int
    exact: bool = False


def by_name(
    id_column: Any, search_column: Any, query: Query, *, where: Iterable[ColumnElement[bool]] = ()
) -> tuple[list[Scored], bool]:
    """Records whose folded names (``search_column``, see ``core.search.rules.search_column``)
    are like the query, best first, and whether more shared its grams than were ranked.

    SQL chooses the candidates: the names sharing the most of the query's three-letter grams,
    at least ``rules.GRAM_SHARE`` of them, a scan of one narrow column (an index of it, where
    the database reads the index alone). Only those ``CANDIDATES`` are ranked here."""
    grams = query.grams
    if not grams:
        return [], False
    shared = sum(
        (case((search_column.contains(gram), 1), else_=0) for gram in grams), start=0
    ).label("shared")
    rows = db.session.execute(
        select(id_column.label("id"), search_column.label("names"), shared)
        .where(*where, shared >= rules.grams_needed(len(grams)))
        .order_by(shared.desc(), id_column)
        .limit(CANDIDATES)
    ).all()
    scored = []
    for row in rows:
        names = rules.names_in(row.names)
        score = rules.name_score(query.folded, names)
        if score >= rules.NAME_THRESHOLD:
            scored.append(Scored(row.id, score, exact=query.folded in names))
    scored.sort(key=lambda found: (not found.exact, -found.score, found.id))
    return scored, len(rows) == CANDIDATES


def by_email(
    id_column: Any, email_column: Any, query: Query, *, where: Iterable[ColumnElement[bool]] = ()
) -> list[Scored]:
    """Records whose contact email is the query, or begins with it ("k.vogel@"), in the case
    mail systems ignore; the exact address first."""
    email = query.email
    if email is None:
        return []
    folded = func.lower(email_column)
    rows = db.session.execute(
        select(id_column, folded)
        .where(*where, folded.startswith(email, autoescape=True))
        .order_by(folded, id_column)
        .limit(CANDIDATES)
    ).all()
    found = [
        Scored(row[0], EMAIL_EXACT if row[1] == email else EMAIL_START, exact=row[1] == email)
        for row in rows
    ]
    return sorted(found, key=lambda scored: (not scored.exact, scored.id))


def merged(*found: Iterable[Scored]) -> list[Scored]:
    """One entry a record, at its best match, best first."""
    best: dict[int, Scored] = {}
    for scored in (scored for each in found for scored in each):
        kept = best.get(scored.id)
        if kept is None or (scored.exact, scored.score) > (kept.exact, kept.score):
            best[scored.id] = scored
    return sorted(best.values(), key=lambda scored: (not scored.exact, -scored.score, scored.id))


def reference_group(
    query: Query,
    *,
    series: str,
    digits: int,
    rows: Select[Any],
    column: Any,
    limit: int,
    kind: str,
    title: str,
    endpoint: str,
    shown: Callable[[Any], tuple[str, str, str]],
    reference_of: Callable[[Any], str] | None = None,
) -> Group | None:
    """The records of one kind numbered in ``series`` that the query names (a receipt, a case
    reference), the exact one first; ``shown`` gives a record's label, page and line of
    detail. None when the query is not a reference of that series."""
    wanted = rules.reference_wanted(query, series, digits=digits)
    if wanted is None:
        return None
    records, total = by_reference(rows, column, wanted, limit=limit)
    items = []
    for record in records:
        label, url, detail = shown(record)
        reference = reference_of(record) if reference_of else getattr(record, column.key)
        exact = reference == wanted.exact
        items.append(rules.Found(label, url, detail, 100 if exact else 90, exact=exact))
    return Group(kind, title, endpoint, tuple(items), total)


def scored_group(
    scored: list[Scored],
    *,
    more: bool,
    model: Any,
    limit: int,
    kind: str,
    title: str,
    endpoint: str,
    shown: Callable[[Any], tuple[str, str, str]],
    options: Iterable[Any] = (),
) -> Group:
    """The first ``limit`` of the records ``scored`` (best first) as a group, each loaded once
    by id; ``shown`` gives a record's label, page and line of detail."""
    first = scored[:limit]
    records = {
        record.id: record
        for record in db.session.scalars(
            select(model).options(*options).where(model.id.in_([found.id for found in first]))
        )
    }
    items = tuple(
        rules.Found(*shown(records[found.id]), found.score, exact=found.exact) for found in first
    )
    return Group(kind, title, endpoint, items, len(scored), more)
