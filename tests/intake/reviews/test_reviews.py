"""A certification reviewed to an outcome (§7.305(b)), on both databases: a deficiency reaches
the provider through the channel to providers, its resubmission clock opens on receipt and a
resubmission meets it; the filings inbox and the risk score show where it stands."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines.models import Deadline
from intake import services as intake
from intake.examples import payload
from intake.reviews.models import CertificationReview
from tests.factories import commit_and_deliver, log_in, make_filing, make_provider, make_user
from tests.pdftext import pdf_text, searchable

TODAY = clocks.office_today()


def _token(provider) -> str:
    _, plaintext = intake.issue_token(provider, label="Filing system", actor=make_user(Role.ADMIN))
    db.session.commit()
    return plaintext


def _deficient(client, filing, **reasons: str):
    return client.post(
        f"/intake/filings/{filing.receipt_number}/review",
        data={"outcome": "deficient", **reasons},
        follow_redirects=True,
    )


def test_a_deficient_certification_is_a_notice_whose_clock_a_resubmission_meets(client):
    provider = make_provider("Tidewater Compute LLC")
    filing = make_filing(provider)
    token = _token(provider)
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)

    page = _deficient(
        client, filing,
        reason_1_paragraph="d1iiiF", reason_1_text="IP addresses are not kept with their times.",
        reason_2_paragraph="e3", reason_2_text="Nothing limits who may read the records.",
    )  # fmt: skip
    assert page.status_code == 200
    assert "Reviewed as deficient" in page.text
    assert "§7.302(d)(1)(iii)(F)" in page.text and "§7.302(e)(3)" in page.text
    commit_and_deliver()

    # The provider's system finds the notice on the channel, and reads the letter.
    listed = client.get("/api/v1/correspondence", headers={"Authorization": f"Bearer {token}"})
    notice = next(
        item for item in listed.json["correspondence"] if item["kind"] == "certification_deficiency"
    )
    assert notice["citation"] == "§7.305(b)"
    assert notice["delivery"] == "sent"
    letter = client.get(notice["links"]["document"], headers={"Authorization": f"Bearer {token}"})
    text = searchable(pdf_text(letter.data))
    assert filing.receipt_number in text
    assert "IP addresses are not kept with their times." in text
    assert "within 30 calendar days of your receipt" in text

    # Its receipt opened the 30-day clock, given to the reviewer.
    review = db.session.scalars(select(CertificationReview)).one()
    deadline = review.deadline
    assert deadline is not None and deadline.started_on == TODAY
    assert deadline.due_on == TODAY + timedelta(days=30)
    assert deadline.assignee_id == analyst.id and deadline.citation == "§7.305(b); §7.305(a)"

    # The inbox and the risk score show it.
    inbox = client.get("/intake/filings?review=deficient").text
    assert filing.receipt_number in inbox and "deficient: resubmission due" in inbox
    explained = client.get(f"/casework/risk/providers/{provider.id}").text
    assert "Certification(s) reviewed as deficient, resubmission awaited" in explained
    assert filing.receipt_number in explained

    # A correction of the deficient filing is the resubmission: the clock is met.
    data = payload("cip_certification")
    corrected = intake.receive_filing(
        provider,
        intake.Submission(kind="cip_certification", payload=data, raw=json.dumps(data),
                          channel="api", supersedes=filing.receipt_number),
    ).filing  # fmt: skip
    commit_and_deliver()
    db.session.refresh(review)
    assert review.resubmission_id == corrected.id
    assert db.session.get(Deadline, deadline.id).met_on == TODAY
    filing_page = client.get(f"/intake/filings/{filing.receipt_number}").text
    assert "deficient: resubmitted" in filing_page and corrected.receipt_number in filing_page
    explained = client.get(f"/casework/risk/providers/{provider.id}").text
    assert "reviewed as deficient" not in explained
    # The resubmission waits for its own review.
    inbox = client.get("/intake/filings?review=not_reviewed").text
    assert corrected.receipt_number in inbox


def test_a_certification_corrected_before_its_review_waits_in_its_correction(client):
    provider = make_provider()
    first = make_filing(provider)
    data = payload("cip_certification")
    corrected = intake.receive_filing(
        provider,
        intake.Submission(kind="cip_certification", payload=data, raw=json.dumps(data),
                          channel="api", supersedes=first.receipt_number),
    ).filing  # fmt: skip
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    waiting = client.get("/intake/filings?review=not_reviewed").text
    assert corrected.receipt_number in waiting and f'/{first.receipt_number}"' not in waiting
    refused = client.post(
        f"/intake/filings/{first.receipt_number}/review", data={"outcome": "accepted"}
    )
    assert refused.status_code == 422
    assert "A correction of this filing was received since" in refused.text


def test_an_accepted_certification_sends_nothing_and_reads_accepted_in_the_inbox(client):
    provider = make_provider()
    filing = make_filing(provider)
    log_in(client, make_user(Role.ANALYST))
    page = client.post(
        f"/intake/filings/{filing.receipt_number}/review", data={"outcome": "accepted"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Reviewed as accepted." in page.text
    listed = client.get(
        "/api/v1/correspondence", headers={"Authorization": f"Bearer {_token(provider)}"}
    )
    assert listed.json["total"] == 0
    row = client.get("/intake/filings?review=accepted").text
    assert filing.receipt_number in row and ">accepted<" in row
    assert filing.receipt_number not in client.get("/intake/filings?review=not_reviewed").text


def test_a_deficiency_without_reasons_is_refused_at_its_field_and_nothing_is_stored(client):
    filing = make_filing(make_provider())
    log_in(client, make_user(Role.ANALYST))
    page = _deficient(client, filing, reason_2_text="Cites nothing.")
    assert page.status_code == 422
    assert "Choose the paragraph this reason cites." in page.text
    assert "Cites nothing." in page.text  # what was typed is kept
    page = _deficient(client, filing)
    assert "A deficient certification needs at least one reason" in page.text
    page = _deficient(client, filing, reason_1_paragraph="zz", reason_1_text="Made up.")
    assert "Choose one of the paragraphs listed." in page.text
    assert db.session.scalars(select(CertificationReview)).all() == []


def test_whoever_keyed_a_filing_in_does_not_review_it(client):
    keyer = make_user(Role.ANALYST)
    filing = make_filing(make_provider(), actor=keyer)
    log_in(client, keyer)
    page = client.post(
        f"/intake/filings/{filing.receipt_number}/review", data={"outcome": "accepted"}
    )
    assert page.status_code == 422
    assert "You keyed this filing in; another analyst reviews it." in page.text


def test_a_filing_that_is_not_a_certification_has_no_review(client):
    provider = make_provider()
    update = make_filing(provider, "irregular_update")
    log_in(client, make_user(Role.ANALYST))
    assert client.get(f"/intake/filings/{update.receipt_number}/review").status_code == 404
    assert (
        "Review this certification"
        not in client.get(f"/intake/filings/{update.receipt_number}").text
    )
