"""The actions a person may take, computed once from each module's table: for every state, role
and fact, what a page offers is what the service accepts, each action's states agree with the
module's table of allowed steps, and the roles it is offered to are the roles its route admits."""

import itertools

import pytest

from casework import rules as casework
from casework.oversight import rules as oversight
from casework.penalties import rules as penalty_rules
from core.approvals import rules as approvals
from core.auth.rules import Role
from core.errors import IllegalTransition
from core.workflow import rules as workflow
from exemptions import rules as exemptions
from special_measures import rules as special_measures

# (blueprint of the routes, the actions, the states of the record)
TABLES = {
    "special-measure cases": (
        "special_measures",
        special_measures.ACTIONS,
        special_measures.CaseState,
    ),
    "exemption requests": ("exemptions", exemptions.ACTIONS, exemptions.CaseState),
    "penalties": ("casework", penalty_rules.PENALTY_ACTIONS, penalty_rules.PenaltyState),
    "assessments": ("casework", casework.ASSESSMENT_ACTIONS, casework.AssessmentState),
    "reseller oversight": ("casework", oversight.OVERSIGHT_ACTIONS, oversight.OversightState),
}


def _fact_cases(actions):
    """Every combination of the facts the table's actions need."""
    facts = sorted({fact for action in actions.values() for fact in (action.needs or {})})
    for values in itertools.product([True, False], repeat=len(facts)):
        yield dict(zip(facts, values, strict=True))


def _accepted(actions, name, state, facts):
    try:
        workflow.check_action(actions, name, state, facts)
    except IllegalTransition:
        return False
    return True


@pytest.mark.parametrize(("blueprint", "actions", "states"), TABLES.values(), ids=TABLES.keys())
def test_a_page_offers_an_action_exactly_when_the_service_accepts_it(blueprint, actions, states):
    for state, role, facts in itertools.product(states, Role, _fact_cases(actions)):
        offered = workflow.available_actions(actions, state, role, facts)
        for name, action in actions.items():
            accepted = role in action.roles and _accepted(actions, name, state, facts)
            assert (name in offered) == accepted, (state, role, facts, name)


def test_nothing_is_offered_to_someone_without_a_role():
    assert (
        workflow.available_actions(
            special_measures.ACTIONS, special_measures.CaseState.REFERRED, None
        )
        == frozenset()
    )


def test_a_refused_action_says_why_in_the_words_of_the_service():
    with pytest.raises(IllegalTransition, match="Only an issued determination is published"):
        workflow.check_action(
            special_measures.ACTIONS, "publication", SMS.APPROVED,
            message="Only an issued determination is published.",
        )  # fmt: skip
    with pytest.raises(IllegalTransition, match="already drafted first"):
        workflow.check_action(
            special_measures.ACTIONS, "draft_extension", SMS.ISSUED,
            {special_measures.IN_EFFECT: True, special_measures.NONE_PENDING: False},
        )  # fmt: skip


SM, SMS = (special_measures.ACTIONS, special_measures.ALLOWED), special_measures.CaseState
EX, EXS = (exemptions.ACTIONS, exemptions.ALLOWED), exemptions.CaseState
PE, PES = (penalty_rules.PENALTY_ACTIONS, penalty_rules.PENALTY_ALLOWED), penalty_rules.PenaltyState
AS, ASS = (casework.ASSESSMENT_ACTIONS, casework.ASSESSMENT_ALLOWED), casework.AssessmentState
OV, OVS = (oversight.OVERSIGHT_ACTIONS, oversight.OVERSIGHT_ALLOWED), oversight.OversightState
RE, RES = (approvals.ACTIONS, approvals.ALLOWED), approvals.ReviewState

# Actions that move the record to one state: offered exactly where the table allows that step.
ENDINGS = [
    (*SM, "close", SMS.CLOSED),
    (*EX, "withdraw", EXS.WITHDRAWN),
    (*PE, "withdraw_penalty", PES.WITHDRAWN),
    (*AS, "close_assessment", ASS.CLOSED),
    (*OV, "oversight_knowledge", OVS.TERMINATION_CLOCK),
]

# Actions that move the record on: every state they are offered in allows the step they take.
MOVES = [
    (*SM, "submit", SMS.IN_REVIEW),
    (*SM, "issue", SMS.ISSUED),
    (*SM, "request_consultations", SMS.CONSULTATION),
    (*EX, "start_review", EXS.UNDER_REVIEW),
    (*EX, "consult", EXS.IN_CONSULTATION),
    (*EX, "draft_finding", EXS.FINDING_DRAFTED),
    (*EX, "submit_finding", EXS.IN_REVIEW),
    (*EX, "decide_revocation", EXS.REVOKED),
    (*PE, "submit_penalty", PES.IN_REVIEW),
    (*PE, "serve_penalty", PES.SERVED),
    (*PE, "penalty_petition", PES.PETITIONED),
    (*PE, "penalty_final_decision", PES.DECIDED),
    (*AS, "submit_assessment", ASS.IN_REVIEW),
    (*AS, "assessment_resubmission", ASS.REMEDIATED),
    (*OV, "oversight_outcome", OVS.TERMINATED),
    (*RE, "decide", RES.APPROVED),
]


@pytest.mark.parametrize(("actions", "allowed", "name", "to"), ENDINGS, ids=[e[2] for e in ENDINGS])
def test_an_ending_is_offered_in_every_state_that_may_end_so_and_no_other(
    actions, name, allowed, to
):
    assert actions[name].states == {state for state, nexts in allowed.items() if to in nexts}


@pytest.mark.parametrize(("actions", "allowed", "name", "to"), MOVES, ids=[m[2] for m in MOVES])
def test_an_action_is_offered_only_where_its_step_is_allowed(actions, allowed, name, to):
    # A submission from an open assessment passes through "findings drafted" (§7.305(a)).
    through = {ASS.OPEN, ASS.INFORMATION_REQUESTED}
    stranded = [
        state
        for state in actions[name].states
        if to not in allowed[state] and not (name == "submit_assessment" and state in through)
    ]
    assert stranded == []


def test_each_action_is_offered_to_the_roles_its_route_admits(app):
    tables = [
        *TABLES.values(),
        ("special_measures", {"decide_action": approvals.ACTIONS["decide"]}, None),
    ]
    mismatched = []
    for blueprint, actions, _states in tables:
        for name, action in actions.items():
            route = app.view_functions[f"{blueprint}.{name}"]
            if route.allowed_roles != action.roles:
                mismatched.append((blueprint, name))
    assert mismatched == []
