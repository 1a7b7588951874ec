"""A drafted finding (§7.306(e)(3)) is its author's to change or withdraw before it goes to
review, and again once the reviewer returns it; nobody else's (docs/architecture.md §5)."""

import json

import pytest
from sqlalchemy import select

from core.approvals import services as approvals
from core.approvals.rules import content_hash
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import IllegalTransition
from exemptions import services
from exemptions.rules import CaseState
from tests.factories import FINDING_REASONS, file_exemption_request, make_user, prepare_finding
from tests.refusals import signed_in

TODAY = office_today()
DENY = {key: ("not satisfied", f"{text} Not shown.") for key, text in FINDING_REASONS.items()}


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.ANALYST), make_user(Role.REVIEWER)


def _drafted(analyst):
    case = prepare_finding(file_exemption_request(), analyst=analyst, today=TODAY)
    db.session.commit()
    return case


def test_a_returned_finding_is_changed_by_its_author_and_resubmitted_with_a_new_hash(people):
    analyst, _, reviewer = people
    case = _drafted(analyst)
    first = services.submit_finding(case, actor=analyst)
    services.decide_finding(case, approve=False, comments="Weigh the resellers.", actor=reviewer,
                            today=TODAY)  # fmt: skip
    assert case.state_enum is CaseState.FINDING_DRAFTED
    services.draft_finding(case, assessments=DENY, decision="deny", actor=analyst)
    db.session.commit()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == services.FINDING_EDITED)
    ).one()
    assert json.loads(event.before_json)["draft"]["decision"] == "grant"
    assert json.loads(event.after_json)["sha256"] == content_hash(
        {"finding": case.finding, "decision": "deny"}
    )
    second = services.submit_finding(case, actor=analyst)
    assert second.content_hash != first.content_hash
    assert second.content_hash == content_hash(services.finding_content(case))


def test_another_analyst_neither_changes_nor_withdraws_the_finding(people):
    analyst, other, _ = people
    case = _drafted(analyst)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        services.draft_finding(case, assessments=DENY, decision="deny", actor=other)
    with pytest.raises(IllegalTransition, match=f"{analyst.full_name} wrote this draft"):
        services.withdraw_finding(case, reasons="Premature.", actor=other)
    assert (case.decision, case.finding_drafted_by_id) == ("grant", analyst.id)


def test_a_finding_in_review_is_not_withdrawn(people):
    analyst, _, _ = people
    case = _drafted(analyst)
    services.submit_finding(case, actor=analyst)
    with pytest.raises(IllegalTransition, match="once a reviewer returns it"):
        services.withdraw_finding(case, reasons="Premature.", actor=analyst)


def test_the_author_withdraws_the_finding_and_the_request_goes_back_to_its_consultation(
    app, people
):
    analyst, other, _ = people
    case = _drafted(analyst)
    page = f"/exemptions/requests/{case.id}"
    clients = signed_in(app, analyst=analyst, other=other)
    theirs = clients["other"].get(page).text
    assert "Save the finding" not in theirs and "Withdraw the drafted finding" not in theirs
    assert f"Only {analyst.full_name}, who drafted it, may change or withdraw" in theirs
    mine = clients["analyst"]
    assert "Withdraw the drafted finding" in mine.get(page).text
    blank = mine.post(f"{page}/finding/withdrawal", data={"finding_withdrawal-reasons": ""})
    assert blank.status_code == 422 and 'id="finding_withdrawal-reasons-error"' in blank.text
    done = mine.post(
        f"{page}/finding/withdrawal",
        data={"finding_withdrawal-reasons": "New evidence on the resellers is due."},
        follow_redirects=True,
    )
    assert "Finding withdrawn" in done.text and "Withdrawn findings" in done.text
    db.session.expire_all()
    case = services.get_case(case.id)
    assert case.state_enum is CaseState.IN_CONSULTATION
    assert (case.finding_json, case.decision, case.finding_drafted_by_id) == (None, None, None)
    [kept] = services.withdrawn_findings(case)
    assert kept.draft["decision"] == "grant" and kept.sha256 in done.text
    assert kept.draft["size"].startswith("satisfied: Scaled to 18,250 customers")
    # Anyone may draft the next one.
    services.draft_finding(case, assessments=DENY, decision="deny", actor=other)
    assert approvals.latest_review(services.FINDING, case.id) is None
