"""Every registered route, for anonymous visitors and for each role (docs/architecture.md §8):
each view declares who may use it; the others are refused; nobody gets a server error."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from core.access import PROVIDER_SYSTEM, PUBLIC
from core.auth import links
from core.auth import services as accounts
from core.auth.rules import LinkPurpose, Role
from core.clocks import office_today
from core.consultations import services as consultations
from core.db import db
from core.deadlines import printed
from core.deadlines.services import BoardFilter
from core.jobs.services import send_committed
from core.notifications.services import notify, queue_mail
from core.ownership import services as ownership
from exemptions import services as exemptions
from intake import services as intake
from intake.ai import ip_logs
from intake.change_notices import services as change_notices
from intake.correspondence import requests as sent_requests
from intake.correspondence import services as channel
from intake.models import Accelerator, Provider, ReportIdentifier, ResellerImport
from intake.resellers import services as reseller_services
from intake.resellers.rules import RESELLER_EXAMPLE, RESELLER_HEADER
from special_measures.models import MeasureAction
from tests.factories import (
    file_exemption_request,
    file_report,
    grant_exemption,
    log_in,
    log_in_admin,
    make_admin,
    make_filing,
    make_user,
    make_violation_report,
    one_of_each,
    start_other_session,
)
from violation_reports.services import Upload

ROLES = list(Role)


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sample_values(app: Flask) -> dict[str, object]:
    """A record of every kind the routes name, each in a state whose pages exist, so that
    allowed roles reach the handler itself, not a 404. Values under an endpoint's name are for
    that endpoint alone (a decided case for its decision letter, an answered request for its
    document); the others serve every route naming them."""
    today = office_today()
    values = one_of_each()
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    provider = db.session.get(Provider, values["provider_id"])
    measure_id = db.session.get(MeasureAction, values["action_id"]).case_id
    granted = grant_exemption(file_exemption_request(), analyst=analyst, reviewer=reviewer)
    consulted = file_exemption_request()
    exemptions.start_review(consulted, actor=analyst)
    asked = exemptions.consult_agencies(
        consulted, summary="Asks to be exempted under §7.306.", requested_on=today,
        respond_by=today + timedelta(days=30), optional_agencies=(), actor=analyst,
    )  # fmt: skip
    consultation = next(c for c in asked if c.agency == "DoD")
    consultation_attachment = consultations.attach_document(
        consultation, filename="position.pdf", content=PDF, actor=analyst
    )
    exemption_attachment = exemptions.attach_document(
        consulted, filename="program.pdf", content=PDF, description="The written CIP.",
        actor=analyst,
    )  # fmt: skip
    information = exemptions.request_information(
        consulted, questions="Send the board minutes.", requested_on=today,
        respond_by=today + timedelta(days=30), actor=analyst,
    )  # fmt: skip
    db.session.commit()
    report = file_report(provider)
    identifier = db.session.scalars(
        select(ReportIdentifier).where(
            ReportIdentifier.filing_id == report.id, ReportIdentifier.ciphertext.is_not(None)
        )
    ).first()
    open_request = intake.request_cip_copy(provider, reseller=None, requested_on=today,
                                           actor=analyst)  # fmt: skip
    answered_request = intake.request_cip_copy(provider, reseller=None, requested_on=today,
                                               actor=analyst)  # fmt: skip
    intake.record_response(answered_request, filename="cip.pdf", content=PDF,
                           responded_on=today, actor=analyst)  # fmt: skip
    token, _ = intake.issue_token(provider, label="Filing system", actor=analyst)
    letter = sent_requests.sent_of(open_request)
    link_token = channel.new_link(letter)
    accelerator = db.session.scalars(select(Accelerator).order_by(Accelerator.id)).first()
    db.session.commit()
    board_pdf, _ = printed.request_board_pdf(BoardFilter(), actor=analyst)
    db.session.commit()
    send_committed()
    imported = _reseller_import(provider, analyst, [RESELLER_EXAMPLE])
    rejected = _reseller_import(provider, analyst, [{**RESELLER_EXAMPLE, "jurisdiction": "XX"}])
    ip_log = ip_logs.attach_ip_log(
        report, filename="gateway.csv", actor=analyst,
        content=b"ip_address,accessed_at,action\n192.0.2.44,2027-01-05T14:03:22+08:00,access\n",
    )  # fmt: skip
    viewer_id = make_user(Role.VIEWER).id
    mail = queue_mail(
        "walk@oicts.example", "job_failed",
        {"job_label": "Example", "job_id": 1, "attempts": 1, "link": "/"},
    )  # fmt: skip
    finding = _assessment_finding(values["assessment_id"])
    certification = make_filing(provider)
    team = ownership.add_team("Walkers", actor=make_admin())
    # A change the Department learned of, its notice still owed (§7.309(b)), for its receipt page.
    change_notice = change_notices.record_change_notice(
        provider, obligation="cip unnecessary", changed_on=today, notice_received_on=None,
        learned_on=today, learned_from="Press", summary="Sold its IaaS line.", actor=analyst,
        today=today,
    )  # fmt: skip
    db.session.commit()
    send_committed()
    violation_report = make_violation_report(uploads=[Upload("evidence.pdf", PDF)])
    return {
        **values,
        "finding_id": finding.id,
        "mail_id": mail.id,
        "outbox.message_template": {"name": "job_failed"},
        "receipt_number": report.receipt_number,
        "identifier_id": identifier.id,
        "accelerator_id": accelerator.id,
        "consultation_id": consultation.id,
        "attachment_id": consultation_attachment.id,
        "request_id": open_request.id,
        "correspondence_id": letter.id,
        "correspondence.token": link_token,
        "import_id": imported.id,
        "ip_log_id": ip_log.id,
        "pdf_id": board_pdf.id,
        "job_id": reseller_services.import_job_of(imported).id,
        "token_id": token.id,
        "team_id": team.id,
        "change_notice_id": change_notice.id,
        # Who owns a case: reassigned and taken on the sample assessment.
        "ownership.reassign": {"kind_key": "assessment", "case_id": values["assessment_id"]},
        "ownership.take": {"kind_key": "assessment", "case_id": values["assessment_id"]},
        "user_id": viewer_id,
        **_account_links(),
        "name": "refused-change",
        "exemptions.case_id": values["case_id"],
        "special_measures.case_id": measure_id,
        "exemptions.decision_letter": {"case_id": granted.id},
        "exemptions.attachment": {
            "case_id": consulted.id,
            "attachment_id": exemption_attachment.id,
        },
        "exemptions.record_information_response": {
            "case_id": consulted.id,
            "request_id": information.id,
        },
        "intake.request_document": {"request_id": answered_request.id},
        "report_id": violation_report.id,
        "violation_reports.attachment": {
            "report_id": violation_report.id,
            "attachment_id": violation_report.attachments[0].id,
        },
        # A certification is what is reviewed (§7.305(b)); the sample filing is a report.
        "intake.review_filing": {"receipt_number": certification.receipt_number},
        "intake.reseller_import_errors": {"import_id": rejected.id},
        # Pages beyond each route's own record whose forms the walk fills in too.
        "more_pages": [f"/exemptions/requests/{consulted.id}"],
        # What the walk's filler cannot guess: a rule parameter's value is a number,
        # and only a liaison belongs to an agency.
        "typed_in": {
            "/parameters/penalty.ieepa_civil_cap": {"value": "400000"},
            f"/admin/users/{viewer_id}/role": {"agency": ""},
        },
    }


def _account_links() -> dict[str, object]:
    """A live enrolment link and a live new-password link, for the pages they open."""
    waiting = accounts.create_user(email="enrolling@oicts.example", full_name="Ena Rolling",
                                   role=Role.ANALYST, password=None, actor=None)  # fmt: skip
    enrol = links.issue_link(waiting, LinkPurpose.ENROLMENT, actor=None)
    reset = links.issue_link(make_user(Role.REVIEWER), LinkPurpose.PASSWORD_RESET, actor=None)
    db.session.commit()
    return {
        "auth.enrol": {"token": enrol.rsplit("/", 1)[1]},
        "auth.reset": {"token": reset.rsplit("/", 1)[1]},
    }


def _assessment_finding(assessment_id: int):
    """A drafted finding of the sample assessment, by the analyst who opened it."""
    from casework import services as casework

    assessment = casework.get_assessment(assessment_id)
    return casework.add_finding(
        assessment, requirement="d2", shortcoming="Documents are not checked.",
        recommendation_kind="f1i", recommendation="Check them.", actor=assessment.opened_by,
    )  # fmt: skip


def _reseller_import(provider, analyst, rows) -> ResellerImport:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RESELLER_HEADER)
    writer.writerows([row.get(name, "") for name in RESELLER_HEADER] for row in rows)
    content = buffer.getvalue().encode()
    record = reseller_services.start_reseller_import(
        provider, filename="resellers.csv", content=content, actor=analyst
    )
    db.session.commit()
    # The job runs as soon as it is sent: under TESTING the queue is immediate (core.jobs.queue).
    send_committed()
    db.session.refresh(record)
    return record


def _url(rule: Rule, values: dict[str, object]) -> str:
    own = values.get(rule.endpoint, {})
    blueprint = rule.endpoint.split(".")[0]

    def value(name: str) -> object:
        for key in (name, f"{blueprint}.{name}"):
            if key in own:
                return own[key]
        return values.get(f"{blueprint}.{name}", values.get(name, 999_999 if "id" in name else "x"))

    return rule.build({name: value(name) for name in rule.arguments})[1]


def _filled_forms(page: str, page_url: str) -> dict[str, dict[str, object]]:
    """The forms a page posts, filled as a person in a hurry would: what the page already
    holds, the first choice of each list and group, today for a date, one for a number, a
    sentence for text and a small PDF for a file, keyed by where each form posts."""
    today = office_today().isoformat()
    typed = {"date": today, "number": "1", "email": "walk@oicts.example",
             "tel": "+1 202 555 0100"}  # fmt: skip
    forms = {}
    for form in BeautifulSoup(page, "html.parser").find_all("form"):
        if form.get("method", "get").lower() != "post":
            continue
        data: dict[str, object] = {}
        for field in form.find_all(["input", "textarea", "select", "button"]):
            name, kind = field.get("name"), field.get("type", "text")
            if not name or name in data or field.get("disabled") is not None:
                continue
            if field.name == "select":
                options = [o for o in field.find_all("option") if o.get("value")]
                chosen = [o for o in options if o.get("selected") is not None] or options[:1]
                data[name] = chosen[0]["value"] if chosen else ""
            elif field.name == "textarea":
                data[name] = field.get_text().strip() or "Checked by the route walk."
            elif kind in ("radio", "checkbox"):
                group = form.find_all("input", attrs={"name": name})
                checked = [box for box in group if box.get("checked") is not None]
                if checked or kind == "radio" or field.get("required") is not None:
                    data[name] = (checked or group)[0].get("value", "y")
            elif kind == "file":
                data[name] = (io.BytesIO(PDF), "document.pdf")
            elif field.name == "button" or kind == "submit":
                data.setdefault(name, field.get("value", ""))
            else:
                data[name] = field.get("value") or typed.get(kind, "Checked by the route walk.")
        forms[form.get("action") or page_url] = data
    return forms


def _walk(app: Flask, client, values: dict[str, object]) -> list[tuple[Rule, str, object, object]]:
    """Every route once: the pages first, then each post with the form a page showed for it
    (filled by ``_filled_forms``; the fourth item), or nothing where no page shows one, as for
    a step the record's state does not offer."""
    answers, forms = [], {}
    rules = [rule for rule in _routes(app) if rule.endpoint != "auth.logout"]
    for url in values["more_pages"]:
        forms.update(_filled_forms(client.get(url).text, url))
    for rule in (rule for rule in rules if "GET" in rule.methods):
        url = _url(rule, values)
        response = client.get(url)
        if response.mimetype == "text/html" and response.status_code == 200:
            forms.update(_filled_forms(response.text, url))
        answers.append((rule, url, response, None))
    for rule in (rule for rule in rules if "GET" not in rule.methods):
        url = _url(rule, values)
        form = forms.get(url)
        data = {**(form or {}), **values["typed_in"].get(url, {})}
        data = {
            name: (io.BytesIO(value[0].getvalue()), value[1]) if isinstance(value, tuple) else value
            for name, value in data.items()
        }
        answers.append((rule, url, client.post(url, data=data), form))
    return answers


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
        log_in_admin(client, person := make_admin())
    elif role is not None:
        log_in(client, person := make_user(role, agency="DoD" if role is Role.LIAISON else None))
    else:
        return client, None
    return client, person


