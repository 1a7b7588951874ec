"""An assessment's finding cites the requirement of §7.302(b)-(f) it falls short of, to the
sub-paragraph where the rule lists items, §7.302(e)(3) included."""

from __future__ import annotations

from datetime import timedelta

from casework import rules, services
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from tests.factories import log_in, make_provider, make_user

TODAY = office_today()


def test_a_finding_cites_an_item_of_a_listing_paragraph_and_the_report_says_so(client):
    analyst = make_user(Role.ANALYST)
    assessment = services.open_assessment(
        make_provider(), origin=rules.AssessmentOrigin.RISK_QUEUE,
        scope="The written CIP.", origin_note="", actor=analyst,
        today=TODAY - timedelta(days=3),
    )  # fmt: skip
    db.session.commit()
    log_in(client, analyst)
    url = f"/casework/assessments/{assessment.id}"
    form = client.get(url).text
    for offered in (
        "§7.302(d)(1)(iii)(F): IP addresses",
        "§7.302(d)(2)(iv)",
        "§7.302(d)(3)(ii)",
        "§7.302(e)(1)(iv)",
        "§7.302(e)(3): Limits on third-party",
    ):
        assert offered in form  # fmt: skip
    added = client.post(
        f"{url}/findings",
        data={"requirement": "e3", "shortcoming": "Support staff read every customer record.",
              "recommendation_kind": "f1i", "recommendation": "Limit access to need-to-know."},
        follow_redirects=True,
    )  # fmt: skip
    assert "Finding added." in added.text
    assert "§7.302(e)(3)" in added.text and "Limits on third-party access to records" in added.text
    assert assessment.findings[0].requirement == "e3"
