"""A case's owner: set on opening, reassigned and taken on the case's page, audited, its
deadlines following it unless assigned by hand; "My work" on the dashboard and the owner filter
of the case lists (both databases)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from casework import services as casework
from casework.rules import AssessmentOrigin
from core import clocks
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.notifications.models import Notification
from core.ownership import registry
from core.ownership import services as ownership
from exemptions import services as exemptions
from tests.factories import file_exemption_request, log_in, make_provider, make_user


def _open(provider, analyst):
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=analyst, today=clocks.office_today(),
    )  # fmt: skip
    db.session.commit()
    return assessment


def _clock(assessment, actor):
    return deadlines.open_deadline(
        "assessment.resubmission", subject=("assessment", assessment.id),
        subject_label=f"{assessment.reference}: resubmits", start_on=clocks.office_today(),
        actor=actor, days=90,
    )  # fmt: skip


def _owner_events(subject_id):
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "case.owner", AuditEvent.subject_id == str(subject_id))
            .order_by(AuditEvent.id)
        )
    )


def test_the_analyst_who_opens_a_case_owns_it_and_its_deadlines(app):
    analyst = make_user(Role.ANALYST)
    assessment = _open(make_provider(), analyst)
    assert assessment.owner == analyst
    [event] = _owner_events(assessment.id)
    assert (
        json.loads(event.before_json)["owner"] is None
        and json.loads(event.after_json)["owner"] == analyst.full_name
    )
    deadline = _clock(assessment, analyst)
    assert deadline.assignee == analyst and not deadline.assigned_by_hand


def test_an_exemption_case_has_no_owner_until_an_analyst_works_it(app):
    analyst = make_user(Role.ANALYST)
    case = file_exemption_request()
    assert case.owner is None
    exemptions.start_review(case, actor=analyst)
    assert case.owner is None  # starting the review is not working it yet
    today = clocks.office_today()
    exemptions.request_information(
        case, questions="Send the audits.", requested_on=today,
        respond_by=today + timedelta(days=14), actor=analyst,
    )  # fmt: skip
    assert case.owner == analyst


def test_reassigning_moves_the_deadlines_not_assigned_by_hand_and_is_audited(app, client):
    owner, successor, watcher = (make_user(Role.ANALYST) for _ in range(3))
    reviewer = make_user(Role.REVIEWER)
    assessment = _open(make_provider(), owner)
    following, by_hand = _clock(assessment, owner), _clock(assessment, owner)
    deadlines.assign_deadline(by_hand, watcher, actor=owner)
    db.session.commit()

    log_in(client, reviewer)
    page = client.get(f"/casework/assessments/{assessment.id}")
    assert 'data-testid="case-owner">' + owner.full_name in page.text
    answer = client.post(f"/owners/assessment/{assessment.id}", data={"owner": str(successor.id)})
    assert answer.status_code == 303
    db.session.expire_all()
    assert assessment.owner == successor
    assert following.assignee == successor and by_hand.assignee == watcher
    event = _owner_events(assessment.id)[-1]
    assert json.loads(event.before_json)["owner"] == owner.full_name
    assert json.loads(event.after_json)["owner"] == successor.full_name
    assert event.actor_id == reviewer.id
    shown = client.get(answer.headers["Location"]).text
    assert f"is now owned by {successor.full_name}" in shown


def test_an_analyst_takes_a_case_and_a_viewer_or_liaison_is_refused(app, client):
    owner, taker = make_user(Role.ANALYST), make_user(Role.ANALYST)
    assessment = _open(make_provider(), owner)
    for role in (Role.VIEWER, Role.LIAISON):
        other = app.test_client()
        log_in(other, make_user(role))
        assert other.post(f"/owners/assessment/{assessment.id}", data={}).status_code == 403
        assert other.post(f"/owners/assessment/{assessment.id}/take").status_code == 403
    log_in(client, taker)
    assert "Take this case" in client.get(f"/casework/assessments/{assessment.id}").text
    assert client.post(f"/owners/assessment/{assessment.id}/take").status_code == 303
    db.session.expire_all()
    assert assessment.owner == taker


def test_a_bad_owner_is_named_at_its_field_and_nothing_changes(app, client):
    owner = make_user(Role.ANALYST)
    reviewer = make_user(Role.REVIEWER)
    assessment = _open(make_provider(), owner)
    log_in(client, owner)
    for bad in ("999999", str(reviewer.id), "somebody"):
        answer = client.post(f"/owners/assessment/{assessment.id}", data={"owner": bad})
        assert answer.status_code == 422
        assert "Choose an active analyst, or nobody." in answer.text
        assert 'aria-invalid="true"' in answer.text
    answer = client.post(f"/owners/assessment/{assessment.id}", data={"team": "12345"})
    assert answer.status_code == 422 and "Choose one of the office" in answer.text
    assert client.post(f"/owners/nothing/{assessment.id}", data={}).status_code == 404
    db.session.expire_all()
    assert assessment.owner == owner


def test_my_work_counts_my_open_cases_by_state_and_links_to_the_list_filtered(app, client):
    mine, theirs = make_user(Role.ANALYST), make_user(Role.ANALYST)
    provider = make_provider()
    first, second = _open(provider, mine), _open(provider, mine)
    other = _open(provider, theirs)
    log_in(client, mine)
    dashboard = client.get("/").text
    assert 'data-testid="my-work"' in dashboard
    assert 'data-testid="my-assessment-open">2<' in dashboard
    listed = client.get("/casework/assessments?owner=me").text
    assert first.reference in listed and second.reference in listed
    assert other.reference not in listed
    nobody = client.get("/casework/assessments?owner=none").text
    assert first.reference not in nobody and other.reference not in nobody
    theirs_only = client.get(f"/casework/assessments?owner={theirs.id}").text
    assert other.reference in theirs_only and first.reference not in theirs_only
    unknown = client.get("/casework/assessments?owner=someone")
    assert unknown.status_code == 200 and "Choose one of the owners listed." in unknown.text
    assert other.reference in unknown.text  # an owner not offered filters nothing


def test_every_case_list_filters_by_owner(app, client):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    for path in (
        "/casework/assessments",
        "/casework/penalties",
        "/casework/oversight",
        "/exemptions/requests",
        "/special-measures/cases",
    ):
        page = client.get(f"{path}?owner=me")
        assert page.status_code == 200, path
        assert 'data-testid="owner-filter"' in page.text, path


def test_teams_are_added_renamed_and_retired_by_an_administrator(app):
    from tests.factories import log_in_admin, make_admin

    admin = make_admin()
    client = app.test_client()
    log_in_admin(client, admin)
    assert client.post("/admin/teams", data={"name": "Assessments"}).status_code == 303
    again = client.post("/admin/teams", data={"name": "assessments"})
    assert again.status_code == 422 and "There is a team named" in again.text
    from core.ownership.models import Team

    team = db.session.scalars(select(Team)).one()
    renamed = client.post(f"/admin/teams/{team.id}/name", data={f"team-{team.id}-name": "Audits"})
    assert renamed.status_code == 303
    assert client.post(f"/admin/teams/{team.id}/retire").status_code == 303
    db.session.expire_all()
    assert (team.name, team.active) == ("Audits", False)


def _notices_of(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_the_analyst_given_a_case_is_told_and_nobody_is_told_of_what_they_did(app):
    opener, successor = make_user(Role.ANALYST), make_user(Role.ANALYST)
    reviewer = make_user(Role.REVIEWER)
    assessment = _open(make_provider("Harborview Cloud LLC"), opener)
    assert _notices_of(opener) == []  # opening it made it theirs: nothing to tell
    ownership.reassign(registry.kind("assessment"), assessment, owner_id=successor.id,
                       team_id=None, actor=reviewer)  # fmt: skip
    db.session.commit()
    [notice] = _notices_of(successor)
    assert notice.kind == "case_assigned"
    assert assessment.reference in notice.title and "Harborview Cloud LLC" in notice.title
    assert notice.link == f"/casework/assessments/{assessment.id}"
    ownership.take(registry.kind("assessment"), assessment, actor=opener)
    db.session.commit()
    assert _notices_of(opener) == []
