"""Consultations as liaisons and analysts use them (§7.306(e)(2), §7.307(c))."""

import contextlib
import io
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from core import signals
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.consultations import services
from core.consultations.models import Consultation
from core.consultations.rules import Position, Purpose
from core.db import db
from core.errors import DomainError
from tests.factories import log_in, make_user

SUBJECT = ("exemption_request", 7)


@pytest.fixture
def consultations(app):
    analyst = make_user(Role.ANALYST)
    created = services.request_consultations(
        Purpose.EXEMPTION,
        SUBJECT,
        label="Exemption request of Northwind Cloud Services, Inc.",
        summary="Northwind asks to be exempted from §§7.302, 7.304 and 7.305 under §7.306.",
        requested_on=date(2027, 1, 4),
        respond_by=date(2027, 2, 3),
        actor=analyst,
        optional_agencies=("State",),
    )
    db.session.commit()
    return {c.agency: c for c in created}


def test_every_required_agency_is_asked_and_optional_ones_added(consultations):
    assert set(consultations) == {"DoD", "DOJ", "DHS", "DNI", "State"}
    assert not consultations["State"].required
    assert services.missing_positions(Purpose.EXEMPTION, *SUBJECT) == ["DoD", "DOJ", "DHS", "DNI"]


def test_a_liaison_sees_and_answers_only_their_agency(client, consultations):
    liaison = make_user(Role.LIAISON, agency="DHS")
    log_in(client, liaison)
    dashboard = client.get("/").text
    assert "Exemption request of Northwind Cloud Services, Inc." in dashboard
    own = consultations["DHS"]
    assert f'href="/consultations/{own.id}"' in dashboard
    assert sum(f'href="/consultations/{c.id}"' in dashboard for c in consultations.values()) == 1
    response = client.post(
        f"/consultations/{own.id}/position",
        data={"position": "concur", "comments": "No objection."},
        follow_redirects=True,
    )
    assert "Position recorded for DHS." in response.text
    assert own.position == "concur"
    assert own.recorded_by_id == liaison.id
    other = consultations["DoD"]
    assert client.get(f"/consultations/{other.id}").status_code == 404
    assert (
        client.post(f"/consultations/{other.id}/position", data={"position": "concur"}).status_code
        == 404
    )
    assert other.position is None


def test_a_conditional_position_needs_its_conditions(client, consultations):
    log_in(client, make_user(Role.LIAISON, agency="DNI"))
    response = client.post(
        f"/consultations/{consultations['DNI'].id}/position",
        data={"position": "concur with conditions", "comments": ""},
    )
    assert response.status_code == 422
    assert "State the conditions or the reasons" in response.text
    assert consultations["DNI"].position is None


def test_an_analyst_records_a_position_received_by_other_means(client, consultations):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    client.post(
        f"/consultations/{consultations['DOJ'].id}/position",
        data={"position": "no response", "comments": "No answer by the response date."},
    )
    assert consultations["DOJ"].position == "no response"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation.position")
    ).one()
    assert event.actor_id == analyst.id


def test_a_liaison_never_gets_a_link_into_the_case_files(client, consultations):
    log_in(client, make_user(Role.LIAISON, agency="DoD"))
    page = client.get(f"/consultations/{consultations['DoD'].id}").text
    assert "Northwind asks to be exempted" in page
    assert "/intake/" not in page


def test_a_viewer_may_read_but_not_record(client, consultations):
    log_in(client, make_user(Role.VIEWER))
    assert client.get(f"/consultations/{consultations['DoD'].id}").status_code == 200
    assert (
        client.post(f"/consultations/{consultations['DoD'].id}/position", data={}).status_code
        == 403
    )


def test_a_response_date_before_the_request_is_refused(app):
    with pytest.raises(DomainError, match="cannot be before the request"):
        services.request_consultations(
            Purpose.SPECIAL_MEASURE,
            ("determination", 1),
            label="x",
            summary="x",
            requested_on=date(2027, 1, 4),
            respond_by=date(2027, 1, 3),
            actor=make_user(Role.ANALYST),
        )


@contextlib.contextmanager
def _locked(app: Flask, reason: str) -> Iterator[None]:
    """The owning module answers that case 7 was decided."""

    def lock(_app: Flask, *, subject_type: str, subject_id: str) -> str | None:
        return reason if (subject_type, subject_id) == (SUBJECT[0], "7") else None

    with signals.position_lock_asked.connected_to(lock, sender=app):
        yield


def test_a_position_is_final_once_the_owning_module_says_its_decision_is_made(
    app, client, consultations
):
    with _locked(app, "Request 7 was decided on 2027-03-01."):
        dhs = consultations["DHS"]
        log_in(client, make_user(Role.LIAISON, agency="DHS"))

        page = client.get(f"/consultations/{dhs.id}").text
        assert "Request 7 was decided on 2027-03-01." in page
        assert "Record position" not in page
        refused = client.post(
            f"/consultations/{dhs.id}/position", data={"position": "concur"}, follow_redirects=True
        )
        assert refused.request.path == f"/consultations/{dhs.id}"
        assert 'class="usa-alert usa-alert--error' in refused.text
        assert "Request 7 was decided on 2027-03-01." in refused.text
        assert db.session.get(Consultation, dhs.id).position is None
        with pytest.raises(DomainError, match="was decided"):
            services.record_position(
                dhs, position=Position.CONCUR, comments="", actor=make_user(Role.ANALYST)
            )


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_liaison_attaches_the_agencys_memo_and_staff_read_it(client, consultations):
    dod = consultations["DoD"]
    liaison = make_user(Role.LIAISON, agency="DoD")
    log_in(client, liaison)
    refused = client.post(
        f"/consultations/{dod.id}/attachments",
        data={"document": (io.BytesIO(b"MZ\x90\x00 not a document"), "memo.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "Upload the agency&#39;s document as a PDF or a Word (.docx) document." in refused.text
    done = client.post(
        f"/consultations/{dod.id}/attachments",
        data={"document": (io.BytesIO(PDF), "DoD memo 2027-01.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Document attached." in done.text
    assert "DoD memo 2027-01.pdf" in done.text
    (document,) = db.session.get(Consultation, dod.id).attachments
    url = f"/consultations/{dod.id}/attachments/{document.id}"
    other_agency, viewer = client.application.test_client(), client.application.test_client()
    log_in(other_agency, make_user(Role.LIAISON, agency="DHS"))
    assert other_agency.get(url).status_code == 404
    log_in(viewer, make_user(Role.VIEWER))
    download = viewer.get(url)
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "consultation.attach" in actions


def test_a_liaisons_list_holds_only_open_consultations(app, client, consultations):
    with _locked(app, "Decided."):
        log_in(client, make_user(Role.LIAISON, agency="DoD"))
        listing = client.get("/consultations/").text
        assert "Exemption request of Northwind Cloud Services" not in listing
        assert client.get(f"/consultations/{consultations['DoD'].id}").status_code == 200
