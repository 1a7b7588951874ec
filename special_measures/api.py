"""The public list of special measures in force, for providers' systems: JSON, CSV and
iCalendar at ``/api/v1/special-measures`` (no sign-in; determinations are unclassified)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from core import clocks, exports
from core.access import public
from core.db import utcnow
from special_measures import reports, services

bp = Blueprint("special_measures_api", __name__, url_prefix="/api/v1")


def _day() -> date | Response:
    """The day asked about (``?on=YYYY-MM-DD``), else the office's today."""
    text = request.args.get("on", "").strip()
    if not text:
        return clocks.office_today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        response = jsonify(
            {"status": 400, "title": "Bad Request", "errors": [
                {"path": "on", "message": "Give the day as YYYY-MM-DD."}]}
        )  # fmt: skip
        response.status_code = 400
        return response


@bp.get("/special-measures")
@public
def measures_json() -> ResponseReturnValue:
    day = _day()
    if isinstance(day, Response):
        return day
    measures = services.in_force_on(day)
    return jsonify(
        {
            "in_force_on": day.isoformat(),
            "citation": "15 CFR 7.307",
            "count": len(measures),
            "measures": [reports.feed_record(case) for case in measures],
        }
    )


@bp.get("/special-measures.csv")
@public
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
def measures_calendar() -> ResponseReturnValue:
    body = reports.feed_calendar(
        services.in_force_on(clocks.office_today()),
        generated_at=utcnow(),
        base_url=url_for("special_measures_api.measures_json", _external=True),
    )
    return exports.download(body, filename="special-measures.ics", mimetype="text/calendar")
