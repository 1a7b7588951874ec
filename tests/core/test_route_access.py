"""Every registered route, for anonymous visitors and for each role (DESIGN.md §6): each view
declares who may use it; the others are refused; nobody gets a server error."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import Rule

from core.access import PROVIDER_SYSTEM, PUBLIC
from core.auth.rules import Role
from tests.factories import (
    log_in,
    log_in_admin,
    make_admin,
    make_user,
    one_of_each,
)

ROLES = list(Role)


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


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
    values = one_of_each()
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
