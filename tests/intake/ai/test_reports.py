"""Reports of large AI model training (§7.308): each kind's clock, corrections, follow-ups to
requests for additional information, IP logs, the cross-filing search and the pages."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.clocks import office_today
from core.db import db
from core.deadlines.models import Deadline
from core.jobs.services import send_committed
from core.risk import signals_by_provider
from intake import kinds, rules, services
from intake.ai import accelerators as ai_accelerators
from intake.ai import ip_logs
from intake.ai import services as ai_services
from intake.examples import payload
from intake.models import IpAccess
from tests.factories import (
    file_report,
    log_in,
    log_in_admin,
    make_admin,
    make_provider,
    make_user,
)
from tests.pdftext import pdf_text

TODAY = office_today()


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


# --- Clocks (§7.308(c)) ------------------------------------------------------------------------


def test_an_initial_report_within_15_days_is_on_time_and_its_clock_is_met(app):
    report = file_report(make_provider(), transaction_on=days_ago(15))
    assert report.timeliness == "on time"
    assert report.warnings == []
    (clock,) = db.session.execute(
        select(Deadline).where(Deadline.subject_id == report.receipt_number)
    ).scalars()
    assert clock.clock_key == "ai.initial_report"
    assert clock.due_on == TODAY
    assert clock.met_on == TODAY


def test_an_initial_report_after_15_days_is_accepted_but_flagged_late(app):
    report = file_report(make_provider(), transaction_on=days_ago(16))
    assert report.timeliness == "late"
    (warning,) = report.warnings
    assert warning["citation"] == "§7.308(c)(1)"
    assert f"due by {(TODAY - timedelta(days=1)).isoformat()}" in warning["message"]
    assert "+ 15 calendar days" in warning["message"]


def test_the_clock_starts_on_the_later_day_the_provider_had_knowledge(app):
    report = file_report(make_provider(), transaction_on=days_ago(40), knowledge_on=days_ago(10))
    assert report.timeliness == "on time"


def test_a_report_received_through_a_reseller_has_30_days(app):
    provider = make_provider()
    on_time = file_report(provider, "ai_reseller_report", transaction_on=days_ago(30),
                          reseller_reported_on=days_ago(20))  # fmt: skip
    late = file_report(provider, "ai_reseller_report", transaction_on=days_ago(31),
                       reseller_reported_on=days_ago(20))  # fmt: skip
    assert (on_time.timeliness, late.timeliness) == ("on time", "late")
    assert late.warnings[0]["citation"] == "§7.308(c)(2)"


def test_a_corrected_report_supersedes_the_one_it_corrects_and_shows_the_changes(client):
    provider = make_provider()
    first = file_report(provider)
    corrected = file_report(
        provider, "ai_corrected_report", supersedes=first.receipt_number,
        inaccuracy_known_on=days_ago(16), estimated_operations=3.1e26,
    )  # fmt: skip
    assert corrected.supersedes_id == first.id
    assert corrected.timeliness == "late"
    assert corrected.warnings[0]["citation"] == "§7.308(c)(4)"
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/filings/{corrected.receipt_number}").text
    assert f"Changes from {first.receipt_number}" in page
    assert "Estimated number of computational operations in the run" in page
    assert "3.1e+26" in page


def test_a_corrected_report_must_name_the_report_it_corrects(app):
    with pytest.raises(services.FilingRejected) as rejected:
        file_report(make_provider(), "ai_corrected_report")
    assert rejected.value.problems[0].path == "supersedes"
    assert rejected.value.problems[0].citation == "§7.308(c)(4)"


def test_a_follow_up_report_answers_a_request_and_meets_its_15_day_clock(client):
    provider = make_provider()
    report = file_report(provider)
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    sent = client.post(
        f"/intake/filings/{report.receipt_number}/information-requests",
        data={"requested_on": TODAY.isoformat(), "note": "Explain the accelerator quota."},
        follow_redirects=True,
    )
    # The suite's queue delivered the email as the request ended: the 15 days run from today.
    assert f"follow-up due {(TODAY + timedelta(days=15)).isoformat()}" in sent.text
    (request,) = ai_services.information_requests_of(report)
    board = client.get("/deadlines/").text
    assert "follow-up to " + report.receipt_number in board

    follow_up = file_report(
        provider, "ai_follow_up_report", request_number=request.id,
        request_received_on=TODAY.isoformat(),
    )  # fmt: skip
    db.session.refresh(request)
    assert request.response_filing_id == follow_up.id
    assert request.deadline.met_on == TODAY
    assert follow_up.timeliness == "on time"
    page = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "answered by" in page and follow_up.receipt_number in page
    assert "follow-up to " + report.receipt_number not in client.get("/deadlines/").text


def test_a_follow_up_to_an_unknown_or_answered_request_is_refused(app):
    provider = make_provider()
    with pytest.raises(services.FilingRejected) as unknown:
        file_report(provider, "ai_follow_up_report", request_number=424242,
                    request_received_on=TODAY.isoformat())  # fmt: skip
    assert unknown.value.problems[0].path == "request_number"
    report = file_report(provider)
    request = ai_services.request_information(
        report, requested_on=TODAY, note="The quota.", actor=make_user(Role.ANALYST), today=TODAY
    )
    db.session.commit()
    answer = {"request_number": request.id, "request_received_on": TODAY.isoformat()}
    first = file_report(provider, "ai_follow_up_report", **answer)
    with pytest.raises(services.FilingRejected) as answered:
        file_report(provider, "ai_follow_up_report", **answer)
    (problem,) = answered.value.problems
    assert f"already answered by {first.receipt_number}" in problem.message
    assert problem.citation == "§7.308(c)(4)"


def test_a_request_for_information_with_bad_input_keeps_what_was_typed(client):
    report = file_report(make_provider())
    log_in(client, make_user(Role.ANALYST))
    response = client.post(
        f"/intake/filings/{report.receipt_number}/information-requests",
        data={"requested_on": days_ago(-3), "note": "Who owns Harrow Peak Holdings?"},
    )
    assert response.status_code == 422
    assert "must not be in the future" in response.text
    assert "Who owns Harrow Peak Holdings?" in response.text


# --- Payment identifiers (docs/architecture.md §8) ------------------------------------------------

CARD_DIGITS = "4111111111111111"


def _appearances(text: str) -> bool:
    compact = "".join(text.split()).replace("-", "")
    return CARD_DIGITS in compact or "GB29NWBK60161331926819" in compact


def test_no_full_card_or_account_number_is_stored_or_shown_anywhere(client, caplog):
    caplog.set_level("DEBUG")
    provider = make_provider()
    report = file_report(provider, actor=make_user(Role.ANALYST))
    log_in(client, make_user(Role.REVIEWER))
    pages = [
        client.get(f"/intake/filings/{report.receipt_number}").text,
        client.get(f"/intake/providers/{provider.id}").text,
        client.post("/intake/search", data={"q": CARD_DIGITS}).text,
        client.get("/deadlines/deadlines.csv").text,
        client.get("/intake/providers.csv").text,
        client.get("/admin/audit/").text,
    ]
    assert "•••• 1111" in pages[0]
    assert "•••• 6819" in pages[0]
    assert "1 report from 1 provider" in pages[2]
    receipt_pdf = client.get(f"/intake/filings/{report.receipt_number}/receipt.pdf").data
    assert [index for index, page in enumerate(pages) if _appearances(page)] == []
    assert not _appearances(pdf_text(receipt_pdf))
    assert not _appearances(caplog.text)
    assert [value[:300] for value in _every_text_in_the_database() if _appearances(value)] == []


def _every_text_in_the_database() -> list[str]:
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).all():
            values += [str(value) for value in row if isinstance(value, str | bytes)]
    return values


def test_an_analyst_may_reveal_an_identifier_and_the_view_is_audited(client):
    report = file_report(make_provider())
    card = next(i for i in ai_services.identifiers_of(report) if i.detail == "card")
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "Reveal (audited)" in page
    revealed = client.post(f"/intake/filings/{report.receipt_number}/identifiers/{card.id}")
    assert "4111 1111 1111 1111" in revealed.text
    assert revealed.headers["Cache-Control"] == "no-store"
    events = (
        db.session.execute(select(AuditEvent).where(AuditEvent.action == "filing.sensitive_view"))
        .scalars()
        .all()
    )
    assert [event.subject_id for event in events] == [report.receipt_number]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LIAISON])
def test_viewers_and_liaisons_never_see_an_identifier_in_full(client, role):
    report = file_report(make_provider())
    card = next(i for i in ai_services.identifiers_of(report) if i.detail == "card")
    log_in(client, make_user(role))
    page = client.get(f"/intake/filings/{report.receipt_number}")
    assert "Reveal (audited)" not in page.text
    refused = client.post(f"/intake/filings/{report.receipt_number}/identifiers/{card.id}")
    assert refused.status_code == 403
    assert CARD_DIGITS not in refused.text


# --- Cross-filing search -------------------------------------------------------------------------


def test_the_same_wallet_email_and_ip_in_two_providers_reports_are_linked(client):
    first, second = make_provider("Redwood GPU Cloud, Inc."), make_provider("Bluefin Compute LLC")
    file_report(first)
    file_report(second, person_name="Kestrel Analytics Private Limited")
    # An entity names its beneficial owners (§7.308(d)(1)(i)(B)(5)); this one's are its own.
    file_report(make_provider(), person_name="Orchid Data Sdn Bhd", other_business_names=[],
                beneficial_owners=["Orchid Data Sdn Bhd"], ultimate_beneficial_owner=None,
                emails=["someone@else.example"], ip_accesses=[],
                payment_methods=[{"method": "customer_id", "identifier": "CUST-0042"}],
                phones=["+44 20 7946 0000"])  # fmt: skip
    log_in(client, make_user(Role.VIEWER))

    def summary(q: str, kind: str = "anything") -> str:
        page = client.post("/intake/search", data={"q": q, "kind": kind})
        assert page.status_code == 200
        return page.text

    wallet = summary("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    assert "2 reports from 2 providers" in wallet
    assert "Redwood GPU Cloud" in wallet and "Bluefin Compute" in wallet
    assert "2 reports from 2 providers" in summary("OPS@kestrel-analytics.example")
    assert "2 reports from 2 providers" in summary("+65 6555 0142")
    assert "2 reports from 2 providers" in summary("192.0.2.10")
    assert "2 reports from 2 providers" in summary("192.0.2.0/28")
    assert "not found in any report" in summary("192.0.2.11")
    assert "2 reports from 2 providers" in summary("2001:db8::/32")
    assert "1 report from 1 provider" in summary("Kestrel Analytics Pte. Ltd.", "name")
    assert "2 reports from 2 providers" in summary("kestrel analytics", "name")
    assert "not found in any report" in summary("kestrel analyt", "name")
    assert "2 reports from 2 providers" in summary("4111-1111-1111-1111")


def test_a_line_given_with_an_extension_is_found_by_its_number(client):
    with_extension = file_report(make_provider(), phones=["+65 6555 0142 ext. 21"])
    file_report(make_provider())
    log_in(client, make_user(Role.ANALYST))
    found = client.post("/intake/search", data={"q": "+65 6555 0142", "kind": "phone"})
    assert "2 reports from 2 providers" in found.text
    report = client.get(f"/intake/filings/{with_extension.receipt_number}").text
    assert "+65 6555 0142 ext. 21" in report


def _hits(page: str) -> list[list[str]]:
    """The cells of the search's result table, row by row, as text."""
    table = page.split('data-testid="search-hits"', 1)[1].split("</tbody>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("<td>")[1:]] for row in rows
    ]


