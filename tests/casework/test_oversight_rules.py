"""The decisions of an oversight case, worked out from §7.303(e) and §7.308(f)."""

from __future__ import annotations

import pytest

from casework.oversight import rules
from core.auth.rules import Role
from core.workflow import rules as workflow

K, B, S = rules.EvidenceKind, rules.OversightBasis, rules.OversightState


@pytest.mark.parametrize(
    ("kind", "basis"),
    [
        # §7.303(e): failure to maintain or implement a CIP, or lack of good-faith efforts.
        (K.NO_CIP, B.CIP),
        (K.NOT_IMPLEMENTED, B.CIP),
        (K.NO_GOOD_FAITH, B.CIP),
        # §7.308(f): a reseller that "has not complied with the requirements of this section".
        (K.REPORT_NOT_MADE, B.REPORTING),
        (K.REPORT_LATE, B.REPORTING),
        (K.REPORT_INCOMPLETE, B.REPORTING),
    ],
)
def test_the_evidence_says_which_paragraph_the_case_follows(kind, basis):
    assert rules.basis_of(kind) is basis


def _offered(state, basis, *, account_closed=False):
    facts = rules.case_facts(basis, account_closed=account_closed)
    return workflow.available_actions(rules.OVERSIGHT_ACTIONS, state, Role.ANALYST, facts)


@pytest.mark.parametrize(
    ("state", "basis", "account_closed", "offered"),
    [
        # §7.303(e): on evidence, close the account; either fact starts the 30 days; it ends.
        (S.EVIDENCE, B.CIP, False,
         {"oversight_knowledge", "oversight_outcome", "oversight_account_closure"}),
        (S.EVIDENCE, B.CIP, True, {"oversight_knowledge", "oversight_outcome"}),
        (S.TERMINATION_CLOCK, B.CIP, False, {"oversight_outcome", "oversight_account_closure"}),
        # Terminated with its account still open: the closing is still to be recorded.
        (S.TERMINATED, B.CIP, False, {"oversight_account_closure"}),
        (S.TERMINATED, B.CIP, True, set()),
        (S.REMEDIATED, B.CIP, False, set()),
        # §7.308(f): notify and ask for confirmation; then suspend, or accept the confirmation.
        (S.EVIDENCE, B.REPORTING, False, {"oversight_notice"}),
        (S.NOTIFIED, B.REPORTING, False, {"oversight_suspension", "oversight_compliance"}),
        # Resumption "only after the foreign reseller has provided adequate assurances".
        (S.SUSPENDED, B.REPORTING, False, {"oversight_resumption"}),
        (S.RESUMED, B.REPORTING, False, set()),
    ],
)  # fmt: skip
def test_each_state_offers_the_steps_the_rule_gives_it(state, basis, account_closed, offered):
    assert _offered(state, basis, account_closed=account_closed) == offered


def test_the_steps_go_to_no_one_but_an_analyst():
    facts = rules.case_facts(B.REPORTING, account_closed=False)
    for role in (Role.REVIEWER, Role.LIAISON, None):
        assert workflow.available_actions(rules.OVERSIGHT_ACTIONS, S.NOTIFIED, role, facts) == set()


@pytest.mark.parametrize(
    ("state", "open_"),
    [(S.EVIDENCE, True), (S.TERMINATION_CLOCK, True), (S.NOTIFIED, True), (S.SUSPENDED, True),
     (S.TERMINATED, False), (S.REMEDIATED, False), (S.RESUMED, False)],
)  # fmt: skip
def test_a_case_is_open_until_terminated_remediated_or_resumed(state, open_):
    assert (state in rules.OVERSIGHT_OPEN) is open_


def _case(basis, state=S.EVIDENCE, name="Neva Cloud", kind="failure to maintain a CIP"):
    return rules.OpenCase(name, kind, basis, state)


def test_open_cip_cases_are_a_signal_of_use_by_malicious_cyber_actors():
    (signal,) = rules.oversight_signals(
        [
            _case(B.CIP),
            _case(B.CIP, S.TERMINATION_CLOCK, "Ural Host", "failure to implement its CIP"),
        ]
    )
    assert (signal.criterion, signal.kind, signal.count) == (
        "§7.305(d)(1)(i)", "reseller_oversight", 2,
    )  # fmt: skip
    assert "Neva Cloud: failure to maintain a CIP; Ural Host" in signal.explanation
    assert "§7.303(e)" in signal.explanation


def test_open_7308f_cases_are_a_signal_of_use_to_train_large_models_naming_suspensions():
    cip, reporting = rules.oversight_signals(
        [_case(B.CIP),
         _case(B.REPORTING, S.SUSPENDED, "Ural Host", "report made after its 15 days"),
         _case(B.REPORTING, S.NOTIFIED, "Kama AI", "report lacking what §7.308(d) requires")]
    )  # fmt: skip
    assert cip.count == 1
    assert (reporting.criterion, reporting.kind, reporting.count) == (
        "§7.305(d)(1)(ii)", "reseller_reporting_oversight", 2,
    )  # fmt: skip
    assert "Ural Host: report made after its 15 days (provision suspended)" in reporting.explanation
    assert "Kama AI: report lacking what §7.308(d) requires." in reporting.explanation


def test_no_open_case_no_signal():
    assert rules.oversight_signals([]) == []


@pytest.mark.parametrize(
    ("action", "to", "after"),
    [
        ("oversight_account_closure", None, "evidence_received_on"),
        ("oversight_notice", S.NOTIFIED, "evidence_received_on"),
        ("oversight_suspension", S.SUSPENDED, "notified_on"),
        ("oversight_compliance", S.REMEDIATED, "notified_on"),
        ("oversight_resumption", S.RESUMED, "suspended_on"),
    ],
)
def test_each_step_follows_the_one_before_it(action, to, after):
    step = rules.STEPS[action]
    assert (step.to, step.after_field) == (to, after)
    if to is not None:
        assert to in rules.OVERSIGHT_ALLOWED[next(iter(rules.OVERSIGHT_ACTIONS[action].states))]
