"""The exemption workflow's rules, as plain tables (§7.306)."""

from datetime import date

import pytest

from core.errors import IllegalTransition
from exemptions import rules
from exemptions.rules import CaseState as S
from intake.examples import payload

ALLOWED_PATHS = [
    (S.RECEIVED, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, S.INFORMATION_REQUESTED),
    (S.INFORMATION_REQUESTED, S.UNDER_REVIEW),
    (S.INFORMATION_REQUESTED, S.IN_CONSULTATION),
    (S.UNDER_REVIEW, S.IN_CONSULTATION),
    (S.IN_CONSULTATION, S.FINDING_DRAFTED),
    (S.FINDING_DRAFTED, S.IN_REVIEW),
    (S.IN_REVIEW, S.FINDING_DRAFTED),
    (S.IN_REVIEW, S.GRANTED),
    (S.IN_REVIEW, S.DENIED),
    (S.GRANTED, S.REVOKED),
    # A finding drafted before the agencies were asked can still wait for them (§7.306(e)(2)).
    (S.FINDING_DRAFTED, S.IN_CONSULTATION),
    (S.FINDING_DRAFTED, S.INFORMATION_REQUESTED),
    (S.IN_CONSULTATION, S.IN_REVIEW),
    (S.RECEIVED, S.WITHDRAWN),
    (S.IN_REVIEW, S.WITHDRAWN),
]
REFUSED_PATHS = [
    (S.RECEIVED, S.GRANTED),
    (S.UNDER_REVIEW, S.GRANTED),
    (S.FINDING_DRAFTED, S.GRANTED),
    (S.DENIED, S.GRANTED),
    (S.DENIED, S.REVOKED),
    (S.REVOKED, S.GRANTED),
    (S.GRANTED, S.WITHDRAWN),
    (S.DENIED, S.WITHDRAWN),
    (S.WITHDRAWN, S.UNDER_REVIEW),
]


@pytest.mark.parametrize(("current", "wanted"), ALLOWED_PATHS)
def test_allowed_transitions(current, wanted):
    rules.check_transition(current, wanted, consulted=True)


@pytest.mark.parametrize(("current", "wanted"), REFUSED_PATHS)
def test_refused_transitions(current, wanted):
    with pytest.raises(IllegalTransition):
        rules.check_transition(current, wanted, consulted=True)


@pytest.mark.parametrize("current", [S.FINDING_DRAFTED, S.IN_CONSULTATION])
def test_a_finding_goes_to_review_only_after_the_agencies_are_consulted(current):
    with pytest.raises(IllegalTransition, match=r"§7\.306\(e\)\(2\)"):
        rules.check_transition(current, S.IN_REVIEW, consulted=False)


def test_checklist_follows_the_rule_element_by_element():
    items = rules.checklist(payload("exemption_request"))
    citations = [item.citation for item in items]
    assert citations[:5] == [f"§7.306(b)(1)(i)({letter})" for letter in "ABCDE"]
    assert "§7.306(b)(2)" in citations
    assert [c for c in citations if c.startswith("§7.306(b)(3)")] == [
        f"§7.306(b)(3)({n})" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
    ]
    assert [c for c in citations if c.startswith("§7.306(b)(5)")] == [
        f"§7.306(b)(5)({n})" for n in ("i", "ii", "iii", "iv")
    ]
    assert citations[-2:] == ["§7.306(c)", "§7.306(d)"]
    assert len(items) == 33
    approval = next(item for item in items if item.citation == "§7.306(b)(5)(i)")
    assert approval.says.startswith("A committee of the board of directors, Risk Committee")
    assert rules.unaddressed(items) == []


def test_checklist_shows_what_is_not_addressed():
    data = payload("exemption_request", consortium="", response_payment=None)
    assert rules.unaddressed(rules.checklist(data)) == ["§7.306(b)(3)(vii)", "§7.306(c)"]


COMPLETE = {key: ("satisfied", "Reasons given.") for key, _c, _l in rules.FACTORS}


def test_a_complete_finding_has_no_problems():
    assert rules.finding_problems(COMPLETE, "grant") == {}


