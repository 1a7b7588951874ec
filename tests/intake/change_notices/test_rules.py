"""The notices of §7.309(b) as plain tables: when one is given, given late or still owed, and
what each adds to the risk score (§7.305(d))."""

from __future__ import annotations

from datetime import date

import pytest

from intake.change_notices import rules
from intake.change_notices.rules import NoticeFacts, Obligation, Standing

TODAY = date(2027, 3, 15)
CHANGE = date(2027, 1, 10)


@pytest.mark.parametrize(
    ("received", "learned", "expected"),
    [
        # The provider told the Department and nobody knew before: given (no period is set).
        (date(2027, 1, 20), None, Standing.GIVEN),
        (date(2027, 3, 1), None, Standing.GIVEN),
        # Told the same day the Department heard of it, or before: given.
        (date(2027, 2, 1), date(2027, 2, 1), Standing.GIVEN),
        (date(2027, 1, 20), date(2027, 2, 1), Standing.GIVEN),
        # The Department learned of it first, then the notice came: late (§7.309(b)(3)).
        (date(2027, 2, 2), date(2027, 2, 1), Standing.LATE),
        # The Department knows and no notice has come: owed.
        (None, date(2027, 2, 1), Standing.OWED),
    ],
)
def test_a_notice_is_late_only_after_the_department_learned_otherwise(received, learned, expected):
    assert rules.standing(notice_received_on=received, learned_on=learned) is expected


def _problems(**changes: object) -> dict[str, str]:
    values: dict[str, object] = {
        "obligation": "cip unnecessary",
        "changed_on": CHANGE,
        "notice_received_on": date(2027, 1, 20),
        "learned_on": None,
        "learned_from": "",
        "summary": "The provider sold its IaaS business.",
        "today": TODAY,
    }
    return rules.record_problems(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"obligation": "something else"}, "obligation", "§7.309(b)(1) or (b)(3)"),
        ({"obligation": None}, "obligation", "Choose what the notice concerns"),
        ({"changed_on": None}, "changed_on", "YYYY-MM-DD"),
        ({"changed_on": date(2027, 3, 16)}, "changed_on", "future"),
        ({"notice_received_on": date(2027, 3, 16)}, "notice_received_on", "future"),
        ({"notice_received_on": None}, "learned_on", "by other means (§7.305(c))"),
        ({"learned_on": date(2027, 3, 16), "learned_from": "Press"}, "learned_on", "future"),
        ({"learned_on": date(2027, 2, 1)}, "learned_from", "how the Department learned"),
        ({"summary": "   "}, "summary", "Summarise"),
    ],
)
def test_a_notice_that_cannot_be_recorded_says_which_field_is_wrong(changes, field, words):
    problems = _problems(**changes)
    assert list(problems) == [field]
    assert words in problems[field]


def test_a_complete_notice_has_no_problems():
    assert _problems() == {}
    assert _problems(notice_received_on=None, learned_on=TODAY, learned_from="Press") == {}


@pytest.mark.parametrize(
    ("received_on", "already", "problem"),
    [
        (TODAY, None, None),
        (date(2027, 3, 16), None, "future"),
        (TODAY, date(2027, 2, 1), "already recorded"),
    ],
)
def test_a_notice_s_receipt_is_recorded_once_and_not_in_the_future(received_on, already, problem):
    found = rules.receipt_problem(received_on, already_received_on=already, today=TODAY)
    assert (found is None) if problem is None else (problem in found)


def test_owed_and_late_notices_each_make_one_line_of_failure_to_submit():
    notices = [
        NoticeFacts(Obligation.CIP_UNNECESSARY, CHANGE, None, date(2027, 2, 1)),
        NoticeFacts(Obligation.REPRESENTATION_ENDED, CHANGE, None, date(2027, 2, 3)),
        NoticeFacts(Obligation.REPRESENTATION_ENDED, CHANGE, date(2027, 3, 1), date(2027, 2, 1)),
        NoticeFacts(Obligation.CIP_UNNECESSARY, CHANGE, date(2027, 1, 12), None),
    ]
    owed, late = rules.risk_signals(notices)
    assert (owed.criterion, owed.kind, owed.count) == ("§7.305(d)(2)(i)", rules.NOT_GIVEN, 2)
    assert (late.criterion, late.kind, late.count) == ("§7.305(d)(2)(i)", rules.LATE, 1)
    assert "§7.309(b)(1), change of 2027-01-10" in owed.explanation
    assert "§7.309(b)(3)" in late.explanation and "learned 2027-02-01" in late.explanation


def test_notices_given_in_time_add_nothing():
    given = NoticeFacts(Obligation.CIP_UNNECESSARY, CHANGE, date(2027, 1, 12), None)
    assert rules.risk_signals([given]) == []