def test_a_range_search_says_how_many_addresses_the_accesses_came_from(client):
    analyst = make_user(Role.ANALYST)
    report = file_report(make_provider("Redwood GPU Cloud, Inc."), ip_accesses=[])
    log = "ip_address,accessed_at,action\n" + "".join(
        f"198.51.100.{host},2026-11-21T10:{host % 60:02d}:00Z,access\n" for host in range(250)
    )
    ip_logs.attach_ip_log(report, filename="log.csv", content=log.encode(), actor=analyst)
    db.session.commit()
    send_committed()  # the suite's queue runs the log's job at once
    log_in(client, analyst)

    page = client.post("/intake/search", data={"q": "198.51.100.0/24", "kind": "ip"}).text
    ((_, _, _, where, found),) = _hits(page)
    assert where.startswith("250 accesses, ")
    assert found == "Accesses from 198.51.100.0/24: 250 addresses"
    assert "What was found" in page and ">As<" not in page

    one = client.post("/intake/search", data={"q": "198.51.100.7", "kind": "ip"}).text
    ((_, _, _, where, found),) = _hits(one)
    assert where.startswith("1 access, ") and found == "198.51.100.7"


def test_a_search_says_where_in_the_report_it_was_found_by_the_fields_label(client):
    report = file_report(make_provider("Redwood GPU Cloud, Inc."))
    log_in(client, make_user(Role.VIEWER))
    email = report.data["emails"][0]
    page = client.post("/intake/search", data={"q": email, "kind": "email"}).text
    ((receipt, _, _, where, found),) = _hits(page)
    assert receipt == report.receipt_number
    assert (where, found) == ("Email addresses, line 1", email)