def test_each_factor_needs_an_assessment_and_reasons_and_a_decision():
    partial = {**COMPLETE, "robustness": (None, ""), "collaboration": ("satisfied", "  ")}
    problems = rules.finding_problems(partial, None)
    assert problems == {
        "robustness_assessment": "Assess this factor (§7.306(e)(3)(ii)).",
        "robustness_reasons": "Give the reasons for this assessment (§7.306(e)(3)(ii)).",
        "collaboration_reasons": "Give the reasons for this assessment (§7.306(e)(3)(v)).",
        "decision": "Choose whether to grant or deny the exemption.",
    }


def test_review_waits_for_every_required_position():
    assert rules.review_blockers(["DoD", "DNI"], True) == [
        "No recorded position yet from DoD, DNI (§7.306(e)(2))."
    ]
    assert rules.review_blockers([], True) == []


@pytest.mark.parametrize(
    ("scope", "provider", "reseller"),
    [("provider", True, False), ("foreign_reseller", False, True), ("account_type", False, False)],
)
def test_what_each_scope_waives(scope, provider, reseller):
    assert rules.waives_provider_certification(scope) is provider
    assert rules.waives_reseller_certification(scope) is reseller


@pytest.mark.parametrize(
    ("start", "due"),
    [(date(2027, 3, 1), date(2028, 3, 1)), (date(2028, 2, 29), date(2029, 2, 28))],
)
def test_annual_notification_is_due_a_year_later(start, due):
    assert rules.annual_notification_due(start) == due


def test_overdue_only_after_the_due_date():
    due = date(2028, 3, 1)
    assert not rules.notification_overdue(due, due)
    assert rules.notification_overdue(due, date(2028, 3, 2))
    assert not rules.notification_overdue(None, date(2028, 3, 2))


def test_information_overdue_until_answered():
    assert rules.information_overdue(date(2027, 1, 10), None, date(2027, 1, 11))
    assert not rules.information_overdue(date(2027, 1, 10), date(2027, 1, 12), date(2027, 1, 13))


def test_revocation_needs_reasons():
    assert (
        rules.revocation_problem(" ") == "State the reasons for revoking the exemption (§7.306(g))."
    )
    assert rules.revocation_problem("Program no longer maintained.") is None


# --- What an exemption lifts (§7.306(a), (b), (e)) ----------------------------------------------


@pytest.mark.parametrize(
    ("scope", "lifts", "citation", "conflicts"),
    [
        # (b) names §§7.302 and 7.304, (e) §§7.302, 7.304 and 7.305: (e) is applied.
        ("provider", "§§7.302, 7.304 and 7.305", "§7.306(e)", True),
        # (b) and (e) agree on a foreign reseller's.
        ("foreign_reseller", "§§7.303 and 7.304 with regard to that foreign reseller",
         "§7.306(b), (e)", False),
        ("account_type", "this subpart, except §§7.308 and 7.309, for the accounts or lessees "
         "of that type", "§7.306(a)", False),
    ],
)  # fmt: skip
def test_each_scope_says_what_it_lifts_and_where_the_rule_conflicts(
    scope, lifts, citation, conflicts
):
    effect = rules.effect_of(scope)
    assert (effect.lifts, effect.citation, bool(effect.conflict)) == (lifts, citation, conflicts)


def test_the_provider_reading_is_applied_to_every_requirement_of_7305_it_lifts():
    effect = rules.effect_of("provider")
    assert "§7.306(b) says such a finding exempts the provider from §§7.302 and 7.304" in (
        effect.conflict
    )
    for consequence in ("§7.305(d)(2)(i)", "§7.305(e)(1)", "§7.305(a)", "§7.308", "§7.309"):
        assert consequence in effect.in_this_system
    assert rules.waives_provider_certification("provider")
    assert not rules.waives_provider_certification("account_type")


def test_an_account_type_exemption_says_plainly_that_intake_keeps_no_such_records():
    effect = rules.effect_of("account_type")
    assert effect.in_this_system.startswith("None in intake, which keeps no record of accounts")
