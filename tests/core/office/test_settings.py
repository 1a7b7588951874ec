"""Office settings as an administrator keeps them, and the letters that print them."""

import json

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from core.office import services
from demo import OFFICE_SETTINGS
from tests.factories import log_in, log_in_admin, make_admin, make_measure, make_user
from tests.pdftext import pdf_pages, searchable


def test_an_administrator_names_the_signer_and_the_next_letter_is_signed_by_them(client):
    case = make_measure()
    admin = make_admin()
    log_in_admin(client, admin)
    page = client.get("/admin/office-settings/")
    assert page.status_code == 200
    assert "Name of the official who signs the letters to the congressional committees" in (
        page.text
    )
    saved = client.post(
        "/admin/office-settings/",
        data={**OFFICE_SETTINGS, "congress_signer_name": "Ruth Delacroix-Nakamura"},
        follow_redirects=True,
    )
    assert "Office settings saved." in saved.text
    assert 'value="Ruth Delacroix-Nakamura"' in saved.text

    letter = client.get(f"/special-measures/notices/{case.notices[0].id}/letter.pdf").data
    text = searchable(" ".join(pdf_pages(letter)))
    assert "Sincerely, Ruth Delacroix-Nakamura Under Secretary of Commerce for Industry" in text
    assert "DRAFT" not in text

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "office.settings")
    ).one()
    assert event.actor_id == admin.id
    assert json.loads(event.before_json) == {}
    assert json.loads(event.after_json)["congress_signer_name"] == "Ruth Delacroix-Nakamura"


def test_clearing_a_setting_removes_it_and_the_letter_is_a_draft_again(client):
    case = make_measure()
    services.save(OFFICE_SETTINGS, actor=None)
    db.session.commit()
    log_in_admin(client, make_admin())
    client.post("/admin/office-settings/", data={**OFFICE_SETTINGS, "congress_signer_title": ""})
    assert "congress_signer_title" not in services.values()
    assert services.documents().congress_signer is None
    log_in(client, make_user(Role.ANALYST))
    letter = client.get(f"/special-measures/notices/{case.notices[0].id}/letter.pdf").data
    assert all("DRAFT: no signing official is set" in page for page in pdf_pages(letter))


def test_a_value_too_long_is_refused_next_to_its_field_and_nothing_is_saved(client):
    log_in_admin(client, make_admin())
    refused = client.post(
        "/admin/office-settings/",
        data={**OFFICE_SETTINGS, "cui_poc": "x" * 301},
    )
    assert refused.status_code == 422
    assert 'id="cui_poc-error"' in refused.text and "At most 300 characters." in refused.text
    assert 'value="Margaret A. Ellison"' in refused.text  # what was typed is kept
    assert services.values() == {}


def test_saving_the_same_values_again_records_no_event(app):
    services.save(OFFICE_SETTINGS, actor=None)
    services.save(OFFICE_SETTINGS, actor=None)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "office.settings"))
    assert len(list(events)) == 1


def test_only_administrators_see_the_settings(client):
    for role in (Role.ANALYST, Role.REVIEWER, Role.VIEWER):
        log_in(client, make_user(role))
        assert client.get("/admin/office-settings/").status_code == 403
        assert client.post("/admin/office-settings/", data=OFFICE_SETTINGS).status_code == 403
    assert services.values() == {}