def test_a_search_that_cannot_be_read_says_why(client):
    log_in(client, make_user(Role.ANALYST))
    response = client.get("/intake/search", query_string={"q": "10.0.0.0/33", "kind": "ip"})
    assert response.status_code == 422
    assert "10.0.0.0/33" in response.text
    empty = client.get("/intake/search", query_string={"q": ""})
    assert empty.status_code == 422
    assert "Enter an email" in empty.text


# --- IP access logs -------------------------------------------------------------------------------


def _log(rows: list[str]) -> bytes:
    return ("ip_address,accessed_at,action\n" + "\n".join(rows) + "\n").encode()


def _upload_log(client, report, rows: list[str]):
    return client.post(
        f"/intake/filings/{report.receipt_number}/ip-log",
        data={"ip_log": (io.BytesIO(_log(rows)), "accesses.csv")},
        content_type="multipart/form-data",
    )


def test_an_ip_log_attaches_whole_and_is_summarised_on_the_report(client):
    report = file_report(make_provider(), ip_accesses=[])
    log_in(client, make_user(Role.ANALYST))
    rows = [f"198.51.100.{n},2027-01-05T14:{n:02d}:00+05:30,access" for n in range(1, 51)]
    received = _upload_log(client, report, rows)
    assert received.status_code == 302
    page = client.get(received.headers["Location"])
    assert "Refresh" not in page.headers  # the check has ended: nothing to wait for
    assert 'data-testid="ip-log-status">attached<' in page.text
    assert "50 IP accesses attached." in page.text
    summary = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "50 accesses from 50 addresses" in summary
    assert "accesses.csv</a>, received" in summary and "50 rows attached" in summary
    stored = db.session.execute(select(IpAccess).order_by(IpAccess.id)).scalars().first()
    assert stored.utc_offset_minutes == 330
    assert stored.accessed_at.isoformat() == "2027-01-05T08:31:00+00:00"


