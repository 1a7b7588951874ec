"""The list of a provider's foreign resellers (§7.303), which may run to tens of thousands: the
provider page shows the first few, the list page pages, filters and exports them, and a request
for one reseller's CIP starts from its row."""

import csv
import io
import json

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.auth.rules import Role
from core.db import db
from intake.models import DepartmentRequest
from tests.factories import log_in, make_provider, make_resellers, make_user


def test_the_provider_page_shows_the_first_resellers_and_links_to_all(client):
    provider = make_provider()
    make_resellers(provider, 250)
    log_in(client, make_user(Role.VIEWER))

    page = client.get(f"/intake/providers/{provider.id}").text

    assert "Reseller 00000 Cloud Ltd" in page
    assert "Reseller 00019 Cloud Ltd" in page
    assert "Reseller 00020 Cloud Ltd" not in page
    assert "Showing 20 of 250." in page
    assert f'href="/intake/providers/{provider.id}/resellers"' in page


def test_the_list_pages_and_filters_by_name_jurisdiction_and_status(client):
    provider = make_provider()
    resellers = make_resellers(provider, 120)
    resellers[7].status = "ended"
    db.session.commit()
    log_in(client, make_user(Role.ANALYST))
    url = f"/intake/providers/{provider.id}/resellers"

    first = client.get(url).text
    third = client.get(url, query_string={"page": 3}).text
    japanese = client.get(url, query_string={"jurisdiction": "JP"}).text
    ended = client.get(url, query_string={"status": "ended"}).text
    by_name = client.get(url, query_string={"name": "00042"}).text
    wildcard = client.get(url, query_string={"name": "%"}).text

    assert "1–50 of 120 foreign resellers" in first
    # Active resellers come first, so the ended one is on the last page.
    assert "Reseller 00050 Cloud Ltd" in first and "Reseller 00051 Cloud Ltd" not in first
    assert "Reseller 00007 Cloud Ltd" not in first
    assert "101–120 of 120 foreign resellers" in third and "Reseller 00007 Cloud Ltd" in third
    assert "1–15 of 15 foreign resellers" in japanese and "Reseller 00001 Cloud Ltd" in japanese
    assert "Reseller 00002 Cloud Ltd" not in japanese
    assert "1–1 of 1 foreign reseller<" in ended and "Reseller 00007 Cloud Ltd" in ended
    assert "1–1 of 1 foreign reseller<" in by_name and "Reseller 00042 Cloud Ltd" in by_name
    assert ">0 foreign resellers<" in wildcard  # a % in the box is a character, not a wildcard
    # An address naming the provider again is still this provider's list, its links too.
    other = make_provider("Other Cloud LLC")
    db.session.commit()
    doubled = client.get(url, query_string={"provider_id": other.id, "page": 2})
    assert doubled.status_code == 200 and "51–100 of 120 foreign resellers" in doubled.text
    assert f"/intake/providers/{other.id}/" not in doubled.text


def test_the_list_downloads_as_csv_with_its_filters_and_is_audited(client):
    provider = make_provider()
    make_resellers(provider, 30)
    log_in(client, make_user(Role.ANALYST))

    download = client.get(
        f"/intake/providers/{provider.id}/resellers.csv", query_string={"jurisdiction": "DE"}
    )

    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert len(rows) == 4
    assert {row["jurisdiction"] for row in rows} == {"DE"}
    assert rows[0]["name"] == "Reseller 00000 Cloud Ltd"
    assert rows[0]["contact_email"] == "compliance0@reseller0.example"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.resellers")
    ).one()
    assert json.loads(event.after_json) == {"filters": {"jurisdiction": "DE"}, "rows": 4}


def test_with_a_long_list_a_resellers_cip_is_requested_from_its_row(client):
    provider = make_provider()
    resellers = make_resellers(provider, 150)
    wanted = resellers[123]
    log_in(client, make_user(Role.ANALYST))

    listing = client.get(
        f"/intake/providers/{provider.id}/resellers", query_string={"name": "00123"}
    ).text
    link = f"/intake/providers/{provider.id}?reseller={wanted.id}#request-cip"
    assert link in listing.replace("&amp;", "&")
    form_page = client.get(f"/intake/providers/{provider.id}?reseller={wanted.id}").text
    assert f'<option selected value="{wanted.id}">' in form_page
    assert form_page.count("<option") == 2  # the provider's own CIP and the chosen reseller's
    assert "choose “Request its CIP” beside it on the list" in form_page

    client.post(
        f"/intake/providers/{provider.id}/requests",
        data={"reseller": str(wanted.id), "requested_on": "2026-11-20", "note": ""},
    )

    request_row = db.session.scalars(select(DepartmentRequest)).one()
    assert request_row.reseller_id == wanted.id
    assert request_row.kind == "reseller_cip_copy"


def test_a_reseller_of_another_provider_cannot_be_named_in_a_request(client):
    provider, other = make_provider(), make_provider()
    elsewhere = make_resellers(other, 1)[0]
    log_in(client, make_user(Role.ANALYST))

    answer = client.post(
        f"/intake/providers/{provider.id}/requests",
        data={"reseller": str(elsewhere.id), "requested_on": "2026-11-20", "note": ""},
    )

    assert answer.status_code == 422
    assert "Not a valid choice" in answer.text
    assert db.session.scalars(select(DepartmentRequest)).first() is None
