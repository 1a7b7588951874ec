"""How the search box reads what is typed and how alike a name is to it (pure, no database)."""

from __future__ import annotations

import pytest

from core.search import rules

TYPED = rules.parse_query


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Nubes São Paulo Ltda.", "nubes sao paulo ltda"),
        ("MÖNCHENGLADBACH  Rechenzentrum GmbH", "monchengladbach rechenzentrum gmbh"),
        ("Москва Облако", "moskva oblako"),
        ("O'Neill & Sons, L.L.C.", "oneill sons llc"),
        ("  ", ""),
    ],
)
def test_names_fold_to_plain_lower_case_words(name, folded):
    assert rules.fold(name) == folded


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Nubes Sao Paulo", "Nubes São Paulo Ltda."),
        ("nubes são paulo", "NUBES SAO PAULO LTDA"),
        ("Nubes Sao Paolo", "Nubes São Paulo Ltda."),  # a letter wrong
        ("Nubse", "Nubes São Paulo Ltda."),  # two letters swapped
        ("Paulo Nubes", "Nubes São Paulo Ltda."),  # words in another order
        ("Rheinland Clod", "Rheinland Cloud GmbH"),  # a letter missing
    ],
)
def test_a_name_typed_without_accents_or_with_a_small_typo_is_alike(typed, name):
    query = TYPED(typed)
    assert rules.name_score(query.folded, [rules.fold(name)]) >= rules.NAME_THRESHOLD
    # And SQL would choose it as a candidate: enough of the query's grams are in the column.
    column = rules.search_column([name], limit=300)
    shared = sum(gram in column for gram in query.grams)
    assert shared >= rules.grams_needed(len(query.grams))


@pytest.mark.parametrize(("typed", "name"), [("Nubes", "Neva Cloud OOO"), ("Granite", "Nubes")])
def test_an_unlike_name_is_not(typed, name):
    assert rules.name_score(TYPED(typed).folded, [rules.fold(name)]) < rules.NAME_THRESHOLD


def test_a_provider_column_holds_each_of_its_names_once_with_word_edges():
    column = rules.search_column(["Nubes São Paulo Ltda.", "Nubes", "NUBES"], limit=1000)
    assert column == " nubes sao paulo ltda | nubes "
    assert rules.names_in(column) == ["nubes sao paulo ltda", "nubes"]
    assert len(rules.search_column(["x" * 400], limit=300)) == 300


@pytest.mark.parametrize(
    ("typed", "series", "exact", "prefix"),
    [
        ("SM-2026-0042", "SM", "SM-2026-0042", "SM-2026-0042"),
        ("sm 2026 42", "SM", "SM-2026-0042", "SM-2026-42"),
        (" oicts-2026-000123 ", "OICTS", "OICTS-2026-000123", "OICTS-2026-000123"),
        ("PN-2026", "PN", None, "PN-2026-"),
        ("AS", "AS", None, "AS-"),
    ],
)
def test_a_reference_is_read_however_it_is_spaced_or_padded(typed, series, exact, prefix):
    assert rules.reference_wanted(TYPED(typed), series, digits=4 if series != "OICTS" else 6) == (
        rules.ReferenceWanted(exact=exact, prefix=prefix)
    )


@pytest.mark.parametrize("typed", ["Nubes Sao Paulo", "SMX-2026-0001", "AS-2026-0001"])
def test_a_reference_of_another_series_is_not_this_one(typed):
    assert rules.reference_wanted(TYPED(typed), "SM", digits=4) is None


def test_a_reference_is_not_also_searched_for_as_a_name():
    assert rules.looks_like_reference(TYPED("SM-2026-0042"))
    assert rules.looks_like_reference(TYPED("oicts-2026"))
    assert rules.looks_like_reference(TYPED("sm 2026 42"))
    assert not rules.looks_like_reference(TYPED("Cloud 2026"))
    assert not rules.looks_like_reference(TYPED("Nubes"))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter what to look for"),
        ("   ", "Enter what to look for"),
        ("x" * 500, "at most 200 characters; this has 500"),
        ("Nubes\x00Sao", "control character (U+0000, at character 6)"),
        ("Nubes\x1b[2J", "control character (U+001B"),
        ("%%%", "punctuation alone finds nothing"),
    ],
)
def test_what_cannot_be_searched_for_says_why(typed, says):
    with pytest.raises(rules.QueryProblem, match=None) as refused:
        TYPED(typed)
    assert says in str(refused.value)


def test_an_email_is_compared_in_the_case_mail_systems_ignore():
    assert TYPED("AMoreno@Northwind.example").email == "amoreno@northwind.example"
    assert TYPED("Northwind").email is None


def test_groups_with_an_exact_match_come_first_then_by_best_match():
    def group(kind, score, exact=False, order=0):
        found = rules.Found(kind, "/", "", score, exact=exact)
        return rules.Group(kind, kind, "x", (found,), 1, order=order)

    empty = rules.Group("none", "none", "x", (), 0)
    ordered = rules.ranked(
        [group("a", 80), group("b", 95, order=1), group("c", 100, True, 2), empty]
    )
    assert [g.kind for g in ordered] == ["c", "b", "a"]
    assert rules.only_exact([group("c", 100, True)]).label == "c"
    assert rules.only_exact([group("c", 100, True), group("b", 90)]) is None
    assert rules.only_exact([group("b", 90)]) is None