def test_an_ip_log_with_one_bad_row_attaches_nothing_and_names_the_row(client):
    report = file_report(make_provider(), ip_accesses=[])
    log_in(client, make_user(Role.ANALYST))
    rows = [
        "198.51.100.1,2027-01-05T14:00:00+05:30,access",
        "198.51.100.300,2027-01-05T14:01:00Z,access",
    ]
    page = client.get(_upload_log(client, report, rows).headers["Location"])
    assert "Nothing was attached: 1 problem in 2 rows" in page.text
    assert "198.51.100.300" in page.text
    assert "<td>3</td>" in page.text
    assert "Upload a corrected log" in page.text
    assert db.session.execute(select(IpAccess)).first() is None
    summary = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "nothing attached, 1 problem" in summary


# --- The aids: coverage and plausibility ----------------------------------------------------------


def test_a_run_the_hardware_could_push_over_the_threshold_is_flagged(client):
    # 20,000 H100s for 121 days could reach 1.2e26 while the report says 9e25.
    report = file_report(make_provider(), estimated_operations=9e25, accelerator_count=20_000)
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "could perform up to" in page
    assert "989.4e12 operations/s × 20,000 accelerators" in page
    signals = signals_by_provider(TODAY)[report.provider_id]
    assert "implausible_compute_estimate" in {signal.kind for signal in signals}
    assert {signal.criterion for signal in signals} == {"§7.305(d)(1)(ii)"}


