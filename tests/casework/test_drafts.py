"""A penalty notice (§7.309(c)) and an assessment's findings (§7.305(f)(1)) are their author's to
change or withdraw until they go to review, and again once the reviewer returns them; nobody
else's (docs/architecture.md §5)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework import drafts, rules, services
from casework.penalties import drafts as penalty_drafts
from casework.penalties import rules as penalty_rules
from casework.penalties import services as penalties
from core.approvals import services as approvals
from core.approvals.rules import ReviewState, content_hash
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import IllegalTransition, InvalidInput
from tests.factories import log_in, make_provider, make_user, violation_rows, violations_of
from tests.refusals import signed_in

TODAY = office_today()


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.ANALYST), make_user(Role.REVIEWER)


def _penalty(analyst):
    case = penalties.draft_penalty(
        make_provider(), violations=violations_of("a2"), conduct="No annual certification in 2026.",
        proposed_amount=100_000, actor=analyst,
        today=TODAY - timedelta(days=3),
    )  # fmt: skip
    db.session.commit()
    return case


def _edit_penalty(case, actor, **changes):
    fields = {"violations": violations_of("a2", "a8"),
              "conduct": "No certification; a false statement.",
              "proposed_amount": 150_000} | changes  # fmt: skip
    return penalty_drafts.edit_penalty(case, **fields, actor=actor, today=TODAY)


def _event(action):
    db.session.commit()  # an event is linked into the trail when its transaction commits
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
    ).first()


def test_the_drafter_changes_the_notice_before_review_and_the_change_is_audited(people):
    analyst, _, _ = people
    case = _penalty(analyst)
    before = penalties.penalty_content(case)
    assert _edit_penalty(case, analyst)
    assert ([v.citation for v in case.violation_lines], case.proposed_amount, case.proposed_on) == (
        ["§7.309(a)(2)", "§7.309(a)(8)"], 150_000, TODAY
    )  # fmt: skip
    event = _event(penalty_drafts.PENALTY_EDITED)
    assert json.loads(event.before_json)["sha256"] == content_hash(before)
    assert json.loads(event.after_json)["sha256"] == content_hash(penalties.penalty_content(case))
    assert json.loads(event.after_json)["draft"]["proposed"] == 150_000
    assert not _edit_penalty(case, analyst), "the same text again changes nothing"


def test_nobody_else_changes_or_withdraws_a_notice(people):
    analyst, other, _ = people
    case = _penalty(analyst)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        _edit_penalty(case, other)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        penalties.withdraw_penalty(case, reasons="Misfiled.", actor=other, today=TODAY)
    assert case.state == penalty_rules.PenaltyState.DRAFTED.value


def test_the_drafts_of_an_analyst_who_has_left_are_carried_on_by_another(people):
    analyst, other, _ = people
    case = _penalty(analyst)
    analyst.active = False  # deactivated by an administrator
    assert _edit_penalty(case, other)
    assert case.proposed_amount == 150_000
    penalties.withdraw_penalty(case, reasons="The conduct was another's.", actor=other, today=TODAY)
    assert case.state == penalty_rules.PenaltyState.WITHDRAWN.value


def test_a_notice_in_review_changes_only_once_returned_and_goes_back_with_a_new_hash(people):
    analyst, _, reviewer = people
    case = _penalty(analyst)
    penalties.submit_penalty(case, actor=analyst)
    with pytest.raises(IllegalTransition, match="changes only once a reviewer returns it"):
        _edit_penalty(case, analyst)
    penalties.decide_penalty(case, approve=False, comments="Add §7.309(a)(8).", actor=reviewer)
    returned = approvals.latest_review(penalties.PENALTY, case.id)
    assert _edit_penalty(case, analyst)
    penalties.submit_penalty(case, actor=analyst)
    again = approvals.latest_review(penalties.PENALTY, case.id)
    assert returned.state_enum is ReviewState.RETURNED and again.id != returned.id
    assert again.content_hash != returned.content_hash
    assert again.content_hash == content_hash(penalties.penalty_content(case))
    penalties.decide_penalty(case, approve=True, comments="", actor=reviewer)
    with pytest.raises(IllegalTransition, match="approved; it changes only once"):
        _edit_penalty(case, analyst, proposed_amount=1)
    assert approvals.approval_holds(penalties.PENALTY, case.id, penalties.penalty_content(case))


def test_the_notices_page_offers_its_changes_to_its_drafter_alone(client, people):
    analyst, other, _ = people
    case = _penalty(analyst)
    page = f"/casework/penalties/{case.id}"
    log_in(client, other)
    text = client.get(page).text
    assert "Change the notice" not in text and "Withdraw the proposed penalty" not in text
    assert f"Only {analyst.full_name}, who drafted it, may change or withdraw" in text
    refused = client.post(f"{page}/edit", data={**violation_rows("a2"), "conduct": "x",
                                                "proposed_amount": "5"})  # fmt: skip
    assert refused.status_code == 303
    assert f"{analyst.full_name} wrote this draft" in client.get(refused.location).text
    assert penalties.get_penalty(case.id).proposed_amount == 100_000


def test_a_change_over_the_maximum_keeps_what_was_typed(client, people):
    analyst, _, _ = people
    case = _penalty(analyst)
    log_in(client, analyst)
    assert "Change the notice" in client.get(f"/casework/penalties/{case.id}").text
    form = client.get(f"/casework/penalties/{case.id}/edit").text
    assert "No annual certification in 2026." in form
    answer = client.post(
        f"/casework/penalties/{case.id}/edit",
        data={**violation_rows("a2"), "conduct": "Three years without a certification.",
              "proposed_amount": str(10**12)},
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="proposed_amount-error"' in answer.text and "exceeds the maximum" in answer.text
    assert "Three years without a certification." in answer.text
    done = client.post(
        f"/casework/penalties/{case.id}/edit",
        data={**violation_rows("a2"), "conduct": "Three years without a certification.",
              "proposed_amount": "120000"},
        follow_redirects=True,
    )  # fmt: skip
    assert f"Penalty notice {case.reference} changed." in done.text
    assert "Three years without a certification." in done.text


# --- The findings of an assessment --------------------------------------------------------------


def _assessment_with_finding(analyst):
    assessment = services.open_assessment(
        make_provider(), origin=rules.AssessmentOrigin.REFERRAL, scope="The written CIP.",
        origin_note="", actor=analyst, today=TODAY - timedelta(days=30),
    )  # fmt: skip
    finding = services.add_finding(
        assessment, requirement="d2", shortcoming="Documents are not checked.",
        recommendation_kind="f1i", recommendation="Check them against the issuer.", actor=analyst,
    )  # fmt: skip
    db.session.commit()
    return assessment, finding


def _edit(finding, actor, shortcoming="Passports are not checked against the issuer."):
    return drafts.edit_finding(
        finding, requirement="d2", shortcoming=shortcoming, recommendation_kind="f1i",
        recommendation="Check them against the issuer.", actor=actor,
    )  # fmt: skip


def test_the_author_changes_a_finding_and_the_report_goes_to_review_with_it(people):
    analyst, _, reviewer = people
    assessment, finding = _assessment_with_finding(analyst)
    assert finding.drafted_by_id == analyst.id
    assert _edit(finding, analyst)
    event = _event(drafts.FINDING_EDITED)
    assert json.loads(event.before_json)["draft"]["shortcoming"] == "Documents are not checked."
    assert json.loads(event.after_json)["draft"]["requirement"] == "§7.302(d)(2)"
    services.submit_assessment(assessment, resubmission_days=None, actor=analyst)
    with pytest.raises(IllegalTransition, match="change only once a reviewer returns the report"):
        _edit(finding, analyst, "Late.")
    services.decide_assessment(assessment, approve=False, comments="Name the document.",
                               actor=reviewer)  # fmt: skip
    assert _edit(finding, analyst, "Passports and utility bills are not checked.")


def test_another_analyst_neither_changes_nor_withdraws_a_finding(people):
    analyst, other, _ = people
    _, finding = _assessment_with_finding(analyst)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        _edit(finding, other)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        drafts.withdraw_finding(finding, reasons="Duplicate.", actor=other)


def test_a_withdrawn_finding_leaves_the_report_and_its_history_keeps_it(app, people):
    analyst, other, _ = people
    assessment, finding = _assessment_with_finding(analyst)
    page = f"/casework/assessments/{assessment.id}"
    withdrawal = f"{page}/findings/{finding.id}/withdrawal"
    clients = signed_in(app, analyst=analyst, other=other)
    client, theirs = clients["analyst"], clients["other"]
    text = theirs.get(page).text
    assert "Withdraw finding 1" not in text and f"findings/{finding.id}/edit" not in text
    assert (
        f"{analyst.full_name} wrote this draft"
        in theirs.get(
            theirs.post(withdrawal, data={f"withdraw-{finding.id}-reasons": "Duplicate."}).location
        ).text
    )
    assert "Withdraw finding 1" in client.get(page).text
    blank = client.post(withdrawal, data={f"withdraw-{finding.id}-reasons": " "})
    assert blank.status_code == 422
    assert f'id="withdraw-{finding.id}-reasons-error"' in blank.text
    done = client.post(
        withdrawal, data={f"withdraw-{finding.id}-reasons": "The documents are checked after all."},
        follow_redirects=True,
    )  # fmt: skip
    assert "Finding withdrawn" in done.text
    db.session.expire_all()
    assessment = services.get_assessment(assessment.id)
    assert assessment.findings == []
    [kept] = drafts.withdrawn_findings(assessment)
    assert kept.draft["shortcoming"] == "Documents are not checked."
    assert kept.reasons == "The documents are checked after all."
    assert "Withdrawn findings" in done.text and kept.sha256 in done.text


def test_a_finding_form_shown_again_keeps_what_was_typed(client, people):
    analyst, _, _ = people
    assessment, finding = _assessment_with_finding(analyst)
    log_in(client, analyst)
    url = f"/casework/assessments/{assessment.id}/findings/{finding.id}/edit"
    assert "Documents are not checked." in client.get(url).text
    answer = client.post(
        url,
        data={
            "requirement": "",
            "shortcoming": "Nobody checks passports.",
            "recommendation_kind": "f1i",
            "recommendation": "Check.",
        },
    )
    assert answer.status_code == 422 and 'id="requirement-error"' in answer.text
    assert "Nobody checks passports." in answer.text
    with pytest.raises(InvalidInput):
        drafts.edit_finding(finding, requirement="z9", shortcoming="x", recommendation_kind="f1i",
                            recommendation="y", actor=analyst)  # fmt: skip
