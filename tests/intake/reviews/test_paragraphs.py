"""Every requirement of §7.302(b)-(f) can be cited, itemised to the sub-paragraph where the rule
lists items; a review of each kind of certification offers the paragraphs that kind answers to.
The tables are written from the rule text, not from the catalogue."""

from __future__ import annotations

import pytest

from intake.reviews.paragraphs import CIP_REQUIREMENTS, REVIEWED_KINDS, citable

# §7.302(b)-(f), read paragraph by paragraph: each paragraph that states a requirement, and each
# item of a paragraph that lists items ((d)(1)(i)-(iii), (d)(1)(iii)(A)-(F), (d)(2)(i)-(iv),
# (d)(3)(i)-(iv), (e)(1)(i)-(iv), (e)(1)-(3), (f)(1)-(2)).
RULE_PARAGRAPHS = [
    "§7.302(b)",
    "§7.302(c)",
    "§7.302(d)",
    "§7.302(d)(1)",
    "§7.302(d)(1)(i)",
    "§7.302(d)(1)(ii)",
    "§7.302(d)(1)(iii)",
    "§7.302(d)(1)(iii)(A)",
    "§7.302(d)(1)(iii)(B)",
    "§7.302(d)(1)(iii)(C)",
    "§7.302(d)(1)(iii)(D)",
    "§7.302(d)(1)(iii)(E)",
    "§7.302(d)(1)(iii)(F)",
    "§7.302(d)(2)",
    "§7.302(d)(2)(i)",
    "§7.302(d)(2)(ii)",
    "§7.302(d)(2)(iii)",
    "§7.302(d)(2)(iv)",
    "§7.302(d)(3)",
    "§7.302(d)(3)(i)",
    "§7.302(d)(3)(ii)",
    "§7.302(d)(3)(iii)",
    "§7.302(d)(3)(iv)",
    "§7.302(e)",
    "§7.302(e)(1)",
    "§7.302(e)(1)(i)",
    "§7.302(e)(1)(ii)",
    "§7.302(e)(1)(iii)",
    "§7.302(e)(1)(iv)",
    "§7.302(e)(2)",
    # "Limits on third-party access to records created and maintained pursuant to this subpart."
    "§7.302(e)(3)",
    "§7.302(f)(1)",
    "§7.302(f)(2)",
]


def _citations(catalogue) -> list[str]:
    return [citation for citation, _text in catalogue.values()]


@pytest.mark.parametrize("citation", RULE_PARAGRAPHS)
def test_every_requirement_of_7302_can_be_cited(citation):
    assert citation in _citations(CIP_REQUIREMENTS)


def test_the_catalogue_cites_nothing_the_rule_does_not_have_and_keeps_the_rules_order():
    assert _citations(CIP_REQUIREMENTS) == RULE_PARAGRAPHS


@pytest.mark.parametrize(
    "code", ["b", "c", "d1", "d2", "d3", "e1", "e2", "f1", "f2"], ids=lambda code: code
)
def test_codes_findings_were_stored_with_before_still_read(code):
    # Findings written before the catalogue was itemised keep their paragraph-level codes.
    assert code in CIP_REQUIREMENTS


@pytest.mark.parametrize(
    ("kind", "cited", "not_cited"),
    [
        # §7.304(a): the form's contents, and the CIP's requirements it attests to ((a)(3)).
        ("cip_certification", ["§7.304(a)(2)(vii)", "§7.304(a)(3)", "§7.302(e)(3)"],
         ["§7.304(b)(1)", "§7.304(d)", "§7.304(f)"]),
        # §7.304(b)(1)-(6): the annual attestations are the annual certification's alone.
        ("annual_certification", ["§7.304(b)(1)", "§7.304(b)(6)", "§7.304(a)(2)(ix)"],
         ["§7.304(d)", "§7.304(f)"]),
        # §7.304(d): a new provider certifies before furnishing any foreign customer an Account.
        ("new_provider_certification", ["§7.304(d)", "§7.304(a)(1)(i)", "§7.302(d)(2)(i)"],
         ["§7.304(b)(1)"]),
        # §7.304(d)-(f), §7.303(b): a reseller's CIP answers to §7.302(c)-(f), not to (b), and
        # the compiled file has no list of resellers of its own to give ((a)(2)(viii)).
        ("reseller_certification", ["§7.304(f)", "§7.304(e)", "§7.304(d)", "§7.303(b)",
                                    "§7.302(d)(1)(iii)(F)"],
         ["§7.302(b)", "§7.304(a)(2)(viii)", "§7.304(b)(1)"]),
        # An irregular update (§7.304(c)) and a training report (§7.308) are not reviewed here.
        ("irregular_update", [], ["§7.304(c)", "§7.302(b)"]),
        ("ai_initial_report", [], ["§7.302(b)"]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_a_review_offers_the_paragraphs_its_kind_answers_to(kind, cited, not_cited):
    offered = _citations(citable(kind))
    assert all(citation in offered for citation in cited)
    assert not any(citation in offered for citation in not_cited)
    assert (kind in REVIEWED_KINDS) == bool(cited)
