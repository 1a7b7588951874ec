"""The administrators' outbox (every message with its delivery log; the development outbox
where no mail server is set) and the page of message templates, each previewed with its
sample."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.auth.rules import Role
from core.db import db
from core.jobs.services import send_committed
from core.notifications import rules, services
from core.notifications.models import MailAttempt, OutgoingMail
from core.notifications.rules import MailState
from tests.factories import log_in, log_in_admin, make_admin, make_user

SCRIPTED = '<p>Hello</p><script>document.title = "ran"</script>'


def _mail(to: str, *, job_id: int = 1) -> OutgoingMail:
    mail = services.queue_mail(
        to, "job_failed", {"job_label": "Example", "job_id": job_id, "attempts": 1, "link": "/"}
    )
    db.session.commit()
    send_committed()
    return mail


@pytest.fixture
def admin_client(app):
    client = app.test_client()
    log_in_admin(client, make_admin())
    return client


def test_the_outbox_lists_every_message_newest_first_filtered_by_state(app, admin_client):
    first, second = _mail("first@oicts.example"), _mail("second@oicts.example")
    stuck = db.session.get(OutgoingMail, first.id)
    stuck.state = MailState.FAILED
    db.session.commit()

    page = admin_client.get("/admin/outbox")
    rows = BeautifulSoup(page.text, "html.parser").select('[data-testid="outbox"] tbody tr')
    assert [row.find("a").get_text() for row in rows] == [
        f"Message {second.id}",
        f"Message {first.id}",
    ]
    assert "this is the development outbox" in page.text  # MAIL_SERVER is not set
    failed = admin_client.get("/admin/outbox?state=failed").text
    assert f"Message {first.id}" in failed and f"Message {second.id}" not in failed
    # A state that is not one shows every message, never an error.
    assert admin_client.get("/admin/outbox?state=lost").status_code == 200


def test_a_message_shows_its_headers_its_log_and_its_html_without_running_it(app, admin_client):
    mail = _mail("reader@oicts.example")
    kept = db.session.get(OutgoingMail, mail.id)
    kept.html_body = SCRIPTED
    kept.attempts.insert(0, MailAttempt(succeeded=False, answer="451 4.3.0 Try again later"))
    db.session.commit()

    page = admin_client.get(f"/admin/outbox/{mail.id}")

    soup = BeautifulSoup(page.text, "html.parser")
    headers = soup.find(attrs={"data-testid": "mail-headers"}).get_text(" ")
    assert "reader@oicts.example" in headers and kept.subject_line in headers
    log = soup.find(attrs={"data-testid": "delivery-log"}).get_text(" ")
    assert "451 4.3.0 Try again later" in log and "development outbox" in log
    assert soup.find("a", href=f"/jobs/{kept.job_id}") is not None
    frame = soup.find("iframe")
    assert frame.has_attr("sandbox") and not frame["sandbox"]  # nothing allowed: no scripts
    assert frame["srcdoc"] == SCRIPTED
    assert "<script>" not in page.text  # in the frame's attribute and the source, escaped
    assert "Dear" in soup.find(attrs={"data-testid": "mail-text"}).get_text()


def test_the_delivery_job_links_to_its_message(app, admin_client):
    mail = _mail("reader@oicts.example")
    job_page = admin_client.get(f"/jobs/{mail.job_id}").text
    assert f'href="/admin/outbox/{mail.id}"' in job_page


def test_only_administrators_read_the_outbox_and_the_templates(app):
    mail = _mail("reader@oicts.example")
    client = app.test_client()
    log_in(client, make_user(Role.ANALYST))
    for path in ("/admin/outbox", f"/admin/outbox/{mail.id}", "/admin/message-templates"):
        assert client.get(path).status_code == 403


def test_every_message_template_is_listed_complete_and_previewed_with_its_sample(app, admin_client):
    listed = services.message_templates()
    names = [template.name for template in listed]
    assert {"job_failed", "digest", "deadline_due_soon", "audit_check_failed"} <= set(names)
    page = admin_client.get("/admin/message-templates").text
    for template in listed:
        assert template.complete, f"{template.name} lacks a part"
        assert rules.sample_for(template.name) is not None, f"{template.name} has no sample"
        assert f'href="/admin/message-templates/{template.name}"' in page
        preview = admin_client.get(f"/admin/message-templates/{template.name}")
        assert preview.status_code == 200
        assert 'data-testid="preview-problem"' not in preview.text, template.name
        assert "Office of Information and Communications Technology" in preview.text
    assert "§7.305(a)" in page  # a deadline's notice names its clock's paragraph
    assert admin_client.get("/admin/message-templates/_base").status_code == 404
