"""An exemption case's owner (the analyst who first asked its submitter for information) hears
that the submitter answered, and of what the provider files while the case is open."""

from __future__ import annotations

from datetime import timedelta

from core import clocks
from core.auth.rules import Role
from exemptions import notices
from exemptions import services as exemptions
from tests.factories import (
    commit_and_deliver,
    file_exemption_request,
    make_filing,
    make_provider,
    make_user,
    notices_of,
)
from tests.mailcatcher import html_of, text_of

PROVIDER = "Northwind Cloud Services, Inc."


def _told(user) -> list[str]:
    return [notice.kind for notice in notices_of(user)]


def _ask(case, analyst):
    today = clocks.office_today()
    asked = exemptions.request_information(
        case, questions="Describe Northwind's reseller audits in RU.", requested_on=today,
        respond_by=today + timedelta(days=14), actor=analyst,
    )  # fmt: skip
    commit_and_deliver()
    return asked


def test_the_answer_to_an_information_request_reaches_the_case_owner(mail_app, smtp_server):
    owner, colleague = make_user(Role.ANALYST), make_user(Role.ANALYST)
    case = file_exemption_request(make_provider(PROVIDER))
    assert notices.case_owner(case) is None  # nobody has taken the case up yet
    exemptions.start_review(case, actor=owner)
    first = _ask(case, owner)
    second = _ask(case, colleague)
    assert notices.case_owner(case) == owner

    exemptions.record_information_response(
        first, responded_on=clocks.office_today(), response="Yearly audits of Neva Cloud OOO.",
        actor=colleague,
    )  # fmt: skip
    exemptions.record_information_response(
        second, responded_on=clocks.office_today(), response="The same.", actor=owner
    )  # recorded by the owner: nobody to tell
    commit_and_deliver()

    assert _told(owner) == ["information_answered"]
    assert _told(colleague) == []
    [message] = smtp_server.to(owner.email)
    body = message["Subject"] + text_of(message) + html_of(message)
    assert case.filing.receipt_number in message["Subject"]
    assert "15 CFR §7.306(e)(2)" in text_of(message)
    assert f"/exemptions/requests/{case.id}" in text_of(message)
    for protected in ("Northwind", "Neva Cloud", "reseller audits"):
        assert protected not in body


def test_a_filing_for_a_provider_with_an_owned_exemption_case_reaches_its_owner(
    mail_app, smtp_server
):
    owner = make_user(Role.ANALYST)
    provider = make_provider(PROVIDER)
    case = file_exemption_request(provider)
    exemptions.start_review(case, actor=owner)
    _ask(case, owner)

    filing = make_filing(provider, "irregular_update")
    commit_and_deliver()

    assert _told(owner) == ["filing_for_my_case"]
    [message] = smtp_server.to(owner.email)
    assert filing.receipt_number in message["Subject"]
    assert "Northwind" not in message["Subject"] + text_of(message) + html_of(message)
