"""A page offers no step its service refuses: each case below once showed a form or a button for a
step the service then refused, or accepted a step no page offered."""

from datetime import timedelta

import pytest

from casework import rules as casework_rules
from casework import services as casework
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import IllegalTransition
from exemptions import services as exemptions
from special_measures import actions as measure_actions
from special_measures.rules import ActionKind
from tests.factories import (
    FINDING_REASONS,
    file_exemption_request,
    grant_exemption,
    log_in,
    make_measure,
    make_provider,
    make_user,
    prepare_finding,
)

TODAY = office_today()


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER)


def test_no_second_extension_is_offered_while_one_is_drafted(client, people):
    """§7.307(a)(5): one extension or revocation at a time; the page offers no second one."""
    analyst, reviewer = people
    case = make_measure(TODAY, stop_at="issued", analyst=analyst, reviewer=reviewer)
    log_in(client, analyst)
    page = f"/special-measures/cases/{case.id}"
    assert "Draft an extension" in client.get(page).text
    measure_actions.draft_action(
        case, kind=ActionKind.EXTENSION, reasons="Incidents continue.",
        new_last_day_on=case.last_day_on + timedelta(days=200), effective_on=None,
        actor=analyst, today=TODAY,
    )  # fmt: skip
    db.session.commit()
    text = client.get(page).text
    assert "Draft an extension" not in text and "Draft a revocation" not in text
    refused = client.post(
        f"{page}/revocation", data={"reasons": "Controls adopted.", "effective_on": TODAY}
    )
    assert (
        "Finish the extension or revocation already drafted first."
        in client.get(refused.location).text
    )


def test_a_finding_in_review_is_neither_offered_for_editing_nor_changed_by_a_stale_form(
    client, people
):
    analyst, _ = people
    case = prepare_finding(file_exemption_request(), analyst=analyst, today=TODAY)
    exemptions.submit_finding(case, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    assert "Save the finding" not in client.get(f"/exemptions/requests/{case.id}").text
    with pytest.raises(IllegalTransition, match="once a reviewer returns it"):
        exemptions.draft_finding(
            case,
            assessments={key: ("not satisfied", text) for key, text in FINDING_REASONS.items()},
            decision="deny",
            actor=analyst,
        )
    assert exemptions.get_case(case.id).state == "in review"


def test_a_second_revocation_is_not_offered_while_one_waits_for_a_reviewer(client, people):
    analyst, reviewer = people
    case = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    exemptions.propose_revocation(
        case, reasons="The program lapsed.", special_measure_reference="", actor=analyst
    )
    db.session.commit()
    log_in(client, analyst)
    page = client.get(f"/exemptions/requests/{case.id}").text
    assert "A revocation is waiting for a reviewer" in page and "Propose revocation" not in page
    with pytest.raises(IllegalTransition, match="already waiting for a reviewer"):
        exemptions.propose_revocation(
            case, reasons="Another reason.", special_measure_reference="", actor=analyst
        )


def test_an_assessment_in_review_neither_offers_nor_sends_a_request_for_the_cip(client, people):
    analyst, _ = people
    assessment = casework.open_assessment(
        make_provider(), origin=casework_rules.AssessmentOrigin.REFERRAL, scope="The CIP.",
        origin_note="", actor=analyst, today=TODAY - timedelta(days=30),
    )  # fmt: skip
    casework.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    db.session.commit()
    log_in(client, analyst)
    page = client.get(f"/casework/assessments/{assessment.id}").text
    assert "Request a copy of the provider's CIP" not in page
    with pytest.raises(IllegalTransition, match="while the findings are drafted"):
        casework.request_information(
            assessment, requested_on=TODAY, note="Full CIP.", actor=analyst
        )
