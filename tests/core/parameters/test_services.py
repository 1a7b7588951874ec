"""Rule parameters as the office sees them: seeded values, new values, the admin form."""

from datetime import date

import pytest

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.errors import InvalidInput
from core.parameters import services
from tests.factories import log_in, log_in_admin, make_admin, make_user


def test_seeded_values_are_in_force_on_their_dates(app):
    assert services.value_on("special_measure.earliest_compliance_days", date(2027, 1, 1)) == 180
    assert services.value_on("ai.large_model_operations", date(2026, 1, 1)) == 10**26
    assert services.value_on("ai.large_model_operations_biological", date(2026, 1, 1)) == 10**23
    assert services.value_on("penalty.ieepa_civil_cap", date(2024, 6, 1)) == 368_136
    assert services.value_on("penalty.ieepa_civil_cap", date(2025, 6, 1)) == 377_700


def test_a_new_value_applies_from_its_date_and_keeps_the_old_one_for_earlier_dates(app):
    admin = make_user(Role.ADMIN)
    services.add_value(
        "special_measure.earliest_compliance_days",
        value_text="150",
        effective_from=date(2027, 7, 1),
        citation="Final rule, §7.307(a)(6)",
        note=None,
        actor=admin,
    )
    db.session.commit()
    assert services.value_on("special_measure.earliest_compliance_days", date(2027, 6, 30)) == 180
    assert services.value_on("special_measure.earliest_compliance_days", date(2027, 7, 1)) == 150
    event = db.session.query(AuditEvent).filter_by(action="parameter.add_value").one()
    assert event.actor_id == admin.id
    assert '"value":"150"' in event.after_json


def test_a_second_value_on_the_same_date_is_refused_on_that_field(app):
    admin = make_user(Role.ADMIN)
    with pytest.raises(InvalidInput) as refused:
        services.add_value(
            "penalty.ieepa_civil_cap",
            value_text="400000",
            effective_from=date(2025, 1, 15),
            citation="x",
            note=None,
            actor=admin,
        )
    assert "effective_from" in refused.value.field_errors


def test_the_parameters_page_shows_each_value_in_force_with_its_source(client):
    log_in(client, make_user(Role.VIEWER))
    page = client.get("/parameters/")
    assert page.status_code == 200
    assert "10^26 operations" in page.text
    assert "$377,700" in page.text
    assert "90 FR 3687" in page.text
    assert "E.O. 14148" in page.text  # the revocation note on the large-model condition
    assert "180 days" in page.text


def test_an_administrator_records_a_new_value_through_the_form(client):
    log_in_admin(client, make_admin())
    response = client.post(
        "/parameters/assessment.resubmission_days",
        data={"value": "120", "effective_from": "2027-01-01", "citation": "Office order 27-1"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "New value recorded" in response.text
    assert "120 days" in response.text
    assert services.value_on("assessment.resubmission_days", date(2027, 1, 2)) == 120


def test_a_value_that_is_not_a_number_is_refused_on_its_field_and_kept(client):
    log_in_admin(client, make_admin())
    response = client.post(
        "/parameters/assessment.resubmission_days",
        data={"value": "ninety", "effective_from": "2027-02-01", "citation": "Office order"},
    )
    assert response.status_code == 422
    assert "Enter a whole number of days" in response.text
    assert 'value="ninety"' in response.text
    assert 'value="Office order"' in response.text


def test_an_impossible_date_is_refused_on_its_field(client):
    log_in_admin(client, make_admin())
    response = client.post(
        "/parameters/assessment.resubmission_days",
        data={"value": "60", "effective_from": "2027-02-30", "citation": "Office order"},
    )
    assert response.status_code == 422
    assert "Enter the date the value takes effect, as YYYY-MM-DD." in response.text
    assert 'value="60"' in response.text


def test_an_analyst_may_read_but_not_change_parameters(client):
    log_in(client, make_user(Role.ANALYST))
    assert client.get("/parameters/penalty.ieepa_civil_cap").status_code == 200
    refused = client.post(
        "/parameters/penalty.ieepa_civil_cap",
        data={"value": "1", "effective_from": "2027-01-01", "citation": "none"},
    )
    assert refused.status_code == 403
    assert services.value_on("penalty.ieepa_civil_cap", date(2027, 6, 1)) == 377_700
