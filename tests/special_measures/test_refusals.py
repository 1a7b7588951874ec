"""A special-measure case ends without a measure at any point before issuance (§7.307(a)(2),
(a)(4)), and a step its state refuses says why on the case page, never a server error."""

from datetime import timedelta

import pytest

from core.approvals import services as approvals
from core.approvals.rules import ReviewState
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from special_measures import actions as measure_actions
from special_measures import rules, services
from special_measures.rules import ActionKind, CaseState, ReferralSource, SubjectKind
from tests.factories import extend_measure, log_in, make_measure, make_user
from tests.refusals import TAKEN, Step, signed_in, sweep, then

TODAY = office_today()


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.REVIEWER)


@pytest.mark.parametrize("stop_at", ["in review", "approved"])
def test_a_case_with_a_determination_in_review_or_approved_closes_without_a_measure(
    client, people, stop_at
):
    analyst, reviewer = people
    case = make_measure(TODAY, stop_at=stop_at, analyst=analyst, reviewer=reviewer)
    log_in(client, analyst)
    page = client.get(f"/special-measures/cases/{case.id}").text
    assert "Close the case without a measure" in page
    assert "The determination leaves the reviewers' queue and will not be issued." in page
    page = client.post(
        f"/special-measures/cases/{case.id}/close",
        data={"reasons": "The jurisdiction adopted its own controls."},
        follow_redirects=True,
    )
    assert "Case closed without a measure." in page.text
    assert "The jurisdiction adopted its own controls." in page.text
    case = services.get_case(case.id)
    assert case.state_enum is CaseState.CLOSED
    review = approvals.latest_review(services.CASE, case.id)
    assert review.state_enum is ReviewState.VOIDED
    assert review not in approvals.queue()


@pytest.mark.parametrize("stop_at", ["issued", "closed"])
def test_closing_an_issued_or_closed_case_from_a_stale_page_says_why(client, people, stop_at):
    analyst, _ = people
    case = make_measure(TODAY, stop_at="issued" if stop_at == "issued" else "consultation")
    if stop_at == "closed":
        services.close_case(case, reasons="No grounds.", actor=analyst)
        db.session.commit()
    log_in(client, analyst)
    answer = client.post(
        f"/special-measures/cases/{case.id}/close", data={"reasons": "Changed our minds."}
    )
    assert answer.status_code == 303
    assert answer.location == f"/special-measures/cases/{case.id}"
    page = client.get(answer.location).text
    expected = f"This case now stands at “{services.get_case(case.id).state}”, from which"
    assert expected in page and 'class="usa-alert usa-alert--error' in page
    assert services.get_case(case.id).closed_reason != "Changed our minds."


def _in_state(analyst, reviewer):
    referral = services.Referral(
        source=ReferralSource.SECRETARY, received_on=TODAY - timedelta(days=60),
        summary="Botnet controllers rent accounts through resellers.",
        subject_kind=SubjectKind.JURISDICTION, jurisdiction="RU",
    )  # fmt: skip

    def referred():
        case = services.open_case(referral, actor=analyst, today=TODAY - timedelta(days=50))
        db.session.commit()
        return case

    def at(stop_at):
        return lambda: make_measure(TODAY, stop_at=stop_at, analyst=analyst, reviewer=reviewer)

    def draft_extension(case):
        measure_actions.draft_action(
            case, kind=ActionKind.EXTENSION, reasons="Incidents continue.",
            new_last_day_on=case.last_day_on + timedelta(days=200), effective_on=None,
            actor=analyst, today=TODAY,
        )  # fmt: skip

    def extend_and_send(case):
        extend_measure(
            case, new_last_day=case.last_day_on + timedelta(days=200), published_on=TODAY
        )
        for notice in case.notices:
            services.record_notice_sent(
                notice, sent_on=TODAY, sent_how="Courier", actor=analyst, today=TODAY
            )

    evaluating = then(
        referred,
        lambda case: services.save_evaluation(
            case, {f.code: ("Reasons.", "") for f in rules.JURISDICTION_FACTORS}, actor=analyst
        ),
    )
    extension_drafted = then(at("issued"), draft_extension)
    extension_approved = then(
        extension_drafted,
        lambda case: measure_actions.decide_action(
            case.actions[-1], approve=True, comments="", actor=reviewer
        ),
    )
    extended = then(at("issued"), extend_and_send)
    closed = then(
        evaluating, lambda case: services.close_case(case, reasons="No grounds.", actor=analyst)
    )

    return {
        "referred": referred,
        "under evaluation": evaluating,
        "in consultation": at("consultation"),
        "determination drafted": at("drafted"),
        "in review": at("in review"),
        "approved": at("approved"),
        "issued": at("issued"),
        "issued, extension drafted": extension_drafted,
        "issued, extension approved": extension_approved,
        "extended, letters sent": extended,
        "closed without a measure": closed,
    }


