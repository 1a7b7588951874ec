"""What a search asks, and how alike a name is to it. Pure: no Flask, no database.

Names are compared folded (``fold``): transliterated to ASCII by ``anyascii`` ("São Paulo" and
"Sao Paulo", "Mönchengladbach" and "Monchengladbach", "Москва" and "Moskva" fold alike), in
lower case, with punctuation and spacing ignored. The database keeps each provider's and
foreign reseller's folded names in a column (``search_name``), so that candidates are chosen by
SQL from the grams a query shares with it, and only those few are ranked here with
``rapidfuzz`` (docs/architecture.md §14).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz import fuzz

from core import control_characters

# Long enough for any name, receipt or address a person types; longer is not a search.
MAX_QUERY_CHARS = 200
# Grams of a query compared in SQL: a long query is ranked on its first words.
MAX_GRAMS = 40
# Of a query's grams, the share a stored name must have to be ranked at all.
GRAM_SHARE = 0.3
# How alike (0-100) a folded name must be to the query to be shown, and each word typed to the
# name's nearest word (a letter wrong in five is 80).
NAME_THRESHOLD = 70
WORD_THRESHOLD = 75
# Each name the search column holds, between these (a provider has several).
NAME_SEPARATOR = "|"

_DROPPED = re.compile("[.'\u2019]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_REFERENCE = re.compile(r"^([A-Z]+)[\s\-]*(\d{4})?(?:[\s\-]*(\d{1,8}))?$")


class QueryProblem(ValueError):
    """Why a query cannot be searched for, in words for the person who typed it."""


def fold(text: str) -> str:
    """``text`` as names are compared: ASCII, lower case, words of letters and digits.

    Rows keep their names folded (``search_name``), filled in by migration 7b3e9c1d4a52 with
    this function: a change to it needs a migration of its own that folds every row again."""
    plain = _DROPPED.sub("", anyascii(text).casefold())
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def search_column(names: Iterable[str], *, limit: int) -> str:
    """What a record's ``search_name`` column holds: each of its names folded, each with a
    space either side (so that a gram at a word's start or end is found), at most ``limit``
    characters."""
    folded = [f" {name} " for name in dict.fromkeys(fold(name) for name in names) if name]
    return NAME_SEPARATOR.join(folded)[:limit]


def names_in(column: str) -> list[str]:
    return [name.strip() for name in column.split(NAME_SEPARATOR) if name.strip()]


def grams(folded: str) -> list[str]:
    """The three-character pieces of each word of a folded query, with a space before and after
    the word so that a typo in a word's middle still leaves its start and end: "nubse" gives
    " nu", "nub", "ubs", "bse", "se ". A word of one or two characters is kept whole."""
    found: dict[str, None] = {}
    for word in folded.split():
        padded = f" {word} "
        if len(word) < 3:
            found[padded] = None
            continue
        for start in range(len(padded) - 2):
            found[padded[start : start + 3]] = None
    return list(found)[:MAX_GRAMS]


def grams_needed(count: int) -> int:
    """How many of a query's ``count`` grams a stored name must share to be ranked."""
    return max(1, math.ceil(count * GRAM_SHARE))


def _word_score(typed: str, words: Sequence[str]) -> float:
    """How well one typed word is matched by the best of a name's words: the word itself, its
    start ("rhein" for "rheinland"), or a word a letter or two away."""
    best = 0.0
    for word in words:
        if word == typed:
            return 100.0
        if len(typed) >= 3 and word.startswith(typed):
            best = max(best, 95.0)
        else:
            best = max(best, fuzz.ratio(typed, word))
    return best


def name_score(folded_query: str, folded_names: Sequence[str]) -> int:
    """How alike (0-100) the query is to the best of a record's names, 0 unless every word
    typed is found in the name, as it is or a letter or two away: a common word ("cloud") alone
    does not make another firm alike. Word order and extra words ("Ltda.", a city) cost little;
    of names that have every word, the one nearest the query as a whole ranks first."""
    typed = folded_query.split()
    best = 0
    for name in folded_names:
        words = name.split()
        weakest = min((_word_score(word, words) for word in typed), default=0.0)
        if weakest < WORD_THRESHOLD:
            continue
        whole = fuzz.token_sort_ratio(folded_query, name)
        best = max(best, round(0.8 * weakest + 0.2 * whole))
    return best


@dataclass(frozen=True)
class Query:
    """What was typed, checked, in the forms each kind of record is compared in."""

    text: str
    folded: str
    # Upper case without spacing at its ends, as receipts and references are written.
    upper: str

    @property
    def email(self) -> str | None:
        """An email address, or its start, in the case mail systems ignore; None when the query
        has no "@"."""
        return self.text.casefold() if "@" in self.text else None

    @property
    def grams(self) -> list[str]:
        return grams(self.folded)


def parse_query(text: str | None) -> Query:
    """The query ``text`` asks, or QueryProblem saying why it cannot be searched for."""
    text = (text or "").strip()
    if not text:
        raise QueryProblem(
            "Enter what to look for: a receipt number, a case reference, a name or an email."
        )
    if len(text) > MAX_QUERY_CHARS:
        raise QueryProblem(
            f"Enter at most {MAX_QUERY_CHARS} characters; this has {len(text):,}. "
            "A name's first words or a reference is enough."
        )
    if problem := control_characters.find(text):
        position, code = problem
        raise QueryProblem(
            f"This has a control character ({code}, at character {position:,}), which cannot be "
            "searched for. Type the words again without it."
        )
    folded = fold(text)
    if not folded and "@" not in text:
        raise QueryProblem("Enter letters or digits to look for; punctuation alone finds nothing.")
    return Query(text=text, folded=folded, upper=" ".join(text.upper().split()))


def looks_like_reference(query: Query) -> bool:
    """Whether the query is written as a receipt or case reference is ("SM-2026-0042",
    "oicts-2026", "sm 2026 42"), which no name is searched for ("Cloud 2026" may be one)."""
    match = _REFERENCE.match(query.upper)
    if match is None or match[2] is None or not 2 <= len(match[1]) <= 5:
        return False
    return match[3] is not None or query.upper[len(match[1])] == "-"


@dataclass(frozen=True)
class ReferenceWanted:
    """A receipt or case reference a query names: the whole one (``exact``), when it names a
    number, and the start every reference it could mean begins with (``prefix``)."""

    exact: str | None
    prefix: str


def reference_wanted(query: Query, series: str, *, digits: int) -> ReferenceWanted | None:
    """The reference of ``series`` (``OICTS``, ``AS``, ``PN``, ``SM``) the query names, however
    spaced or padded: "sm 2026 42" names SM-2026-0042; "SM-2026" every case of that year."""
    match = _REFERENCE.match(query.upper)
    if match is None or match[1] != series:
        return None
    year, number = match[2], match[3]
    if year is None:
        return ReferenceWanted(exact=None, prefix=f"{series}-")
    if number is None:
        return ReferenceWanted(exact=None, prefix=f"{series}-{year}-")
    exact = f"{series}-{year}-{int(number):0{digits}d}" if len(number) <= digits else None
    return ReferenceWanted(exact=exact, prefix=f"{series}-{year}-{number}")


# --- What the modules answer ------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One record a search found: its name, a line saying why, the page it is on, and how well
    it matches (100 for an exact receipt, reference or email)."""

    label: str
    url: str
    detail: str
    score: int
    exact: bool = False


@dataclass(frozen=True)
class Group:
    """The records of one kind a search found, best first, with how many there were (``total``
    may exceed the items shown) and the page kind's endpoint, which decides who sees it."""

    kind: str
    title: str
    endpoint: str
    items: tuple[Found, ...]
    total: int
    # Whether more matched than were compared: the person should type more.
    more: bool = False
    order: int = field(default=0, compare=False)

    @property
    def best(self) -> int:
        return max((item.score for item in self.items), default=0)

    @property
    def exact(self) -> bool:
        return any(item.exact for item in self.items)


def ranked(groups: Iterable[Group]) -> list[Group]:
    """Groups with an exact match first, then by their best match, then in the order the
    modules answered."""
    present = [group for group in groups if group.items]
    return sorted(present, key=lambda group: (not group.exact, -group.best, group.order))


def only_exact(groups: Sequence[Group]) -> Found | None:
    """The one record a query names exactly, when nothing else answers: the page may go
    straight to it."""
    items = [item for group in groups for item in group.items]
    if len(items) == 1 and items[0].exact:
        return items[0]
    return None