def test_a_name_the_catalogue_writes_otherwise_is_checked_once_an_analyst_confirms_it(client):
    # 20,000 H200s for 121 days could reach 1.2e26 while the report says 9e25.
    report = file_report(make_provider(), accelerator_model="NVIDIA H200",
                         estimated_operations=9e25, accelerator_count=20_000)  # fmt: skip
    url = f"/intake/filings/{report.receipt_number}"
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    before = client.get(url).text
    assert "“NVIDIA H200” is not in the accelerator catalogue" in before
    assert "Catalogue entries nearest “NVIDIA H200”: NVIDIA H200 SXM" in before
    assert "NVIDIA H100 SXM" not in before.split('data-testid="accelerator-proposals"')[1]
    assert "implausible_compute_estimate" not in {
        signal.kind for signal in signals_by_provider(TODAY).get(report.provider_id, [])
    }
    confirm_url = f"{url}/accelerator"
    assert f'href="{confirm_url}"' in before
    [h200] = [entry for entry in ai_accelerators.catalogue() if entry.model == "H200 SXM"]

    unchosen = client.post(confirm_url, data={})
    assert unchosen.status_code == 422
    assert "Choose the accelerator the report means." in unchosen.text
    assert ai_accelerators.choice_of(report) is None
    answer = client.post(confirm_url, data={"accelerator": str(h200.id)}, follow_redirects=True)
    confirmed = html.unescape(answer.text)

    assert "the report's “NVIDIA H200” is the catalogue's NVIDIA H200 SXM" in confirmed
    assert f"{analyst.full_name} confirmed it as the catalogue's NVIDIA H200 SXM" in confirmed
    assert "989.4e12 operations/s × 20,000 accelerators" in confirmed
    assert "could perform up to" in confirmed
    assert "implausible_compute_estimate" in {
        signal.kind for signal in signals_by_provider(TODAY)[report.provider_id]
    }
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "accelerator.confirm")
    ).one()
    assert event.subject_id == report.receipt_number
    assert event.actor_id == analyst.id
    assert json.loads(event.after_json)["accelerator"] == "NVIDIA H200 SXM"
    assert report.data["accelerator_model"] == "NVIDIA H200"  # the report stays as filed


def test_a_confirmed_accelerator_can_be_changed_and_both_choices_stay_on_record(app):
    report = file_report(make_provider(), accelerator_model="Google TPU v5")
    analyst = make_user(Role.ANALYST)
    v5p, v4 = ai_accelerators.proposals(report)
    ai_accelerators.confirm(report, v5p.id, actor=analyst)
    ai_accelerators.confirm(report, v4.id, actor=make_user(Role.REVIEWER))
    db.session.commit()
    assert ai_accelerators.choice_of(report).accelerator.model == "TPU v4"
    changes = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "accelerator.confirm")
        .order_by(AuditEvent.seq)
    ).all()
    assert [json.loads(event.before_json or "null") for event in changes] == [
        None, {"accelerator": "Google TPU v5p"},
    ]  # fmt: skip


def test_nothing_is_confirmed_for_a_report_the_catalogue_names_as_written(client):
    report = file_report(make_provider())  # "NVIDIA H100 SXM", as the catalogue writes it
    log_in(client, make_user(Role.ANALYST))
    assert (
        "accelerator-proposals" not in client.get(f"/intake/filings/{report.receipt_number}").text
    )
    [h200] = [entry for entry in ai_accelerators.catalogue() if entry.model == "H200 SXM"]
    refused = client.post(
        f"/intake/filings/{report.receipt_number}/accelerator", data={"accelerator": str(h200.id)}
    )
    assert refused.status_code == 422
    assert ai_accelerators.choice_of(report) is None
    with pytest.raises(ai_accelerators.NothingToConfirm):
        ai_accelerators.confirm(report, h200.id, actor=make_user(Role.ANALYST))


