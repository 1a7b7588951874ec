"""Intake pages: the provider registry, filings keyed in by analysts, receipts, requests."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import clocks, exports, formerrors, pdf, subjects
from core.access import STAFF, roles_required
from core.auth.rules import Role
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.listing import Listing, SortColumn, page_of
from core.office import services as office
from core.schema import Problem
from core.schema_forms import form_state, payload_from_form, table_to_grow
from core.urls import parse_record_id
from intake import kinds, reports, rules, services
from intake import registry as provider_registry
from intake.correspondence import requests as sent_requests
from intake.correspondence import services as sent_services
from intake.correspondence import views as sent_views
from intake.correspondence.forms import HAND
from intake.correspondence.rules import SENT_BY_LABELS
from intake.forms import CipRequestForm, ProviderFilterForm, ResellerFilterForm, ResponseForm
from intake.models import ApiToken, DepartmentRequest, Filing, ForeignReseller, Provider
from intake.resellers import registry as reseller_registry

bp = Blueprint("intake", __name__, url_prefix="/intake")

# Personal data of providers' staff and customers, and providers' proprietary business
# information (32 CFR 2002.20; CUI categories Privacy and Proprietary Business Information).
CUI_FILINGS = pdf.FILINGS.banner
CASE_WORKERS = (Role.ANALYST, Role.REVIEWER)


def provider_link(provider_id: str) -> str:
    return url_for("intake.provider", provider_id=provider_id)


def _provider_or_404(provider_id: int) -> Provider:
    return services.get_provider(provider_id) or abort(404)


def _filing_or_404(receipt_number: str) -> Filing:
    return services.get_filing(receipt_number) or abort(404)


# --- The registry ---------------------------------------------------------------------------


def providers_listing(registry: provider_registry.RegistryQuery) -> Listing:
    """The registry sorted and paged by the database; its status (a function of the day and of
    the waivers in force) and its last certification are the query's own expressions. The next
    due date is a year after the last certification, so it sorts as that does; a provider never
    certified has neither and is listed last either way."""
    return Listing(
        "providers",
        columns=(
            SortColumn("name", "Legal name", (provider_registry.PROVIDER_NAME,)),
            SortColumn(
                "status",
                "Certification (§7.304(b))",
                (registry.status, provider_registry.PROVIDER_NAME),
            ),
            SortColumn("last", "Last certified", (registry.last_certified_on,), nulls_last=True),
            SortColumn("due", "Next due", (registry.last_certified_on,), nulls_last=True),
        ),
        default_sort="name",
        tiebreak=(Provider.id,),
    )


def _provider_criteria() -> tuple[ProviderFilterForm, provider_registry.ProviderCriteria]:
    form = ProviderFilterForm(request.args)
    form.validate()
    return form, provider_registry.ProviderCriteria(
        name="" if form.name.errors else form.name.data or "",
        status="" if form.status.errors else form.status.data or "",
    )


@bp.get("/providers")
@roles_required(*STAFF)
def providers() -> ResponseReturnValue:
    form, criteria = _provider_criteria()
    registry = provider_registry.registry_query(clocks.office_today(), criteria)
    page = page_of(providers_listing(registry), registry.query, scalars=False)
    page.items = provider_registry.registry_rows(page.items)
    return render_template("intake/providers.html", form=form, page=page)


REGISTRY_HEADER = (
    "Legal name",
    "Certification status",
    "Last certified",
    "Next due",
    "Primary Contact",
    "Email",
)


def _registry_export() -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    _, criteria = _provider_criteria()
    rows = provider_registry.export_registry(clocks.office_today(), criteria, actor=current_user)
    return REGISTRY_HEADER, [
        (
            row.provider.legal_name,
            row.status.value,
            row.last_certified_on,
            row.next_due_on,
            row.provider.contact_name,
            row.provider.contact_email,
        )
        for row in rows
    ]


@bp.get("/providers.csv")
@roles_required(*STAFF)
def providers_csv() -> ResponseReturnValue:
    header, rows = _registry_export()
    return exports.csv_download(header, rows, filename="providers.csv")


@bp.get("/providers.xlsx")
@roles_required(*STAFF)
def providers_xlsx() -> ResponseReturnValue:
    header, rows = _registry_export()
    return exports.xlsx_download(header, rows, filename="providers.xlsx", sheet="Providers")


@bp.route("/providers/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_provider() -> ResponseReturnValue:
    state = form_state()
    if request.method == "POST":
        data = payload_from_form(rules.PROVIDER_FIELDS, request.form)
        try:
            provider = services.register_provider(data, actor=current_user)
        except services.FilingRejected as rejected:
            db.session.rollback()
            state = form_state(data, rejected.problems, specs=rules.PROVIDER_FIELDS)
        else:
            flash(f"{provider.legal_name} registered.", "success")
            return redirect(url_for("intake.provider", provider_id=provider.id))
    return render_template("intake/provider_form.html", fields=rules.PROVIDER_FIELDS, state=state)


@bp.get("/providers/<int:provider_id>")
@roles_required(*STAFF)
def provider(provider_id: int) -> ResponseReturnValue:
    record = _provider_or_404(provider_id)
    form = _request_form(record, chosen=request.args.get("reseller"))
    form.requested_on.data = clocks.office_today()
    return _render_provider(record, request_form=form)


def _render_provider(record: Provider, *, request_form: CipRequestForm) -> str:
    expectations = provider_registry.expectations_of(record, clocks.office_today())
    return render_template(
        "intake/provider.html",
        # The Primary Contact's details come from the provider's certification (§7.304(a)(1)(vi)).
        cui=CUI_FILINGS,
        provider=record,
        filings=services.filings_of(record),
        deadlines=deadlines.deadlines_for_subject("provider", record.id),
        requests=services.requests_of(record),
        request_form=request_form,
        correspondence=sent_services.issued_to(record.id, per_page=CORRESPONDENCE_ON_PAGE),
        undelivered=sent_services.undelivered_of(record.id),
        kinds=kinds.KINDS,
        resellers=db.session.scalars(
            services.resellers_query(record, sources=True).limit(RESELLERS_ON_PROVIDER_PAGE)
        ).all(),
        reseller_total=services.reseller_count(record),
        expectations=expectations,
        exempt=expectations.exempt_resellers,
    )


# --- The list of a provider's foreign resellers (§7.303) --------------------------------------

# The provider page shows the first few; the list page has them all, a page at a time.
RESELLERS_ON_PROVIDER_PAGE = 20
CORRESPONDENCE_ON_PAGE = 20
RESELLER_CHOICES_MAX = 100
RESELLER_EXPORT_HEADER = (
    "name", "jurisdiction", "status", "began_on", "ended_on",
    "contact_name", "contact_title", "contact_email", "contact_phone",
    "listed_in", "certified_in", "exemption",
)  # fmt: skip


def _reseller_criteria() -> tuple[ResellerFilterForm, services.ResellerCriteria]:
    form = ResellerFilterForm(request.args)
    if not form.validate():
        return form, services.ResellerCriteria()
    return form, services.ResellerCriteria(
        name=(form.name.data or "").strip(),
        jurisdiction=form.jurisdiction.data or "",
        status=form.status.data or "",
    )


# Active first, then by name (the list's own order); ended relationships stay on the list.
RESELLERS = Listing(
    "foreign-resellers",
    columns=(
        SortColumn("name", "Name", (ForeignReseller.name,)),
        SortColumn("jurisdiction", "Jurisdiction", (ForeignReseller.jurisdiction,)),
        SortColumn("status", "Status", (ForeignReseller.status, ForeignReseller.name)),
        SortColumn("began", "Began", (ForeignReseller.began_on,), descending_first=True),
        SortColumn("ended", "Ended", (ForeignReseller.ended_on,), descending_first=True),
    ),
    default_sort="status",
    tiebreak=(ForeignReseller.id,),
)


@bp.get("/providers/<int:provider_id>/resellers")
@roles_required(*STAFF)
def resellers(provider_id: int) -> ResponseReturnValue:
    record = _provider_or_404(provider_id)
    form, criteria = _reseller_criteria()
    return render_template(
        "intake/resellers.html",
        cui=CUI_FILINGS,
        provider=record,
        form=form,
        page=page_of(RESELLERS, services.resellers_query(record, criteria, sources=True)),
        reseller_total=services.reseller_count(record),
        exempt=reseller_registry.exempt_resellers(record.id),
    )


@bp.get("/providers/<int:provider_id>/resellers.csv")
@roles_required(*STAFF)
def resellers_csv(provider_id: int) -> ResponseReturnValue:
    record = _provider_or_404(provider_id)
    _, criteria = _reseller_criteria()
    exempt = reseller_registry.exempt_resellers(record.id)
    rows = [
        (
            reseller.name,
            reseller.jurisdiction,
            reseller.status,
            reseller.began_on,
            reseller.ended_on,
            reseller.contact_name,
            reseller.contact_title,
            reseller.contact_email,
            reseller.contact_phone,
            reseller.listed_in.receipt_number if reseller.listed_in else None,
            reseller.certified_in.receipt_number if reseller.certified_in else None,
            exempt[reseller.id].reason if reseller.id in exempt else None,
        )
        for reseller in services.export_resellers(
            record, criteria, actor=current_user, filters=request.args.to_dict()
        )
    ]
    return exports.csv_download(
        RESELLER_EXPORT_HEADER, rows, filename=f"foreign-resellers-provider-{record.id}.csv"
    )


# --- Filings keyed in by an analyst -----------------------------------------------------------


def _kind_or_404(kind: str) -> kinds.KindSpec:
    try:
        return kinds.kind_spec(kind)
    except kinds.UnknownKind:
        abort(404)


@bp.route("/providers/<int:provider_id>/file/<kind>", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def file_filing(provider_id: int, kind: str) -> ResponseReturnValue:
    record = _provider_or_404(provider_id)
    spec = _kind_or_404(kind)
    supersedes = request.values.get("supersedes") or None
    corrected = _filing_or_404(supersedes) if supersedes else None
    state = form_state(rules.without_sensitive(spec.fields, corrected.data) if corrected else None)
    status = 200
    if request.method == "POST":
        data = payload_from_form(spec.fields, request.form)
        if grow := table_to_grow(request.form):
            state = form_state(data, grow=grow)
        else:
            submission = services.Submission(
                kind=spec.kind.value,
                payload=data,
                raw=json.dumps({"kind": spec.kind.value, "payload": data}, ensure_ascii=False),
                channel="web",
                supersedes=supersedes,
            )
            try:
                received = services.receive_filing(record, submission, actor=current_user)
            except services.FilingRejected as rejected:
                db.session.rollback()
                state, status = form_state(data, rejected.problems, specs=spec.fields), 422
            else:
                flash(f"Filed. Receipt {received.filing.receipt_number}.", "success")
                return redirect(
                    url_for("intake.filing", receipt_number=received.filing.receipt_number)
                )
    return render_template(
        "intake/filing_form.html",
        cui=CUI_FILINGS,
        provider=record,
        spec=spec,
        state=state,
        corrected=corrected,
    ), status


@bp.get("/filings/<receipt_number>")
@roles_required(*STAFF)
def filing(receipt_number: str) -> ResponseReturnValue:
    record = _filing_or_404(receipt_number)
    chain = services.chain_of(record)
    previous = record.supersedes
    return render_template(
        "intake/filing.html",
        cui=CUI_FILINGS,
        filing=record,
        spec=kinds.kind_spec(record.kind),
        chain=chain,
        changes=rules.diff(previous.data, record.data) if previous else [],
        previous=previous,
        # A module that works a case on this kind of filing registers where it lives.
        case_url=subjects.url_of(f"filing:{record.kind}", record.id),
    )


@bp.get("/filings/<receipt_number>/receipt.pdf")
@roles_required(*STAFF)
def receipt_pdf(receipt_number: str) -> ResponseReturnValue:
    record = _filing_or_404(receipt_number)
    services.download_receipt(record, actor=current_user)
    return exports.download(
        reports.acknowledgement_pdf(record, office=office.documents(), generated_at=utcnow()),
        filename=f"{receipt_number}.pdf",
        mimetype="application/pdf",
    )


# --- API tokens (administrators) --------------------------------------------------------------


@bp.get("/api-tokens")
@roles_required(Role.ADMIN)
def api_tokens() -> ResponseReturnValue:
    return render_template(
        "intake/api_tokens.html",
        tokens=services.list_tokens(),
        providers=services.list_providers(),
        state=form_state(),
        new_token=None,
    )


@bp.post("/api-tokens")
@roles_required(Role.ADMIN)
def issue_api_token() -> ResponseReturnValue:
    provider_id = request.form.get("provider", type=parse_record_id)
    record = services.get_provider(provider_id) if provider_id else None
    label = request.form.get("label", "")
    problems = [] if record else [Problem("provider", "Choose the provider the token is for.", "")]
    new_token = None
    if record:
        try:
            _, new_token = services.issue_token(record, label=label, actor=current_user)
        except services.FilingRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
    return render_template(
        "intake/api_tokens.html",
        tokens=services.list_tokens(),
        providers=services.list_providers(),
        state=form_state({"provider": provider_id, "label": label}, problems),
        new_token=new_token,
    ), (422 if problems else 201)


@bp.post("/api-tokens/<int:token_id>/revoke")
@roles_required(Role.ADMIN)
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    token = db.session.get(ApiToken, token_id) or abort(404)
    services.revoke_token(token, actor=current_user)
    flash(f"Token “{token.label}” revoked; the provider's system can no longer use it.", "success")
    return redirect(url_for("intake.api_tokens"))


# --- The Department's requests for CIP copies ---------------------------------------------------


def _request_form(provider: Provider, *, chosen: object = None) -> CipRequestForm:
    """The request form offers every foreign reseller while the list is short; past that, the
    reseller is chosen on the list of foreign resellers and comes here as ``chosen``."""
    form = CipRequestForm()
    if services.reseller_count(provider) <= RESELLER_CHOICES_MAX:
        offered = db.session.scalars(services.resellers_query(provider)).all()
    else:
        offered = [reseller] if (reseller := services.reseller_of(provider, chosen)) else []
        form.reseller.description = (
            "To ask for a foreign reseller's CIP, choose “Request its CIP” beside it on the list "
            "of foreign resellers."
        )
    exempt = reseller_registry.exempt_resellers(provider.id)
    form.reseller.choices = [form.reseller.choices[0]] + [
        SelectChoice(
            str(reseller.id),
            f"Foreign reseller {reseller.name} (§7.303(d))"
            + (" — exempt (§7.306(e))" if reseller.id in exempt else ""),
        )
        for reseller in offered
    ]
    if chosen is not None and request.method == "GET":
        form.reseller.data = str(chosen)
    return form


@bp.post("/providers/<int:provider_id>/requests")
@roles_required(*CASE_WORKERS)
def open_request(provider_id: int) -> ResponseReturnValue:
    record = _provider_or_404(provider_id)
    form = _request_form(record, chosen=request.form.get("reseller"))

    def act() -> ResponseReturnValue:
        reseller = services.reseller_of(record, form.reseller.data)
        department_request = services.request_cip_copy(
            record,
            reseller=reseller,
            requested_on=form.requested_on.data,
            actor=current_user,
            today=clocks.office_today(),
            note=form.note.data or "",
            sent_by_hand=form.sent_by.data == HAND,
        )
        flash(sent_views.request_sent_message(department_request, "the copy"), "success")
        return redirect(url_for("intake.department_request", request_id=department_request.id))

    return formerrors.handle(
        form, act, page=lambda form: _render_provider(record, request_form=form)
    )


def request_link(request_id: str) -> str:
    return url_for("intake.department_request", request_id=request_id)


@bp.get("/requests/<int:request_id>")
@roles_required(*STAFF)
def department_request(request_id: int) -> ResponseReturnValue:
    record = db.session.get(DepartmentRequest, request_id) or abort(404)
    return _render_request(record, ResponseForm(responded_on=clocks.office_today()))


def _render_request(record: DepartmentRequest, form: ResponseForm) -> str:
    return render_template(
        "intake/request.html",
        cui=CUI_FILINGS,
        department_request=record,
        form=form,
        clock=sent_requests.clock_of(record),
        sent=sent_requests.sent_of(record),
        sent_by_labels=SENT_BY_LABELS,
    )


@bp.post("/requests/<int:request_id>/response")
@roles_required(*CASE_WORKERS)
def record_response(request_id: int) -> ResponseReturnValue:
    record = db.session.get(DepartmentRequest, request_id) or abort(404)
    form = ResponseForm()

    def act() -> ResponseReturnValue:
        upload = form.document.data
        services.record_response(
            record,
            filename=upload.filename or "document",
            content=upload.read(),
            responded_on=form.responded_on.data,
            actor=current_user,
        )
        flash("Response recorded; the clock is met.", "success")
        return redirect(url_for("intake.department_request", request_id=record.id))

    return formerrors.handle(
        form, act, page=lambda form: _render_request(record, form), error_field="document"
    )


@bp.get("/requests/<int:request_id>/document")
@roles_required(*STAFF)
def request_document(request_id: int) -> ResponseReturnValue:
    record = db.session.get(DepartmentRequest, request_id) or abort(404)
    document = services.download_document(
        record.response_document or abort(404), actor=current_user
    )
    return exports.document_download(document)
