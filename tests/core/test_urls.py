"""Numbers no record can have, typed into an address or a form: "Page not found" or a message
beside the field, never a server error, on SQLite and PostgreSQL alike."""

import re

import pytest
from flask import Flask

from core.urls import MAX_ID
from tests.factories import log_in_admin, make_admin, make_provider

HUGE = "99999999999999999999"


@pytest.fixture
def admin_client(client):
    log_in_admin(client, make_admin())
    return client


@pytest.mark.parametrize(
    "path",
    [
        f"/intake/providers/{HUGE}",
        f"/deadlines/{HUGE}",
        f"/consultations/{HUGE}",
        f"/intake/providers/{MAX_ID + 1}",
        f"/intake/providers/{MAX_ID}",  # the largest id a record could have: looked up, not found
    ],
)
def test_an_id_no_record_can_have_is_page_not_found(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


def _with_huge_numbers(rule: str) -> str:
    path = re.sub(r"<int(\([^)]*\))?:[^>]+>", HUGE, rule)
    return re.sub(r"<[^>]+>", "x", path)


def test_every_route_taking_a_number_answers_page_not_found_for_a_huge_one(
    app: Flask, admin_client
):
    rules = [rule for rule in app.url_map.iter_rules() if "<int" in rule.rule]
    assert len(rules) > 50
    for rule in rules:
        path = _with_huge_numbers(rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = admin_client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path}"


@pytest.mark.parametrize("number", [HUGE, str(2**63), "-3", "two", ""])
def test_a_page_number_past_any_list_shows_a_page_not_an_error(admin_client, number):
    provider = make_provider()
    for path in ("/admin/audit/", f"/intake/providers/{provider.id}/resellers"):
        response = admin_client.get(f"{path}?page={number}")
        assert response.status_code == 200, path


def test_an_api_token_for_a_provider_no_record_can_be_gets_a_message_by_the_field(
    admin_client,
):
    response = admin_client.post("/intake/api-tokens", data={"provider": HUGE, "label": "Billing"})
    assert response.status_code == 422
    assert "Choose the provider the token is for." in response.text
