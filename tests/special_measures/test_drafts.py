"""A drafted determination (§7.307(a)(3)–(4)) and the evaluation it rests on are its author's to
change or withdraw before review, and again once the reviewer returns it; nobody else's
(docs/architecture.md §5)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.approvals import services as approvals
from core.approvals.rules import ReviewState, content_hash
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.errors import IllegalTransition
from special_measures import drafts, rules, services
from special_measures.rules import CaseState, MeasureKind
from tests.factories import make_measure, make_user
from tests.refusals import signed_in

TODAY = office_today()


def _conditions(case):
    return services.DeterminationDraft(
        evaluation_summary="Forty-two incidents in 2026.", measure_kind=MeasureKind.CONDITIONS,
        conditions="Verify identity in person.", consistency="Consistent with E.O. 13984.",
        compliance_on=TODAY + timedelta(days=240),
        selection={f.code: ("Weighed again.", "") for f in rules.SELECTION_FACTORS},
    )  # fmt: skip


@pytest.fixture
def people(app):
    return make_user(Role.ANALYST), make_user(Role.ANALYST), make_user(Role.REVIEWER)


def test_the_author_changes_the_draft_and_the_change_is_audited_with_its_hash(people):
    analyst, _, _ = people
    case = make_measure(TODAY, stop_at="drafted", analyst=analyst)
    before = services.determination_content(case)
    services.save_determination(case, _conditions(case), actor=analyst, today=TODAY)
    db.session.commit()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == services.DRAFT_EDITED)
    ).one()
    assert json.loads(event.before_json)["sha256"] == content_hash(before)
    assert json.loads(event.after_json)["sha256"] == content_hash(
        services.determination_content(case)
    )
    assert case.measure_kind == MeasureKind.CONDITIONS.value


def test_another_analyst_changes_neither_the_draft_nor_its_evaluation(people):
    analyst, other, _ = people
    case = make_measure(TODAY, stop_at="drafted", analyst=analyst)
    refusal = f"{analyst.full_name} wrote this draft"
    with pytest.raises(IllegalTransition, match=refusal):
        services.save_determination(case, _conditions(case), actor=other, today=TODAY)
    with pytest.raises(IllegalTransition, match=refusal):
        services.save_evaluation(case, {"a3i": ("Other reasons.", "")}, actor=other)
    with pytest.raises(IllegalTransition, match=refusal):
        drafts.withdraw_determination(case, reasons="Premature.", actor=other)


def test_in_review_the_draft_waits_for_the_return_then_goes_back_with_a_new_hash(people):
    analyst, _, reviewer = people
    case = make_measure(TODAY, stop_at="in review", analyst=analyst, reviewer=reviewer)
    with pytest.raises(IllegalTransition, match="only after the reviewer returns it"):
        services.save_determination(case, _conditions(case), actor=analyst, today=TODAY)
    with pytest.raises(IllegalTransition, match="only after the reviewer returns it"):
        drafts.withdraw_determination(case, reasons="Premature.", actor=analyst)
    services.decide_determination(case, approve=False, comments="Weigh the burden.",
                                  actor=reviewer)  # fmt: skip
    returned = approvals.latest_review(services.CASE, case.id)
    services.save_determination(case, _conditions(case), actor=analyst, today=TODAY)
    again = services.submit_determination(case, actor=analyst)
    assert returned.state_enum is ReviewState.RETURNED
    assert again.content_hash != returned.content_hash


def test_the_author_withdraws_the_draft_and_the_case_keeps_its_history(app, people):
    analyst, other, _ = people
    case = make_measure(TODAY, stop_at="drafted", analyst=analyst)
    page = f"/special-measures/cases/{case.id}"
    clients = signed_in(app, analyst=analyst, other=other)
    theirs = clients["other"].get(page).text
    assert "Change the draft" not in theirs and "Withdraw the drafted determination" not in theirs
    assert f"Only {analyst.full_name}, who drafted it, may change or withdraw" in theirs
    refused = clients["other"].get(f"{page}/determination")
    assert refused.status_code == 303
    mine = clients["analyst"]
    assert "Withdraw the drafted determination" in mine.get(page).text
    blank = mine.post(f"{page}/determination/withdrawal", data={"draft_withdrawal-reasons": " "})
    assert blank.status_code == 422 and 'id="draft_withdrawal-reasons-error"' in blank.text
    done = mine.post(
        f"{page}/determination/withdrawal",
        data={"draft_withdrawal-reasons": "The agencies asked for conditions instead."},
        follow_redirects=True,
    )
    assert "Draft withdrawn" in done.text and "Withdrawn drafts" in done.text
    db.session.expire_all()
    case = services.get_case(case.id)
    assert case.state_enum is CaseState.CONSULTATION
    assert (case.measure_kind, case.drafted_by_id, case.compliance_on) == (None, None, None)
    assert set(case.reasons) == {f.code for f in rules.evaluation_factors(case.kind)}
    [kept] = drafts.withdrawn_determinations(case)
    assert kept.draft["measure"] == MeasureKind.PROHIBITION.value and kept.sha256 in done.text
    # The case is drafted again, by anyone.
    services.save_determination(case, _conditions(case), actor=other, today=TODAY)
    assert case.state_enum is CaseState.DRAFTED
