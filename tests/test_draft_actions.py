"""Who may change or withdraw a draft, and when (docs/architecture.md §5): its author, while it is
drafted (before review, or once the reviewer returns it), and nobody else; in review or approved
it stands as the reviewer read it. One table for the four kinds of draft."""

import itertools

import pytest

from casework import rules as casework
from casework.penalties import rules as penalty_rules
from core.approvals.rules import OWN_DRAFT
from core.auth.rules import Role
from core.workflow import rules as workflow
from exemptions import rules as exemptions
from special_measures import rules as special_measures

AS, EX, PE, SM = (
    casework.AssessmentState, exemptions.CaseState, penalty_rules.PenaltyState,
    special_measures.CaseState,
)  # fmt: skip
ASSESSMENT_DRAFTING = {AS.OPEN, AS.INFORMATION_REQUESTED, AS.DRAFTED}

# (what, the module's actions, the action, the states its author takes it in, the state a
# reviewer's return leaves the record in)
AUTHORS_ACTIONS = [
    ("changing a penalty notice", penalty_rules.PENALTY_ACTIONS, "edit_penalty", {PE.DRAFTED},
     PE.DRAFTED),
    # §7.309(c)(1): the notice may be dropped until it is served, by its drafter.
    ("withdrawing a penalty notice", penalty_rules.PENALTY_ACTIONS, "withdraw_penalty",
     {PE.DRAFTED, PE.IN_REVIEW, PE.APPROVED}, PE.DRAFTED),
    ("changing an assessment's finding", casework.ASSESSMENT_ACTIONS, "edit_assessment_finding",
     ASSESSMENT_DRAFTING, AS.DRAFTED),
    ("withdrawing an assessment's finding", casework.ASSESSMENT_ACTIONS,
     "withdraw_assessment_finding", ASSESSMENT_DRAFTING, AS.DRAFTED),
    ("drafting or changing an exemption finding", exemptions.ACTIONS, "draft_finding",
     {EX.UNDER_REVIEW, EX.IN_CONSULTATION, EX.FINDING_DRAFTED}, EX.FINDING_DRAFTED),
    ("withdrawing an exemption finding", exemptions.ACTIONS, "withdraw_finding",
     {EX.FINDING_DRAFTED}, EX.FINDING_DRAFTED),
    ("drafting or changing a determination", special_measures.ACTIONS, "determination",
     {SM.CONSULTATION, SM.DRAFTED}, SM.DRAFTED),
    ("withdrawing a determination", special_measures.ACTIONS, "withdraw_determination",
     {SM.DRAFTED}, SM.DRAFTED),
    ("changing the evaluation a determination rests on", special_measures.ACTIONS, "evaluation",
     {SM.REFERRED, SM.EVALUATION, SM.CONSULTATION, SM.DRAFTED}, SM.DRAFTED),
]  # fmt: skip
IDS = [row[0] for row in AUTHORS_ACTIONS]
FIELDS = ("what", "actions", "name", "states", "returned")


def _offered(actions, name, state, role, *, own):
    # Every other fact the action needs holds: only the state, the role and authorship vary.
    facts = dict.fromkeys(actions[name].needs or {}, True) | {OWN_DRAFT: own}
    return name in workflow.available_actions(actions, state, role, facts)


@pytest.mark.parametrize(
    ("what", "actions", "name", "states", "returned"), AUTHORS_ACTIONS, ids=IDS
)
def test_only_the_author_takes_it_and_only_while_drafted(what, actions, name, states, returned):
    states_of = type(next(iter(states)))
    for state, role, own in itertools.product(states_of, Role, (True, False)):
        expected = role is Role.ANALYST and own and state in states
        assert _offered(actions, name, state, role, own=own) is expected, (state, role, own)


@pytest.mark.parametrize(
    ("what", "actions", "name", "states", "returned"), AUTHORS_ACTIONS, ids=IDS
)
def test_the_reviewers_return_reopens_it_to_its_author(what, actions, name, states, returned):
    states_of = type(returned)
    in_review = states_of("in review")
    assert returned in states
    assert in_review not in states or name == "withdraw_penalty"
    assert not _offered(actions, name, in_review, Role.ANALYST, own=False)


def test_a_withdrawn_draft_leaves_its_case_where_a_new_one_is_drafted():
    # The states a withdrawal moves to are steps the tables allow.
    assert EX.UNDER_REVIEW in exemptions.ALLOWED[EX.FINDING_DRAFTED]
    assert EX.IN_CONSULTATION in exemptions.ALLOWED[EX.FINDING_DRAFTED]
    assert SM.CONSULTATION in special_measures.ALLOWED[SM.DRAFTED]
