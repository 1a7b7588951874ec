"""The filings inbox at /intake/filings: every filing across providers, newest first, filtered,
sorted and paged on the server (core/listing.py), and downloaded as the filters select it. Its
routes are on intake's blueprint."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import clocks, exports
from core.access import STAFF, roles_required
from core.listing import Listing, SortColumn, page_of, sorted_query
from intake.filings import reports, rules, services
from intake.filings.forms import FilingFilterForm
from intake.models import Filing, Provider
from intake.reviews import services as reviews
from intake.views import CUI_FILINGS, bp

FILINGS = Listing(
    "filings",
    columns=(
        SortColumn("received", "Received (Eastern)", (Filing.received_at,), descending_first=True),
        SortColumn("receipt", "Receipt", (Filing.receipt_number,)),
        SortColumn("kind", "Kind", (services.KIND_TITLE,)),
        SortColumn("provider", "Provider", (Provider.legal_name,)),
        SortColumn("channel", "Channel", (services.CHANNEL_SHOWN,)),
        SortColumn("timeliness", "Timeliness", (services.TIMELINESS_RANK,), descending_first=True),
        SortColumn("warnings", "Warnings", (services.WARNING_COUNT,), descending_first=True),
    ),
    default_sort="received",
    default_descending=True,
    # Receipt numbers follow the order of arrival; the id breaks ties of the same instant.
    tiebreak=(Filing.id,),
)


def _criteria() -> tuple[FilingFilterForm, services.FilingCriteria]:
    """The filters asked for; one that is not valid is named at its field and the others
    still apply."""
    form = FilingFilterForm(request.args)
    form.validate()

    def valid(name: str) -> object:
        field = form[name]
        return None if field.errors else field.data

    return form, services.FilingCriteria(
        kind=valid("kind") or "",
        provider=valid("provider") or "",
        channel=valid("channel") or "",
        timeliness=valid("timeliness") or "",
        warnings=valid("warnings") or "",
        review=valid("review") or "",
        # An end that is not a date leaves the start as asked; a reversed range neither end.
        received_from=None
        if rules.range_reversed(form.received_from.data, form.received_through.data)
        else valid("received_from"),
        received_through=valid("received_through"),
    )


@bp.get("/filings")
@roles_required(*STAFF)
def filings() -> ResponseReturnValue:
    form, criteria = _criteria()
    page = page_of(
        FILINGS, services.inbox_query(criteria), counted=services.inbox_count_query(criteria)
    )
    today = clocks.office_today()
    reviewed = reviews.reviews_of(filing.id for filing in page.items)
    return render_template(
        "intake/filings.html",
        cui=CUI_FILINGS,
        form=form,
        page=page,
        standings={
            filing.id: reviews.standing_of(filing, reviewed.get(filing.id), today)
            for filing in page.items
        },
        kind_of=reports.kind_of,
        channel_shown=rules.channel_shown,
        timeliness_shown=rules.timeliness_shown,
    )


def _export(file_format: str) -> tuple[tuple[str, ...], list[tuple[object, ...]], str]:
    _, criteria = _criteria()
    rows = services.export_filings(
        sorted_query(FILINGS, services.export_query(criteria)),
        criteria,
        actor=current_user,
        file_format=file_format,
    )
    name = f"filings-{clocks.office_today().isoformat()}.{file_format}"
    return services.EXPORT_HEADER, list(reports.export_cells(rows)), name


@bp.get("/filings.csv")
@roles_required(*STAFF)
def filings_csv() -> ResponseReturnValue:
    header, rows, name = _export("csv")
    return exports.csv_download(header, rows, filename=name)


@bp.get("/filings.xlsx")
@roles_required(*STAFF)
def filings_xlsx() -> ResponseReturnValue:
    header, rows, name = _export("xlsx")
    return exports.xlsx_download(header, rows, filename=name, sheet="Filings")
