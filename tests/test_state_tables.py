"""Every state table of every module, read as a graph: no case can be left in a state from which
it never ends, and each case kind has a way out before its decision."""

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping

import pytest

from casework import rules as casework
from casework.oversight import rules as oversight
from casework.penalties import rules as penalty_rules
from core.approvals import rules as approvals
from exemptions import rules as exemptions
from intake.ai import ip_log
from intake.resellers import rules as reseller_rules
from special_measures import rules as special_measures

TABLES = {
    "exemption requests (§7.306)": exemptions.ALLOWED,
    "special-measure cases (§7.307)": special_measures.ALLOWED,
    "compliance assessments (§7.305)": casework.ASSESSMENT_ALLOWED,
    "foreign-reseller oversight (§7.303(e))": oversight.OVERSIGHT_ALLOWED,
    "penalties (§7.309)": penalty_rules.PENALTY_ALLOWED,
    "two-person reviews": approvals.ALLOWED,
    "compiled reseller certification imports": reseller_rules.IMPORT_TRANSITIONS,
    "IP access log attachments": ip_log.IP_LOG_TRANSITIONS,
}


def _final(table: Mapping) -> set:
    return {state for state, nexts in table.items() if nexts <= {state}}


def _reaches(start: Hashable, goal: Callable[[Hashable], bool], nexts: Callable) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if goal(node):
            return True
        for following in nexts(node):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return False


def _all_reachable(start: Hashable, nexts: Callable[[Hashable], Iterable]) -> set:
    seen, queue = {start}, deque([start])
    while queue:
        for following in nexts(queue.popleft()):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_every_state_that_is_not_final_reaches_a_final_one(table):
    finals = _final(table)
    assert finals, "a table with no final state never ends"
    stranded = [
        state
        for state in table
        if state not in finals and not _reaches(state, finals.__contains__, table.__getitem__)
    ]
    assert stranded == []


def test_an_exemption_request_can_reach_a_decision_from_every_undecided_state():
    """§7.306(e)(2) consults the agencies "prior to making a finding": a finding goes to review
    only once they have been asked. Followed with that rule, every state an exemption request
    can come to still leads to a grant or a denial, not only to a withdrawal; a finding drafted
    before the agencies were asked goes to consultation first."""
    decisions = {exemptions.CaseState.GRANTED, exemptions.CaseState.DENIED}

    def nexts(node):
        state, consulted = node
        for wanted in exemptions.ALLOWED[state]:
            try:
                exemptions.check_transition(state, wanted, consulted=consulted)
            except exemptions.IllegalTransition:
                continue
            yield wanted, consulted or wanted is exemptions.CaseState.IN_CONSULTATION

    reachable = _all_reachable((exemptions.CaseState.RECEIVED, False), nexts)
    assert (exemptions.CaseState.FINDING_DRAFTED, False) in reachable
    undecided = [node for node in reachable if node[0] in exemptions.UNDECIDED]
    stranded = [
        node for node in undecided if not _reaches(node, lambda n: n[0] in decisions, nexts)
    ]
    assert stranded == []


WAYS_OUT = [
    # The provider withdraws its request before the finding is made (§7.306(e)(1)).
    (exemptions.ALLOWED, exemptions.UNDECIDED, exemptions.CaseState.WITHDRAWN),
    # The evaluation ends without a measure until one is imposed on issuance (§7.307(a)(2), (4)).
    (
        special_measures.ALLOWED,
        set(special_measures.CaseState)
        - {
            special_measures.CaseState.ISSUED,
            special_measures.CaseState.LAPSED,
            special_measures.CaseState.CLOSED,
        },
        special_measures.CaseState.CLOSED,
    ),
    # A penalty "may be imposed" (§7.309(c)(1)): dropped at any point before its notice is served.
    (
        penalty_rules.PENALTY_ALLOWED,
        {
            penalty_rules.PenaltyState.DRAFTED,
            penalty_rules.PenaltyState.IN_REVIEW,
            penalty_rules.PenaltyState.APPROVED,
        },
        penalty_rules.PenaltyState.WITHDRAWN,
    ),
    # An assessment is the Department's to conduct at its discretion (§7.305(b)): closed with a
    # note at any point before its report is issued.
    (
        casework.ASSESSMENT_ALLOWED,
        {
            casework.AssessmentState.OPEN,
            casework.AssessmentState.INFORMATION_REQUESTED,
            casework.AssessmentState.DRAFTED,
            casework.AssessmentState.IN_REVIEW,
            casework.AssessmentState.APPROVED,
        },
        casework.AssessmentState.CLOSED,
    ),
]


@pytest.mark.parametrize(
    ("table", "before_decision", "way_out"),
    WAYS_OUT,
    ids=["exemption withdrawn", "case closed", "penalty withdrawn", "assessment closed"],
)
def test_each_case_kind_can_end_in_one_step_from_every_state_before_its_decision(
    table, before_decision, way_out
):
    assert way_out in _final(table)
    assert sorted(state for state in before_decision if way_out not in table[state]) == []
