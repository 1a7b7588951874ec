"""The review of a certification (§7.305(b)), as tables worked out from the rule text: what a
review must say, where a filing stands, what resubmits it, what the risk score sees."""

from __future__ import annotations

from datetime import date

import pytest

from intake.reviews.rules import (
    OpenDeficiency,
    Reason,
    ReviewStanding,
    deficiency_signals,
    resubmits,
    review_problems,
    standing,
)

ANALYST, OTHER = 7, 8


def _problems(kind="cip_certification", outcome="deficient", reasons=(), **facts):
    values = {"reviewer_id": ANALYST, "keyed_by_id": None, "already_reviewed": False,
              "superseded": False, **facts}  # fmt: skip
    return review_problems(kind, outcome, list(reasons), **values)


@pytest.mark.parametrize(
    ("case", "arguments", "expected"),
    [
        ("accepted needs no reason", {"outcome": "accepted"}, {}),
        # §7.305(a): the notice names "the specific shortcomings identified".
        ("deficient without a reason", {},
         {"reason_1_paragraph": ["A deficient certification needs at least one reason, citing "
                                 "the paragraph it falls short of."]}),
        ("deficient with a cited reason",
         {"reasons": [Reason("e3", "Records are open to every employee.")]}, {}),
        ("a paragraph of another kind",
         {"reasons": [Reason("304b1", "Not reviewed since.")]},
         {"reason_1_paragraph": ["Choose one of the paragraphs listed."]}),
        ("the annual attestations on an annual certification",
         {"kind": "annual_certification", "reasons": [Reason("304b1", "Not reviewed since.")]},
         {}),
        ("a paragraph without its reason", {"reasons": [Reason("d2i", " ")]},
         {"reason_1_text": ["Say how the certification falls short of it."]}),
        ("a reason without its paragraph", {"reasons": [Reason("", ""), Reason("", "Vague.")]},
         {"reason_2_paragraph": ["Choose the paragraph this reason cites."]}),
        ("no outcome", {"outcome": None}, {"outcome": ["Choose accepted or deficient."]}),
        ("an outcome that is none", {"outcome": "maybe"},
         {"outcome": ["Choose accepted or deficient."]}),
        # Separation of duties: whoever keyed it in for the provider does not judge it.
        ("keyed in by the reviewer", {"outcome": "accepted", "keyed_by_id": ANALYST},
         {"": ["You keyed this filing in; another analyst reviews it."]}),
        ("keyed in by another analyst", {"outcome": "accepted", "keyed_by_id": OTHER}, {}),
        ("reviewed already", {"outcome": "accepted", "already_reviewed": True},
         {"": ["This filing was reviewed already; a resubmission is reviewed on its own."]}),
        ("corrected since", {"outcome": "accepted", "superseded": True},
         {"": ["A correction of this filing was received since; review the latest version."]}),
        # §7.305(b) reviews CIP certification forms and compiled reseller certifications.
        ("not a certification", {"kind": "irregular_update", "outcome": "accepted"},
         {"": ["Only CIP certifications and compiled foreign-reseller certifications are "
               "reviewed (§7.305(b))."]}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_what_a_review_must_say(case, arguments, expected):
    assert _problems(**arguments) == expected


DUE = date(2027, 5, 13)


@pytest.mark.parametrize(
    ("kind", "outcome", "resubmitted_on", "due_on", "today", "expected"),
    [
        ("cip_certification", None, None, None, DUE, ReviewStanding.NOT_REVIEWED),
        ("reseller_certification", "accepted", None, None, DUE, ReviewStanding.ACCEPTED),
        ("cip_certification", "deficient", None, None, DUE,
         ReviewStanding.DEFICIENT_NOTICE_PENDING),
        # Calendar days: due on the 13th, still due that day, overdue the next.
        ("annual_certification", "deficient", None, DUE, DUE, ReviewStanding.RESUBMISSION_DUE),
        ("annual_certification", "deficient", None, DUE, date(2027, 5, 14),
         ReviewStanding.RESUBMISSION_OVERDUE),
        ("cip_certification", "deficient", date(2027, 6, 1), DUE, date(2027, 6, 2),
         ReviewStanding.RESUBMITTED),
        ("ai_initial_report", None, None, None, DUE, None),
    ],
)  # fmt: skip
def test_where_a_filing_stands_on_review(kind, outcome, resubmitted_on, due_on, today, expected):
    assert standing(kind=kind, outcome=outcome, resubmitted_on=resubmitted_on,
                    resubmission_due_on=due_on, today=today) is expected  # fmt: skip


NOTICE = date(2027, 4, 10)


@pytest.mark.parametrize(
    ("deficient", "filed", "supersedes", "received_on", "expected"),
    [
        ("cip_certification", "cip_certification", True, NOTICE, True),
        # A correction resubmits even if it arrived before the notice was issued.
        ("cip_certification", "cip_certification", True, date(2027, 4, 1), True),
        ("cip_certification", "annual_certification", False, NOTICE, True),
        ("annual_certification", "new_provider_certification", False, date(2027, 4, 30), True),
        # A certification filed before the notice answered nothing it said.
        ("cip_certification", "annual_certification", False, date(2027, 4, 9), False),
        # A compiled reseller certification is resubmitted by another one (§7.304(f)) only.
        ("reseller_certification", "reseller_certification", False, NOTICE, True),
        ("reseller_certification", "cip_certification", False, NOTICE, False),
        ("cip_certification", "reseller_certification", False, NOTICE, False),
        ("cip_certification", "irregular_update", False, NOTICE, False),
    ],
)
def test_what_resubmits_a_deficient_certification(
    deficient, filed, supersedes, received_on, expected
):
    assert resubmits(deficient_kind=deficient, filing_kind=filed,
                     supersedes_deficient=supersedes, received_on=received_on,
                     notice_issued_on=NOTICE) is expected  # fmt: skip


@pytest.mark.parametrize(
    ("open_ones", "today", "expected"),
    [
        ([], DUE, []),
        ([OpenDeficiency("2027-000001", None)], DUE,
         [("§7.305(d)(2)(i)", "deficient_certification", 1)]),
        ([OpenDeficiency("2027-000001", DUE), OpenDeficiency("2027-000002", None)], DUE,
         [("§7.305(d)(2)(i)", "deficient_certification", 2)]),
        # Past its period, the provider has not implemented what the review called for.
        ([OpenDeficiency("2027-000001", DUE), OpenDeficiency("2027-000002", date(2027, 6, 1))],
         date(2027, 5, 14),
         [("§7.305(d)(2)(i)", "deficient_certification", 2),
          ("§7.305(d)(2)(ii)", "overdue_certification_resubmission", 1)]),
    ],
)  # fmt: skip
def test_what_an_open_deficiency_adds_to_the_risk_score(open_ones, today, expected):
    found = deficiency_signals(open_ones, today)
    assert [(signal.criterion, signal.kind, signal.count) for signal in found] == expected
    for signal in found:
        assert all(each.receipt_number in signal.explanation for each in open_ones
                   if signal.kind == "deficient_certification")  # fmt: skip
