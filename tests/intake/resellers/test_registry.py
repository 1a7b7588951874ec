"""What a CIP certification's list of foreign resellers (§7.304(a)(2)(viii)) does to the
registry, beside the compiled certification of their CIPs (§7.304(f)), and how an exempt
reseller (§7.306(e)) is marked wherever it is listed."""

import csv
import io
import json

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from intake import registry as provider_registry
from intake import services
from intake.examples import payload
from intake.models import ForeignReseller
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    log_in,
    make_filing,
    make_provider,
    make_user,
)
from tests.intake.resellers.test_import import csv_file, reseller, upload


def listed(provider):
    db.session.expire_all()
    return {
        reseller.name: reseller
        for reseller in db.session.scalars(
            select(ForeignReseller).where(ForeignReseller.provider_id == provider.id)
        )
    }


def rows_of(page: str) -> dict[str, str]:
    """Each reseller row of a page, as text, by the reseller's name."""
    rows = {}
    for chunk in page.split('<tr data-testid="reseller-row">')[1:]:
        row = chunk.split("</tr>", 1)[0]
        name = row.split("<td>", 2)[1].split("</td>", 1)[0]
        rows[name] = row
    return rows


def test_the_resellers_a_certification_lists_are_on_the_registry_with_their_source(client):
    provider = make_provider()
    analyst = make_user(Role.ANALYST)
    certification = make_filing(provider, actor=analyst)
    log_in(client, make_user(Role.VIEWER))

    page = client.get(f"/intake/providers/{provider.id}").text

    assert "No foreign resellers on record." not in page
    rows = rows_of(page)
    assert set(rows) == {"Rheinland Cloud GmbH", "Sakura Hosting KK"}
    row = rows["Sakura Hosting KK"]
    assert "Listed in the CIP certification <a" in row
    assert f'href="/intake/filings/{certification.receipt_number}"' in row
    assert "§7.304(a)(2)(viii)" in row
    assert "CIP not yet certified in a compiled certification" in row
    assert "§7.304(f)" in row
    full_list = rows_of(client.get(f"/intake/providers/{provider.id}/resellers").text)
    assert certification.receipt_number in full_list["Rheinland Cloud GmbH"]
    assert all(reseller.status == "active" for reseller in listed(provider).values())
    # Listed but not yet certified: the next compiled certification owes their CIPs.
    assert len(services.resellers_expected_in_certification(provider)) == 2
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "reseller.listed")
    ).one()
    assert json.loads(event.after_json)["added"] == [
        "Rheinland Cloud GmbH (DE)",
        "Sakura Hosting KK (JP)",
    ]
    assert event.actor_id == analyst.id


def test_a_compiled_certification_certifies_a_listed_reseller_matched_by_name(client):
    provider = make_provider()
    certification = make_filing(provider)
    log_in(client, make_user(Role.ANALYST))

    written_otherwise = reseller(reseller_name="RHEINLAND  cloud GmbH", jurisdiction="DE")
    upload(client, provider, "2026.csv", csv_file([written_otherwise]))

    on_record = listed(provider)
    assert set(on_record) == {"Rheinland Cloud GmbH", "Sakura Hosting KK"}
    compiled = on_record["Rheinland Cloud GmbH"].certified_in
    assert compiled.kind == "reseller_certification"
    rows = rows_of(client.get(f"/intake/providers/{provider.id}/resellers").text)
    assert "CIP certified in <a" in rows["Rheinland Cloud GmbH"]
    assert compiled.receipt_number in rows["Rheinland Cloud GmbH"]
    assert certification.receipt_number in rows["Rheinland Cloud GmbH"]
    assert "not yet certified" not in rows["Rheinland Cloud GmbH"]
    assert "CIP not yet certified" in rows["Sakura Hosting KK"]


