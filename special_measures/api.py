"""The public list of special measures in force, for providers' systems: JSON, CSV and
iCalendar at ``/api/v1/special-measures`` (no sign-in; determinations are unclassified)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, request, url_for
from flask.typing import ResponseReturnValue

from core import clocks, exports, openapi
from core.access import public
from core.db import utcnow
from core.problems import problem
from core.rate_limits.services import RateLimit, client_address, limited
from core.schema import Problem
from special_measures import reports, services
from special_measures.rules import MeasureKind, SubjectKind

bp = Blueprint("special_measures_api", __name__, url_prefix="/api/v1")

TAG = "Special measures"
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# The three formats count together, per address: the feed needs no sign-in.
FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_PUBLIC_FEED",
    scope="public-feed",
    key=client_address,
    refusal="Too many requests for the list of special measures from this address",
)


def _day() -> date | Response:
    """The day asked about (``?on=YYYY-MM-DD``), else the office's today: every format of the
    feed answers for the same day."""
    if "on" not in request.args:
        return clocks.office_today()
    text = request.args["on"]
    try:
        # Only YYYY-MM-DD, the document's date format (Python also reads 20270105 and weeks).
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        return problem(
            400,
            "The day asked about is not a date.",
            kind="invalid-request",
            errors=[Problem("on", "Give the day as YYYY-MM-DD.", "")],
        )


@bp.get("/special-measures")
@public
@limited(FROM_ADDRESS)
def measures_json() -> ResponseReturnValue:
    day = _day()
    if isinstance(day, Response):
        return day
    measures = services.in_force_on(day)
    return {
        "in_force_on": day.isoformat(),
        "citation": "15 CFR 7.307",
        "count": len(measures),
        "measures": [reports.feed_record(case) for case in measures],
    }


@bp.get("/special-measures.csv")
@public
@limited(FROM_ADDRESS)
def measures_csv() -> ResponseReturnValue:
    day = _day()
    if isinstance(day, Response):
        return day
    return exports.csv_text_download(
        reports.feed_csv(services.in_force_on(day)),
        filename=f"special-measures-{day.isoformat()}.csv",
    )


@bp.get("/special-measures.ics")
@public
@limited(FROM_ADDRESS)
def measures_calendar() -> ResponseReturnValue:
    day = _day()
    if isinstance(day, Response):
        return day
    body = reports.feed_calendar(
        services.in_force_on(day),
        generated_at=utcnow(),
        base_url=url_for("special_measures_api.measures_json", _external=True),
    )
    return exports.download(
        body, filename=f"special-measures-{day.isoformat()}.ics", mimetype="text/calendar"
    )


# --- What the feed promises, for the OpenAPI document -----------------------------------------

DAY = {
    "name": "on",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "format": "date"},
    "description": "The day asked about, YYYY-MM-DD; the office's today when left out",
}

_TEXT_OR_NULL = {"type": ["string", "null"]}

MEASURE = openapi.closed_object(
    properties={
        "reference": {"type": "string", "description": "The determination's reference"},
        "subject_kind": {"type": "string", "enum": [kind.value for kind in SubjectKind]},
        "jurisdiction": _TEXT_OR_NULL | {"description": "ISO 3166-1 alpha-2 code"},
        "region": _TEXT_OR_NULL,
        "person_name": _TEXT_OR_NULL,
        "aliases": {"type": "array", "items": {"type": "string"}},
        "measure_paragraph": {"type": "string", "description": "§7.307(b)(1) or (b)(2)"},
        "measure_kind": {"type": "string", "enum": [kind.value for kind in MeasureKind]},
        "conditions": _TEXT_OR_NULL,
        "issued_on": {"type": "string", "format": "date"},
        "compliance_from": {
            "type": "string",
            "format": "date",
            "description": "Providers must comply from this day (§7.307(a)(6))",
        },
        "in_effect_through": {
            "type": "string",
            "format": "date",
            "description": "The last day in effect, extensions included (§7.307(a)(5))",
        },
        "extended": {"type": "boolean"},
        "federal_register": _TEXT_OR_NULL | {"description": "Citation of the publication"},
    },
)

FEED = openapi.closed_object(
    properties={
        "in_force_on": {"type": "string", "format": "date"},
        "citation": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "measures": {"type": "array", "items": openapi.ref("SpecialMeasure")},
    },
)


def _feed_operation(operation_id: str, summary: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [TAG],
        "summary": summary,
        "security": [],
        "parameters": [DAY],
        "responses": {
            "200": {"description": "The measures in force that day", "content": content},
            "400": openapi.problem_response("The day is not written YYYY-MM-DD (invalid-request)"),
            "500": openapi.problem_response("A fault in the system"),
        },
    }


def openapi_part() -> openapi.ApiPart:
    columns = ", ".join(reports.FEED_FIELDS)
    return openapi.ApiPart(
        tag=TAG,
        description="The special measures in force (§7.307), without signing in. The JSON, "
        "the CSV and the calendar answer for the same day.",
        paths={
            "/special-measures": {
                "get": _feed_operation(
                    "listSpecialMeasures",
                    "The special measures in force on a day, as JSON",
                    {"application/json": {"schema": openapi.ref("SpecialMeasureFeed")}},
                )
            },
            "/special-measures.csv": {
                "get": _feed_operation(
                    "listSpecialMeasuresCsv",
                    "The same list as CSV (UTF-8 with a byte-order mark), one row per measure "
                    f"with the columns {columns}: aliases joined by '; ', extended written "
                    "true or false, an empty cell where the JSON has null",
                    {"text/csv": {"schema": {"type": "string"}}},
                )
            },
            "/special-measures.ics": {
                "get": _feed_operation(
                    "listSpecialMeasuresCalendar",
                    "The same list as an iCalendar feed (RFC 5545): for each measure, the day "
                    "it was imposed, the day providers must comply from and its last day",
                    {"text/calendar": {"schema": {"type": "string"}}},
                )
            },
        },
        schemas={"SpecialMeasure": MEASURE, "SpecialMeasureFeed": FEED},
    )


openapi.register_part("special-measures", openapi_part)
