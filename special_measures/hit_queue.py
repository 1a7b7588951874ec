"""The queue of screening hits nobody has decided yet, across providers, oldest first, each
decided where it is listed with the same form and service as on its run's page (§7.307;
docs/architecture.md §5). Its pages are on special measures' blueprint."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from core import clocks
from core.access import STAFF, roles_required
from core.listing import Listing, ListPage, SortColumn, list_args, page_of
from core.urls import parse_record_id
from intake import services as intake
from intake.models import Provider
from special_measures import screening, services
from special_measures.forms import HitDecisionForm, HitQueueFilterForm
from special_measures.hit_decisions import decide_with
from special_measures.models import ScreeningHit, ScreeningRun, SpecialMeasureCase
from special_measures.views import RECORDERS, bp

# Oldest first: a hit waits in the order it was found.
QUEUE = Listing(
    "screening-hits",
    columns=(
        SortColumn("found", "Found (Eastern)", (ScreeningRun.ran_at,)),
        SortColumn("provider", "Provider", (Provider.legal_name,)),
        SortColumn("party", "Party", (ScreeningHit.party_name,)),
        SortColumn("measure", "Measure", (SpecialMeasureCase.reference,)),
        SortColumn("score", "Score", (ScreeningHit.score,), descending_first=True),
    ),
    default_sort="found",
    tiebreak=(ScreeningHit.id,),
    default_page_size=25,
)


def _filters() -> tuple[HitQueueFilterForm, int | None, int | None]:
    form = HitQueueFilterForm(request.args)
    providers, measures = screening.undecided_hit_filters(clocks.office_today())
    provider_id = request.args.get("provider", type=parse_record_id)
    case_id = request.args.get("measure", type=parse_record_id)
    # One chosen whose last hit was just decided stays chosen, so the list says it is done.
    if (
        provider_id
        and provider_id not in dict(providers)
        and (chosen := intake.get_provider(provider_id))
    ):
        providers.append((chosen.id, chosen.legal_name))
    if case_id and case_id not in dict(measures) and (measure := services.get_case(case_id)):
        measures.append((measure.id, measure.reference))
    form.provider.choices = [SelectChoice("", "Every provider")] + [
        SelectChoice(str(key), name) for key, name in providers
    ]
    form.measure.choices = [SelectChoice("", "Every measure in force")] + [
        SelectChoice(str(key), reference) for key, reference in measures
    ]
    return form, provider_id, case_id


def _render_queue(failed: tuple[int, HitDecisionForm] | None = None) -> str:
    form, provider_id, case_id = _filters()
    page: ListPage = page_of(
        QUEUE,
        screening.undecided_hits(clocks.office_today(), provider_id=provider_id, case_id=case_id),
        scalars=False,
    )
    forms = {
        row.ScreeningHit.id: HitDecisionForm(prefix=f"hit{row.ScreeningHit.id}", formdata=None)
        for row in page.items
    }
    if failed:
        forms[failed[0]] = failed[1]
    return render_template(
        "special_measures/hit_queue.html", page=page, form=form, forms=forms,
        filtered=provider_id is not None or case_id is not None,
    )  # fmt: skip


@bp.get("/screening/hits")
@roles_required(*STAFF)
def hit_queue() -> ResponseReturnValue:
    return _render_queue()


@bp.post("/screening/hits/<int:hit_id>/from-queue")
@roles_required(*RECORDERS)
def decide_queued_hit(hit_id: int) -> ResponseReturnValue:
    """The queue's form posts with the queue's own filters, order and page in its address, so
    that the person comes back to the same place in the list."""
    hit: ScreeningHit = screening.get_hit(hit_id) or abort(404)
    return decide_with(
        hit,
        HitDecisionForm(prefix=f"hit{hit.id}"),
        then=lambda: redirect(url_for("special_measures.hit_queue", **list_args())),
        page=lambda form: _render_queue((hit.id, form)),
    )
