"""Every registered route, for anonymous visitors and for each role (DESIGN.md §6): each view
declares who may use it; the others are refused; nobody gets a server error."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import Rule

from casework import services as casework
from casework.rules import AssessmentOrigin, EvidenceKind
from core.access import PROVIDER_SYSTEM, PUBLIC
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines import services as deadlines
from intake.models import ForeignReseller
from special_measures import services as measure_services
from tests.factories import (
    file_exemption_request,
    log_in,
    log_in_admin,
    make_admin,
    make_measure,
    make_provider,
    make_user,
)

ROLES = list(Role)


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


def _sample_values(app: Flask) -> dict[str, object]:
    """Ids of records that exist, so that allowed roles reach the page itself, not a 404."""
    provider = make_provider()
    deadline = deadlines.open_deadline(
        "cip.copy_on_request",
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=office_today(),
        actor=None,
    )
    case = file_exemption_request(provider)
    db.session.commit()
    measure = make_measure()
    action = measure_services.draft_action(
        measure, kind="revocation", reasons="No longer needed.", new_last_day_on=None,
        effective_on=office_today(), actor=measure.drafted_by, today=office_today(),
    )  # fmt: skip
    reseller = ForeignReseller(provider_id=provider.id, name="Neva Cloud", jurisdiction="RU")
    db.session.add(reseller)
    run = measure_services.screen_provider_resellers(
        provider, relevant_on=office_today(), actor=None
    )
    db.session.commit()
    oversight = casework.open_oversight(
        reseller,
        evidence_kind=EvidenceKind.NO_CIP, evidence="No written CIP.", received_on=office_today(),
        reported_to_authorities="", actor=make_user(Role.ANALYST), today=office_today(),
    )  # fmt: skip
    penalty = casework.draft_penalty(
        provider, violations=["a2"], conduct="Never certified.", transaction_value=None,
        proposed_amount=10_000, actor=make_user(Role.ANALYST), today=office_today(),
    )  # fmt: skip
    assessment = casework.open_assessment(
        provider, origin=AssessmentOrigin.RISK_QUEUE, scope="The written CIP.", origin_note="",
        actor=make_user(Role.ANALYST), today=office_today(),
    )  # fmt: skip
    db.session.commit()
    return {
        "assessment_id": assessment.id,
        "penalty_id": penalty.id,
        "oversight_id": oversight.id,
        "reseller_id": reseller.id,
        "run_id": run.id,
        "hit_id": run.hits[0].id,
        "notice_id": measure.notices[0].id,
        "action_id": action.id,
        "provider_id": provider.id,
        "case_id": case.id,
        "deadline_id": deadline.id,
        "key": "penalty.ieepa_civil_cap",
        "kind": "cip_certification",
    }


def _url(rule: Rule, values: dict[str, object]) -> str:
    arguments = {
        name: values.get(name, 999_999 if "id" in name else "x") for name in rule.arguments
    }
    return rule.build(arguments)[1]


def _request(client, rule: Rule, url: str):
    if "GET" in rule.methods:
        return client.get(url)
    return client.post(url, data={})


def test_every_view_declares_its_roles(app):
    undeclared = [
        rule.endpoint
        for rule in _routes(app)
        if getattr(app.view_functions[rule.endpoint], "allowed_roles", None) is None
    ]
    assert undeclared == []


def _signed_in_client(app: Flask, role: Role | None):
    client = app.test_client()
    if role is Role.ADMIN:
        log_in_admin(client, make_admin())
    elif role is not None:
        log_in(client, make_user(role, agency="DoD" if role is Role.LIAISON else None))
    return client


@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *(r.value for r in ROLES)])
def test_each_route_answers_each_role_as_declared(app, role):
    values = _sample_values(app)
    client = _signed_in_client(app, role)
    wrong = []
    for rule in _routes(app):
        if rule.endpoint == "auth.logout":
            continue  # signing out would end the walk for this role; its access is declared
        allowed = app.view_functions[rule.endpoint].allowed_roles
        response = _request(client, rule, _url(rule, values))
        status = response.status_code
        if status >= 500:
            wrong.append(f"{rule.rule}: server error {status}")
        elif allowed in (PUBLIC, PROVIDER_SYSTEM):
            continue
        elif role is None:
            if status != 302 or "/login" not in response.headers.get("Location", ""):
                wrong.append(f"{rule.rule}: anonymous got {status}, not a redirect to log in")
        elif role in allowed and status in (401, 403):
            wrong.append(f"{rule.rule}: {role.value} refused ({status}) but allowed")
        elif role not in allowed and status != 403:
            wrong.append(f"{rule.rule}: {role.value} got {status} but is not allowed")
    assert wrong == []


def test_provider_system_routes_refuse_requests_without_a_token(client):
    assert client.post("/api/v1/filings", json={}).status_code == 401
    assert client.get("/api/v1/filings/OICTS-2026-000001").status_code == 401


def test_a_liaison_sees_only_their_dashboard(app):
    client = _signed_in_client(app, Role.LIAISON)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "DoD consultations" in dashboard.text
    for path in (
        "/deadlines/",
        "/intake/providers",
        "/parameters/",
        "/admin/audit/",
        "/exemptions/requests",
    ):
        assert client.get(path).status_code == 403