def _case_step(role, action, data):
    return Step(role, lambda case: f"/special-measures/cases/{case.id}/{action}", data)


def _action_step(role, action, data):
    def url(case):
        return f"/special-measures/actions/{case.actions[-1].id}/{action}" if case.actions else None

    def page(case):
        return f"/special-measures/actions/{case.actions[-1].id}"

    return Step(role, url, data, page)


def _notice_step(role, action, data):
    def url(case):
        return f"/special-measures/notices/{case.notices[0].id}/{action}" if case.notices else None

    def page(case):
        return f"/special-measures/notices/{case.notices[0].id}"

    return Step(role, url, data, page)


LATER = (TODAY + timedelta(days=700)).isoformat()
STEPS = {
    "evaluate": _case_step(
        "analyst",
        "evaluation",
        {f"reasons_{f.code}": "Reasons." for f in rules.JURISDICTION_FACTORS},
    ),
    "consult": _case_step(
        "analyst",
        "consultations",
        {"summary": "Positions, please.", "respond_by": (TODAY + timedelta(days=30)).isoformat()},
    ),
    "draft the determination": _case_step(
        "analyst",
        "determination",
        {
            "evaluation_summary": "Forty incidents.",
            "measure_kind": "prohibition",
            "consistency": "Consistent with E.O. 13984.",
            "compliance_on": (TODAY + timedelta(days=200)).isoformat(),
            **{f"reasons_{f.code}": "Weighed." for f in rules.SELECTION_FACTORS},
        },
    ),
    "send for review": _case_step("analyst", "submit", {}),
    "decide": _case_step("reviewer", "decision", {"decision": "approve"}),
    "issue": _case_step("analyst", "issue", {"issued_on": TODAY.isoformat()}),
    "record publication": _case_step(
        "analyst",
        "publication",
        {"federal_register_citation": "91 FR 70001", "published_on": TODAY.isoformat()},
    ),
    "close": _case_step("analyst", "close", {"reasons": "No grounds for a measure."}),
    "draft an extension": _case_step(
        "analyst", "extension", {"reasons": "Still needed.", "new_last_day_on": LATER}
    ),
    "draft a revocation": _case_step(
        "analyst", "revocation", {"reasons": "Controls adopted.", "effective_on": TODAY.isoformat()}
    ),
    "decide the action": _action_step("reviewer", "decision", {"decision": "approve"}),
    "record the action": _action_step(
        "analyst",
        "record",
        {"federal_register_citation": "91 FR 80001", "published_on": TODAY.isoformat()},
    ),
    "name the addressee": _notice_step(
        "analyst", "addressee", {"addressee": "The Honorable Chair"}
    ),
    "record the letter sent": _notice_step(
        "analyst", "sent", {"sent_on": TODAY.isoformat(), "sent_how": "Courier"}
    ),
}


def test_every_step_refused_by_the_state_of_a_case_says_why_and_is_not_offered(app, people):
    analyst, reviewer = people
    clients = signed_in(app, analyst=analyst, reviewer=reviewer)
    outcomes = sweep(
        clients,
        _in_state(analyst, reviewer),
        STEPS,
        lambda case: f"/special-measures/cases/{case.id}",
    )
    assert all(
        outcomes[(state, "close")] == TAKEN
        for state in ("referred", "in consultation", "in review", "approved")
    )