def test_viewers_see_the_proposals_but_only_case_workers_confirm(client):
    report = file_report(make_provider(), accelerator_model="NVIDIA H200")
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/filings/{report.receipt_number}").text
    assert "Catalogue entries nearest “NVIDIA H200”" in page
    assert "Confirm which accelerator the report means" not in page
    [h200] = [entry for entry in ai_accelerators.catalogue() if entry.model == "H200 SXM"]
    answer = client.post(
        f"/intake/filings/{report.receipt_number}/accelerator", data={"accelerator": str(h200.id)}
    )
    assert answer.status_code == 403
    assert ai_accelerators.choice_of(report) is None


def test_a_report_whose_hardware_could_exceed_the_conditions_is_covered_with_the_reading(client):
    # 20,000 H100s for 121 days could reach 1.2e26 while the report says 9e25 (§7.308(b)(1)(i)).
    report = file_report(make_provider(), estimated_operations=9e25, accelerator_count=20_000)
    log_in(client, make_user(Role.VIEWER))
    page = html.unescape(client.get(f"/intake/filings/{report.receipt_number}").text)
    assert "<strong>Covered</strong> (§7.308(b)(1)(i))" in page
    assert "The reserved hardware could perform up to 1.2e26 operations" in page
    assert "How the rule is read here: “Results or could result” (§7.308(b)(1)(i))" in page
    small = file_report(make_provider("Small Cloud"), estimated_operations=9e23,
                        accelerator_count=10)  # fmt: skip
    page = html.unescape(client.get(f"/intake/filings/{small.receipt_number}").text)
    assert "Not covered on what the report says" in page
    assert "the hardware alone does not make the transaction covered" in page


def test_the_coverage_aid_answers_example_1_of_the_rule(client):
    log_in(client, make_user(Role.ANALYST))
    page = client.get("/intake/coverage", query_string={
        "customer_is_foreign_person": "y", "estimated_operations": "3 × 10^26",
        "relevant_on": TODAY.isoformat(),
    })  # fmt: skip
    assert page.status_code == 200
    assert "A covered transaction (§7.308(b)(1)(i))" in page.text
    bad = client.get("/intake/coverage", query_string={
        "estimated_operations": "lots", "relevant_on": TODAY.isoformat(),
    })  # fmt: skip
    assert bad.status_code == 422
    assert "Write a number" in bad.text


def test_an_administrator_keeps_the_accelerator_catalogue_with_an_audit_trail(client):
    log_in_admin(client, make_admin())
    refused = client.post("/intake/accelerators/new", data={
        "vendor": "Cerulean", "model": "CX-9", "peak_dense_ops_per_second": "fast",
        "number_format": "BF16 dense", "source": "Cerulean CX-9 datasheet (2026)",
    })  # fmt: skip
    assert refused.status_code == 422
    assert "Write a positive number" in refused.text
    assert 'value="Cerulean CX-9 datasheet (2026)"' in refused.text
    added = client.post("/intake/accelerators/new", data={
        "vendor": "Cerulean", "model": "CX-9", "peak_dense_ops_per_second": "1.2e15",
        "number_format": "BF16 dense", "source": "Cerulean CX-9 datasheet (2026)",
    }, follow_redirects=True)  # fmt: skip
    assert "CX-9" in added.text and "1.200e15" in added.text
    assert db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "accelerator.add")
    ).scalar_one()


