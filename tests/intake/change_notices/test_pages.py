"""Recording the notices of §7.309(b) on a provider's page, and the risk score that follows
(§7.305(d)(2)(i)), on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from casework.models import RiskScore
from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from intake.change_notices.models import ChangeNotice
from tests.factories import log_in, make_provider, make_user

TODAY = office_today()


def _kept_lines(provider_id: int) -> dict[str, dict]:
    db.session.expire_all()
    return {line["kind"]: line for line in db.session.get(RiskScore, provider_id).lines_json}


def test_a_change_the_provider_did_not_notify_scores_and_then_its_late_notice(client):
    provider = make_provider("Larch Compute LLC")
    analyst = make_user(Role.ANALYST)
    db.session.commit()
    log_in(client, analyst)
    client.get(f"/intake/providers/{provider.id}")  # its score is kept before the notice
    learned = TODAY - timedelta(days=20)

    recorded = client.post(
        f"/intake/providers/{provider.id}/change-notices/new",
        data={
            "obligation": "cip unnecessary",
            "changed_on": (TODAY - timedelta(days=40)).isoformat(),
            "learned_on": learned.isoformat(),
            "learned_from": "The provider's public announcement of the sale of its IaaS line",
            "summary": "IaaS business sold to another provider.",
        },
    )

    assert recorded.status_code == 303
    page = client.get(recorded.headers["Location"].split("#")[0])
    assert "notice owed, not given" in page.text and "§7.309(b)(1)" in page.text
    owed = _kept_lines(provider.id)["change_notice_not_given"]
    assert (owed["criterion"], owed["count"], owed["weight"]) == ("§7.305(d)(2)(i)", 1, 15)
    explained = client.get(f"/casework/risk/providers/{provider.id}")
    assert "1 notice(s) of a material change owed and not given" in explained.text
    assert "weighed as a failure to submit, §7.305(d)(2)(i)" in explained.text

    notice = db.session.scalars(select(ChangeNotice)).one()
    received = client.post(
        f"/intake/providers/{provider.id}/change-notices/{notice.id}/received",
        data={"received_on": TODAY.isoformat()},
    )

    assert received.status_code == 303
    lines = _kept_lines(provider.id)
    assert "change_notice_not_given" not in lines
    assert (lines["change_notice_late"]["count"], lines["change_notice_late"]["weight"]) == (1, 5)
    assert "notice given late" in client.get(f"/intake/providers/{provider.id}").text
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("change_notice.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["change_notice.record", "change_notice.receipt"]


def test_a_notice_given_before_the_department_knew_adds_nothing(client):
    provider = make_provider("Spruce Hosting Inc.")
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))

    client.post(
        f"/intake/providers/{provider.id}/change-notices/new",
        data={
            "obligation": "representation ended",
            "changed_on": (TODAY - timedelta(days=3)).isoformat(),
            "notice_received_on": TODAY.isoformat(),
            "summary": "The CIP no longer uses the identity vendor it named.",
        },
    )

    page = client.get(f"/intake/providers/{provider.id}")
    assert "notice given" in page.text and "§7.309(b)(3)" in page.text
    assert not {"change_notice_not_given", "change_notice_late"} & set(_kept_lines(provider.id))


def test_a_notice_with_neither_date_is_shown_again_with_its_fields_and_nothing_stored(client):
    provider = make_provider("Hemlock Cloud LLC")
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))

    refused = client.post(
        f"/intake/providers/{provider.id}/change-notices/new",
        data={
            "obligation": "cip unnecessary",
            "changed_on": (TODAY + timedelta(days=2)).isoformat(),
            "summary": "Stopped serving foreign customers.",
        },
    )

    assert refused.status_code == 422
    assert "The change cannot have taken effect on a future date." in refused.text
    assert "or the date the Department learned of the change by other means" in refused.text
    assert "Stopped serving foreign customers." in refused.text
    assert db.session.scalar(select(func.count(ChangeNotice.id))) == 0


def test_a_viewer_sees_the_notices_but_is_offered_no_form(client):
    provider = make_provider("Alder Compute LLC")
    db.session.commit()
    log_in(client, make_user(Role.VIEWER))

    page = client.get(f"/intake/providers/{provider.id}")
    assert "Notices of material change" in page.text
    assert "Record a notice or a change not notified" not in page.text
    assert client.get(f"/intake/providers/{provider.id}/change-notices/new").status_code == 403