def _own_other_session(person) -> dict[str, object]:
    """Another session of the signed-in person (a browser left signed in elsewhere), which
    their account's page offers to end; another's is not found (404)."""
    return {"session_id": start_other_session(person)} if person is not None else {}


def _own_notice(person) -> dict[str, object]:
    """A notice in the signed-in person's inbox: another's is not found (404) for anyone."""
    if person is None:
        return {}
    [notice] = notify(
        [person], "job_failed", title="A job failed", link="/",
        mail_context={"job_label": "Example", "job_id": 1, "attempts": 1},
    )  # fmt: skip
    db.session.commit()
    return {"notification_id": notice.id}


@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *(r.value for r in ROLES)])
def test_each_route_answers_each_role_as_declared(app, role):
    values = _sample_values(app)
    client, person = _signed_in_client(app, role)
    values.update(_own_notice(person))
    values.update(_own_other_session(person))
    wrong = []
    for rule, url, response, form in _walk(app, client, values):
        allowed = app.view_functions[rule.endpoint].allowed_roles
        status = response.status_code
        if status >= 500:
            wrong.append(f"{url}: server error {status}")
        elif form is not None and status in (400, 422):
            wrong.append(f"{url}: the form its page shows, filled in, was refused ({status})")
        elif allowed in (PUBLIC, PROVIDER_SYSTEM):
            continue
        elif role is None:
            if status != 302 or "/login" not in response.headers.get("Location", ""):
                wrong.append(f"{url}: anonymous got {status}, not a redirect to log in")
        elif role in allowed and status in (401, 403, 404):
            wrong.append(f"{url}: {role.value} got {status} but is allowed")
        elif role not in allowed and status != 403:
            wrong.append(f"{url}: {role.value} got {status} but is not allowed")
    assert wrong == []


def test_provider_system_routes_refuse_requests_without_a_token(client):
    assert client.post("/api/v1/filings", json={}).status_code == 401
    assert client.get("/api/v1/filings/OICTS-2026-000001").status_code == 401


def test_a_liaison_sees_only_their_dashboard(app):
    client, _ = _signed_in_client(app, Role.LIAISON)
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