def test_every_report_kind_can_be_keyed_in_through_the_form(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    form = client.get(f"/intake/providers/{provider.id}/file/ai_initial_report")
    assert form.status_code == 200
    assert "§7.308(d)(1)(i)(F)" in form.text
    bad = client.post(f"/intake/providers/{provider.id}/file/ai_initial_report",
                      data={"person_name": "Kestrel Analytics Pte Ltd",
                            "estimated_operations": "many", "emails": "not-an-email"})  # fmt: skip
    assert bad.status_code == 422
    assert "must be a number" in bad.text
    assert "must be an email" in bad.text
    assert 'value="Kestrel Analytics Pte Ltd"' in bad.text


def test_a_reports_foreign_person_is_a_risk_signal_of_its_provider(app):
    provider = make_provider()
    file_report(provider, estimated_operations=3e26)
    found = signals_by_provider(TODAY)[provider.id]
    (signal,) = [s for s in found if s.kind == "ai_training_report"]
    assert signal.count == 1
    assert signal.criterion == "§7.305(d)(1)(ii)"


def test_every_payment_identifier_of_a_report_is_found_to_be_sealed():
    spec = kinds.kind_spec("ai_initial_report")
    cleaned = rules.check_filing("ai_initial_report", payload("ai_initial_report")).cleaned
    assert [path for path, _ in rules.sensitive_paths(spec.fields, cleaned)] == [
        f"payment_methods[{index}].identifier" for index in range(3)
    ]
    assert rules.mask_identifier("4111 1111 1111 1111") == "•••• 1111"


def test_a_provider_system_attaches_an_ip_log_by_api(client):
    provider = make_provider()
    _, token = services.issue_token(provider, label="system", actor=make_user(Role.ADMIN))
    report = file_report(provider, ip_accesses=[])
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/filings/{report.receipt_number}/ip-log"
    good = _log(["203.0.113.7,2027-01-05T14:00:00-05:00,administration"] * 3)
    answer = client.post(url, data=good, headers=headers, content_type="text/csv")
    assert answer.status_code == 202
    assert answer.json["status"] == "queued"
    assert answer.headers["Retry-After"] == "2"
    assert answer.headers["Location"] == answer.json["links"]["self"]
    # The suite's queue ran the job as the request ended: the outcome is there at once.
    status = client.get(answer.headers["Location"], headers=headers)
    assert status.json["status"] == "attached"
    assert (status.json["rows_checked"], status.json["rows_stored"]) == (3, 3)
    assert status.json["sha256"] == answer.json["sha256"]
    assert "Retry-After" not in status.headers
    bad = client.post(url, data=_log(["203.0.113.7,yesterday,access"]), headers=headers,
                      content_type="text/csv")  # fmt: skip
    assert bad.status_code == 202
    rejected = client.get(bad.headers["Location"], headers=headers).json
    assert (rejected["status"], rejected["problem_count"], rejected["rows_stored"]) == (
        "rejected", 1, 0,
    )  # fmt: skip
    assert (rejected["errors"][0]["row"], rejected["errors"][0]["field"]) == (2, "accessed_at")
    other = make_provider()
    _, stranger = services.issue_token(other, label="other", actor=make_user(Role.ADMIN))
    db.session.commit()
    refused = client.post(url, data=good, headers={"Authorization": f"Bearer {stranger}"},
                          content_type="text/csv")  # fmt: skip
    assert refused.status_code == 404
    assert ai_services.access_summary(report).count == 3


def test_a_report_from_before_any_technical_condition_is_shown_without_a_verdict(client):
    report = file_report(make_provider(), transaction_on="2023-06-01")
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/filings/{report.receipt_number}")
    assert page.status_code == 200
    assert "No technical conditions of a large AI model were in force on 2023-06-01" in page.text
    assert "the first took effect on 2023-10-30" in page.text
    aid = client.get("/intake/coverage", query_string={"relevant_on": "2023-06-01"})
    assert aid.status_code == 422
    assert "were in force on 2023-06-01" in aid.text
    assert signals_by_provider(TODAY)[report.provider_id]


def test_a_report_is_corrected_by_a_corrected_report_whose_identifiers_are_given_again(client):
    report = file_report(make_provider())
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/filings/{report.receipt_number}").text
    link = f"/intake/providers/{report.provider_id}/file/ai_corrected_report?supersedes="
    assert link + report.receipt_number in page.replace("&amp;", "&")
    form = client.get(link + report.receipt_number).text
    assert "Kestrel Analytics Pte Ltd" in form  # the report's own facts, to correct
    assert "•••• 1111" not in form  # a masked number is no number: it is given again
    assert "§7.308(c)(4)" in form
