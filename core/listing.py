"""Lists that page and sort on the server (docs/architecture.md §13).

A list page declares its ``Listing``: the columns a person may sort by, the one it is sorted by
when nobody asked, and the page sizes it offers. ``page_of`` reads ``?sort=``, ``?dir=``,
``?page=`` and ``?per_page=`` from the request and answers one ``ListPage`` of rows from a
``select()``, counted by the database; ``page_of_rows`` does the same for rows already in memory
(a ranked score table). ``templates/macros/listing.html`` draws the sortable headers (links, so
that the table-sorting script never reorders a page the server sorted and ``aria-sort`` stays
true), the count, the page-size choice and the page links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from core.db import db
from core.urls import requested_page, requested_page_size

ASCENDING = "asc"
DESCENDING = "desc"
PAGE_SIZES = (25, 50, 100)
# How many page numbers either side of the current one the page links show.
PAGE_LINK_SPAN = 2


@dataclass(frozen=True)
class SortColumn:
    """A column a list may be sorted by: its name in the address (``?sort=``), its header, and
    what orders it: SQL expressions for a query, or a function of a row for rows in memory."""

    key: str
    label: str
    by: tuple[Any, ...] | Callable[[Any], Any]
    # Dates and scores read newest or highest first; names read A to Z.
    descending_first: bool = False
    # A column with no value for some rows (never certified) lists them last either way, as
    # ``page_of_rows`` does, on both databases (which otherwise put NULL at opposite ends).
    nulls_last: bool = False
    # What orders rows of equal value, A to Z whichever way the column runs (names under a
    # score read alphabetically, highest score first or last).
    then_ascending: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Listing:
    name: str
    columns: tuple[SortColumn, ...]
    default_sort: str
    default_descending: bool = False
    # The last key of every order, so that equal values keep one order from page to page.
    tiebreak: tuple[Any, ...] = ()
    page_sizes: tuple[int, ...] = PAGE_SIZES
    default_page_size: int = PAGE_SIZES[1]

    def __post_init__(self) -> None:
        if self.default_sort not in self.keys:
            raise ValueError(f"{self.name}: default sort {self.default_sort!r} is not a column")
        if self.default_page_size not in self.page_sizes:
            raise ValueError(f"{self.name}: default page size is not one of its sizes")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    def column(self, key: str) -> SortColumn:
        return next(column for column in self.columns if column.key == key)


@dataclass(frozen=True)
class Order:
    key: str
    descending: bool

    @property
    def direction(self) -> str:
        return DESCENDING if self.descending else ASCENDING


def requested_order(listing: Listing) -> Order:
    """The ``?sort=`` and ``?dir=`` asked for, or the list's own order for anything else."""
    key = request.args.get("sort", "")
    if key not in listing.keys:
        return Order(listing.default_sort, listing.default_descending)
    direction = request.args.get("dir", "")
    if direction not in (ASCENDING, DESCENDING):
        return Order(key, listing.column(key).descending_first)
    return Order(key, direction == DESCENDING)


@dataclass
class ListPage:
    """One page of a list, with what its headers, count and links need."""

    listing: Listing
    items: list[Any]
    total: int
    page: int
    per_page: int
    order: Order
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if not self.items else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return 0 if not self.items else self.first_index + len(self.items) - 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def page_numbers(self) -> Iterator[int | None]:
        """The page numbers the links show: the first, the last and those near this one, with
        None where pages are left out."""
        near = range(
            max(1, self.page - PAGE_LINK_SPAN), min(self.pages, self.page + PAGE_LINK_SPAN) + 1
        )
        shown = {1, self.pages, *near}
        previous = 0
        for number in sorted(shown):
            if number - previous > 1:
                yield None
            yield number
            previous = number

    def sort_direction(self, key: str) -> str | None:
        """``ascending`` or ``descending`` for the column the page is sorted by (its
        ``aria-sort``), else None."""
        if key != self.order.key:
            return None
        return "descending" if self.order.descending else "ascending"

    def sort_link_args(self, key: str) -> dict[str, str]:
        """The ``sort`` and ``dir`` a header's link asks for: the other direction of the
        column sorted by, else the column's natural direction; back to the first page."""
        if key == self.order.key:
            descending = not self.order.descending
        else:
            descending = self.listing.column(key).descending_first
        return {"sort": key, "dir": DESCENDING if descending else ASCENDING, "page": "1"}


def list_args(**overrides: Any) -> dict[str, Any]:
    """The request's filters, sort and page as a link keeps them, changed by ``overrides``:
    the fields a person left blank are dropped, so that a link reads as what was asked, and so
    are names that are not the list's to keep: the page's own path arguments (a provider's id)
    and url_for's own (``_anchor``, ``_method``…), which an address may carry but must not steer
    the link."""
    path_arguments = set(request.view_args or {})
    kept: dict[str, Any] = {
        name: [value for value in values if value.strip()]
        for name, values in request.args.lists()
        if not name.startswith("_") and name not in path_arguments
    }
    return {name: values for name, values in kept.items() if values} | overrides


def _order_by(listing: Listing, order: Order) -> list[Any]:
    column = listing.column(order.key)
    expressions = column.by
    if callable(expressions):
        raise TypeError(f"{listing.name}: column {order.key!r} sorts rows in memory, not a query")
    ordered = [e.desc() if order.descending else e.asc() for e in expressions]
    if column.nulls_last:
        ordered = [e.nulls_last() for e in ordered]
    ordered += [e.asc() for e in column.then_ascending]
    return ordered + [e.desc() if order.descending else e.asc() for e in listing.tiebreak]


def page_of(
    listing: Listing,
    query: Select[Any],
    *,
    scalars: bool = True,
    counted: Select[Any] | None = None,
) -> ListPage:
    """One page of ``query``, sorted as asked, and the number of rows the whole query has:
    the rows of ``counted`` where given, the same rows without the joins the page needs only to
    show and sort them (a database counts a join in full)."""
    order = requested_order(listing)
    per_page = requested_page_size(listing.page_sizes, listing.default_page_size)
    page = requested_page()
    rows = (query if counted is None else counted).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    ordered = query.order_by(None).order_by(*_order_by(listing, order))
    paged = ordered.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(paged)
    items = list(result.scalars() if scalars else result.all())
    return ListPage(listing, items, total, page, per_page, order)


def page_of_rows(listing: Listing, rows: Sequence[Any]) -> ListPage:
    """One page of rows already in memory, sorted by the column's function of a row (None
    sorts last either way)."""
    order = requested_order(listing)
    per_page = requested_page_size(listing.page_sizes, listing.default_page_size)
    page = requested_page()
    value_of = listing.column(order.key).by
    if not callable(value_of):
        raise TypeError(f"{listing.name}: column {order.key!r} sorts a query, not rows")
    present = [row for row in rows if value_of(row) is not None]
    missing = [row for row in rows if value_of(row) is None]
    ordered = sorted(present, key=value_of, reverse=order.descending) + missing
    start = (page - 1) * per_page
    return ListPage(listing, ordered[start : start + per_page], len(rows), page, per_page, order)


def sorted_query(listing: Listing, query: Select[Any]) -> Select[Any]:
    """``query`` in the order the request asks for, unpaged: a download of what a list shows,
    in the order it shows it."""
    return query.order_by(None).order_by(*_order_by(listing, requested_order(listing)))
