"""The public feed as a provider's system reads it: the three formats agree on the day asked
about, the CSV is what a machine reader expects, and errors are problem documents."""

import csv
import io
from datetime import timedelta

import pytest

from core.clocks import office_today
from special_measures import services
from tests.factories import extend_measure, make_measure


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_json_the_csv_and_the_calendar_answer_for_the_same_day(client):
    case = make_measure()
    for day, in_force in ((case.last_day_on, 1), (case.last_day_on + timedelta(days=1), 0)):
        query = f"?on={day.isoformat()}"
        listing = client.get(f"/api/v1/special-measures{query}").get_json()
        table = client.get(f"/api/v1/special-measures.csv{query}")
        calendar = client.get(f"/api/v1/special-measures.ics{query}")
        assert listing["count"] == len(_rows(table)) == in_force
        assert calendar.text.count("BEGIN:VEVENT") == 3 * in_force
        disposition = calendar.headers["Content-Disposition"]
        assert f'filename="special-measures-{day.isoformat()}.ics"' in disposition


def test_the_csv_has_one_charset_and_writes_true_or_false(client):
    plain = make_measure()
    extended = make_measure(kind="person")
    extend_measure(
        extended, new_last_day=extended.last_day_on + timedelta(days=365),
        published_on=office_today(),
    )  # fmt: skip
    response = client.get("/api/v1/special-measures.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    flags = {row["reference"]: row["extended"] for row in _rows(response)}
    assert flags == {plain.reference: "false", extended.reference: "true"}


def test_a_day_not_written_as_a_date_is_a_problem_document_in_every_format(client):
    for suffix in ("", ".csv", ".ics"):
        refused = client.get(f"/api/v1/special-measures{suffix}?on=31/12/2027")
        assert refused.status_code == 400
        assert refused.headers["Content-Type"] == "application/problem+json"
        problem = refused.get_json()
        assert problem["type"].endswith("/api/v1/problems/invalid-request")
        assert problem["instance"] == f"/api/v1/special-measures{suffix}"
        assert problem["errors"] == [
            {"field": "on", "message": "Give the day as YYYY-MM-DD.", "citation": ""}
        ]


@pytest.mark.parametrize("day", ["", "20271231", "2027-W52-5", " 2027-12-31"])
def test_only_a_day_written_yyyy_mm_dd_is_read_and_an_empty_one_is_refused(client, day):
    refused = client.get("/api/v1/special-measures", query_string={"on": day})
    assert refused.status_code == 400
    assert refused.get_json()["errors"][0]["field"] == "on"


def test_a_failure_behind_the_feed_is_a_problem_document_with_a_reference(client, monkeypatch):
    def broken(day):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "in_force_on", broken)
    response = client.get("/api/v1/special-measures")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.get_json()["reference"] in response.get_json()["detail"]