def test_a_certification_leaving_a_reseller_out_is_flagged_and_ends_nothing(client):
    provider = make_provider()
    first = make_filing(provider)
    only_one = [{"name": "Rheinland Cloud GmbH", "jurisdiction": "DE"}]
    data = payload("cip_certification", foreign_resellers=only_one)
    submission = services.Submission(
        kind="cip_certification", payload=data, raw=json.dumps(data), channel="api",
        supersedes=first.receipt_number,
    )  # fmt: skip
    second = services.receive_filing(provider, submission).filing
    db.session.commit()

    [warning] = second.warnings
    assert warning["field"] == "foreign_resellers"
    assert warning["citation"] == "§7.304(a)(2)(viii)"
    assert "1 active foreign reseller(s) on record are not in the list" in warning["message"]
    assert "Sakura Hosting KK (JP)" in warning["message"]
    on_record = listed(provider)
    assert on_record["Sakura Hosting KK"].status == "active"
    assert on_record["Sakura Hosting KK"].listed_in_id == first.id
    assert on_record["Rheinland Cloud GmbH"].listed_in_id == second.id
    log_in(client, make_user(Role.VIEWER))
    page = client.get(f"/intake/filings/{second.receipt_number}").text
    assert "Accepted with a flag: 1 active foreign reseller(s)" in page


def test_an_exempt_reseller_is_marked_wherever_it_is_listed(client):
    provider = make_provider()
    # The request names a reseller the registry does not list yet; the certification does.
    case = file_exemption_request(
        provider, scope="foreign_reseller", reseller_name="Sakura Hosting KK",
        reseller_jurisdiction="JP",
    )  # fmt: skip
    assert case.reseller_id is None
    grant_exemption(case, analyst=make_user(Role.ANALYST), reviewer=make_user(Role.REVIEWER))
    make_filing(provider)
    log_in(client, make_user(Role.ANALYST))

    provider_page = client.get(f"/intake/providers/{provider.id}").text
    list_page = client.get(f"/intake/providers/{provider.id}/resellers").text
    for page in (provider_page, list_page):
        rows = rows_of(page)
        assert 'data-testid="reseller-exempt">Exempt<' in rows["Sakura Hosting KK"]
        assert "exempt since 2027-03-01 (§7.306(e))" in rows["Sakura Hosting KK"]
        assert f'href="/exemptions/requests/{case.id}"' in rows["Sakura Hosting KK"]
        assert "not yet certified" not in rows["Sakura Hosting KK"]
        assert "Exempt" not in rows["Rheinland Cloud GmbH"]
    sakura = listed(provider)["Sakura Hosting KK"]
    assert "Foreign reseller Sakura Hosting KK (§7.303(d)) — exempt (§7.306(e))" in provider_page
    export = client.get(f"/intake/providers/{provider.id}/resellers.csv")
    text = export.data.decode("utf-8-sig")
    exported = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert "exempt since 2027-03-01" in exported["Sakura Hosting KK"]["exemption"]
    assert exported["Rheinland Cloud GmbH"]["exemption"] == ""
    assert exported["Sakura Hosting KK"]["listed_in"].startswith("OICTS-")
    assert [r.name for r in services.resellers_expected_in_certification(provider)] == [
        "Rheinland Cloud GmbH"
    ]

    # Neither a certification's list nor a compiled file need name it (§7.306(e)).
    rheinland_only = [{"name": "Rheinland Cloud GmbH", "jurisdiction": "DE"}]
    data = payload("cip_certification", foreign_resellers=rheinland_only)
    later = services.receive_filing(
        provider,
        services.Submission(kind="cip_certification", payload=data, raw=json.dumps(data),
                            channel="api"),
    ).filing  # fmt: skip
    db.session.commit()
    assert later.warnings == []
    page = upload(client, provider, "2026.csv", csv_file([reseller()]), follow_redirects=True)
    assert "not in the file" not in page.text
    assert (
        sakura.id in provider_registry.expectations_of(provider, later.received_on).exempt_resellers
    )
