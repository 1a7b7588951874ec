"""The notice emailed for each kind of document names the office, the kind and its citation,
the period to answer and where to read the document, and nothing CUI: no name from the
record, no identifier, no finding, not even the provider's own or its reseller's name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clocks
from core.db import db
from core.notifications.rules import ONE_TIME_LINK, protected_leaks, with_one_time_link
from core.notifications.services import render_mail
from intake import services as intake
from intake.correspondence import services
from intake.correspondence.models import Correspondence
from intake.correspondence.rules import CorrespondenceKind
from intake.models import ForeignReseller
from tests.factories import make_provider, make_user

TODAY = clocks.office_today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PARTS = ("subject.txt", "txt", "html")


def _rendered(correspondence: Correspondence) -> dict[str, str]:
    """The message as stored (the one-time link's placeholder in it), then as handed over (the
    link put in, as the mail delivery does)."""
    context = {**services.mail_context(correspondence), "one_time_link": ONE_TIME_LINK}
    stored = render_mail(services.MAIL_TEMPLATE, context)
    assert ONE_TIME_LINK in stored[1] and ONE_TIME_LINK in stored[2]
    link = services.link_address("one-time-token")
    handed_over = (with_one_time_link(part, link) for part in stored)
    return dict(zip(PARTS, handed_over, strict=True))


@pytest.mark.parametrize("kind", list(CorrespondenceKind))
def test_each_kind_of_notice_says_what_and_where_and_nothing_protected(app, kind):
    provider = make_provider("Harrow Peak Compute, Inc.", contact_name="Imogen Vale")
    db.session.add(ForeignReseller(provider_id=provider.id, name="Kestrel Resale Sdn Bhd",
                                   jurisdiction="MY"))  # fmt: skip
    issued = services.issue_to_provider(
        provider, kind, title=f"{kind.value} about OICTS-2027-000123",
        subject=("provider", provider.id), pdf=PDF, filename="document.pdf", actor=make_user(),
        today=TODAY, sent_by_hand_on=TODAY,
    )  # fmt: skip
    mail = _rendered(issued)
    protected = ("Harrow Peak", "Imogen Vale", "Kestrel", "OICTS-2027-000123",
                 provider.contact_email, provider.street_address)  # fmt: skip
    assert protected_leaks("\n".join(mail.values()), protected) == []
    assert "Office of Information and Communications Technology and Services" in mail["txt"]
    assert issued.citation.removeprefix("§") in mail["subject.txt"]
    assert f"reference {issued.id}" in mail["subject.txt"]
    for part in ("txt", "html"):
        assert f"/api/v1/correspondence/{issued.id}/document" in mail[part]
        assert "/correspondence/link/one-time-token" in mail[part]
        assert "not attached" in mail[part]


def test_a_request_says_the_period_runs_from_its_receipt(app):
    request = intake.request_cip_copy(
        make_provider(), reseller=None, requested_on=TODAY - timedelta(days=2), actor=make_user(),
        today=TODAY, sent_by_hand=True,
    )  # fmt: skip
    letter = services.latest_about("department_request", request.id)
    text = _rendered(letter)["txt"]
    assert "within 10 calendar days of receipt of this message (§7.305(a))" in text
