"""What a compiled certification (§7.304(f)) does to a list already on record: each row added,
updated or unchanged, the resellers it leaves out, and the ones it certifies for the first time,
on a file mixing all of them."""

import csv
import io

from sqlalchemy import select

from core.auth.rules import Role
from core.db import db
from intake.models import Filing, reseller_search_name
from tests.factories import (
    file_exemption_request,
    grant_exemption,
    log_in,
    make_filing,
    make_provider,
    make_user,
)
from tests.intake.resellers.test_import import csv_file, reseller, upload
from tests.intake.resellers.test_registry import listed


def _results(client, page):
    text = client.get(page.request.path + "/results.csv").data.decode("utf-8-sig")
    return [(row["reseller_name"], row["result"]) for row in csv.DictReader(io.StringIO(text))]


def _compiled(provider):
    return list(
        db.session.scalars(
            select(Filing)
            .where(Filing.provider_id == provider.id, Filing.kind == "reseller_certification")
            .order_by(Filing.id)
        )
    )


FIRST = [
    reseller(reseller_name="Andes Nube SpA", jurisdiction="CL",
             contact_email="ops@andes-nube.example"),
    reseller(reseller_name="Baltic Compute OU", jurisdiction="EE",
             contact_email="ops@baltic-compute.example"),
    reseller(reseller_name="Cedar Hosting Ltd", jurisdiction="GB",
             contact_email="Mary.Major@cedar-hosting.example"),
    reseller(reseller_name="Delta Servers BV", jurisdiction="NL",
             contact_email="ops@delta-servers.example"),
    reseller(reseller_name="Hallo Rechenzentrum AG", jurisdiction="CH",
             contact_email="Info@hallo-rz.example", contact_title="Head of Compliance"),
]  # fmt: skip

SECOND = [
    # Written otherwise: the same reseller by name and jurisdiction, nothing else changed.
    {**FIRST[0], "reseller_name": "ANDES  nube SpA", "jurisdiction": "cl"},
    {**FIRST[1], "contact_name": "Jaan Tamm"},
    # The same mailbox written in other case: no change, and the address stays as first given.
    {**FIRST[2], "contact_email": "mary.major@cedar-hosting.example"},
    # The case of the address changed with something else: updated, the address as now given.
    {**FIRST[4], "contact_email": "info@hallo-rz.example", "contact_title": "Compliance Lead"},
    # Listed by the CIP certification, never certified: its contact is what is new.
    reseller(),
    reseller(reseller_name="Gamma Cloud Pty Ltd", jurisdiction="AU",
             contact_email="ops@gamma-cloud.example"),
]  # fmt: skip


def test_a_mixed_file_adds_updates_and_keeps_each_reseller_as_before(client):
    provider = make_provider()
    exemption = file_exemption_request(
        provider, scope="foreign_reseller", reseller_name="Sakura Hosting KK",
        reseller_jurisdiction="JP",
    )  # fmt: skip
    grant_exemption(exemption, analyst=make_user(Role.ANALYST), reviewer=make_user(Role.REVIEWER))
    make_filing(provider)  # lists Rheinland Cloud GmbH and Sakura Hosting KK, certifies neither
    log_in(client, make_user(Role.ANALYST))
    upload(client, provider, "first.csv", csv_file(FIRST))

    page = upload(client, provider, "second.csv", csv_file(SECOND), follow_redirects=True)

    assert "6 foreign resellers certified: 1 added, 3 updated, 2 unchanged" in page.text
    assert _results(client, page) == [
        ("ANDES  nube SpA", "unchanged"),
        ("Baltic Compute OU", "updated"),
        ("Cedar Hosting Ltd", "unchanged"),
        ("Hallo Rechenzentrum AG", "updated"),
        ("Rheinland Cloud GmbH", "updated"),
        ("Gamma Cloud Pty Ltd", "added"),
    ]
    first, second = _compiled(provider)
    records = listed(provider)
    assert set(records) == {
        "Andes Nube SpA", "Baltic Compute OU", "Cedar Hosting Ltd", "Delta Servers BV",
        "Hallo Rechenzentrum AG", "Rheinland Cloud GmbH", "Sakura Hosting KK",
        "Gamma Cloud Pty Ltd",
    }  # fmt: skip
    assert records["Baltic Compute OU"].contact_name == "Jaan Tamm"
    assert records["Cedar Hosting Ltd"].contact_email == "Mary.Major@cedar-hosting.example"
    assert records["Hallo Rechenzentrum AG"].contact_email == "info@hallo-rz.example"
    assert records["Hallo Rechenzentrum AG"].contact_title == "Compliance Lead"
    assert records["Rheinland Cloud GmbH"].contact_name == "Katrin Vogel"
    added = records["Gamma Cloud Pty Ltd"]
    assert (added.status, added.jurisdiction, added.contact_phone) == (
        "active",
        "AU",
        "+493055501234",
    )
    assert added.search_name == reseller_search_name("Gamma Cloud Pty Ltd")
    certified = {name for name, row in records.items() if row.certified_in_id == second.id}
    assert certified == {
        "Andes Nube SpA", "Baltic Compute OU", "Cedar Hosting Ltd", "Hallo Rechenzentrum AG",
        "Rheinland Cloud GmbH", "Gamma Cloud Pty Ltd",
    }  # fmt: skip
    assert records["Delta Servers BV"].certified_in_id == first.id
    assert records["Sakura Hosting KK"].certified_in_id is None
    # The second file the same day is early too (§7.304(f)); the flags about the list follow.
    left_out, served_early = (warning["message"] for warning in second.warnings[-2:])
    # The exempt reseller need not be in the file (§7.306(e)).
    assert "1 active foreign reseller(s) on record are not in the file" in left_out
    assert "Delta Servers BV (NL)" in left_out
    assert "Sakura" not in left_out
    # Neither had been certified before this file (§7.304(d)).
    assert "2 foreign reseller(s) no earlier compiled certification certified" in served_early
    assert "Rheinland Cloud GmbH (DE, began 2024-02-01)" in served_early
    assert "Gamma Cloud Pty Ltd (AU, began 2024-02-01)" in served_early


def test_an_ended_relationship_updates_the_reseller_and_the_same_file_again_changes_nothing(
    client,
):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    upload(client, provider, "first.csv", csv_file(FIRST))
    ended = [{**FIRST[0], "relationship_ended_on": "2025-09-30"}, *FIRST[1:]]

    page = upload(client, provider, "ended.csv", csv_file(ended), follow_redirects=True)
    again = upload(client, provider, "again.csv", csv_file(ended), follow_redirects=True)

    assert "5 foreign resellers certified: 0 added, 1 updated, 4 unchanged" in page.text
    assert _results(client, page)[0] == ("Andes Nube SpA", "updated")
    assert "5 foreign resellers certified: 0 added, 0 updated, 5 unchanged" in again.text
    assert listed(provider)["Andes Nube SpA"].status == "ended"
    # An ended relationship is not expected in the next file: leaving it out flags nothing.
    upload(client, provider, "without.csv", csv_file(ended[1:]))
    latest = _compiled(provider)[-1]
    assert all("not in the file" not in warning["message"] for warning in latest.warnings)
