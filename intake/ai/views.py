"""Pages for reports of large AI model training (§7.308): the report's panel on the filing page,
IP access logs, requests for additional information, revealing a payment identifier, the
cross-filing search, the covered-transaction aid and the accelerator catalogue."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from core import clocks, exports, formerrors
from core.access import STAFF, roles_required
from core.auth.rules import Role
from core.db import db
from core.deadlines import services as deadlines
from core.errors import DomainError, InvalidInput
from core.jobs.views import page_while_running
from core.schema import parse_number_text
from core.schema_forms import field_label
from intake import kinds, services
from intake.ai import accelerators as ai_accelerators
from intake.ai import ip_log, ip_logs
from intake.ai import rules as ai_rules
from intake.ai import services as ai_services
from intake.correspondence import views as sent_views
from intake.correspondence.forms import HAND
from intake.forms import (
    AcceleratorChoiceForm,
    AcceleratorForm,
    CoverageForm,
    InformationRequestForm,
    IpLogUploadForm,
    SearchForm,
)
from intake.models import Accelerator, Filing
from intake.views import CASE_WORKERS, CUI_FILINGS

bp = Blueprint("intake_ai", __name__, url_prefix="/intake")
# While a log is being checked its page reloads itself this often.


def _report_or_404(receipt_number: str) -> Filing:
    filing = services.get_filing(receipt_number)
    if filing is None or filing.kind not in ai_services.REPORT_KINDS:
        abort(404)
    return filing


# --- The report's panel on the filing page ------------------------------------------------------


def report_panel(receipt_number: str) -> Markup | None:
    filing = services.get_filing(receipt_number)
    if filing is None or filing.kind not in ai_services.REPORT_KINDS:
        return None
    data = filing.data
    runs = filing.kind in kinds.AI_RUN_REPORT_KINDS
    relevant_on = ai_services.relevant_day(filing)
    choice = ai_accelerators.choice_of(filing) if runs else None
    confirmed = ai_accelerators.as_rule(choice.accelerator) if choice else None
    judged = ai_services.plausibility(data, relevant_on, confirmed=confirmed) if runs else None
    could = judged.operations.high if judged is not None and judged.operations else None
    html = render_template(
        "intake/_ai_report.html",
        filing=filing,
        report_clocks=[
            deadline
            for deadline in deadlines.deadlines_for_subject("filing", filing.receipt_number)
            if deadline.clock_key != ip_logs.IP_CLOCK
        ],
        ip_clock=ip_logs.ip_clock_of(filing) if runs else None,
        coverage=(
            ai_services.coverage_of(data, relevant_on, hardware_could_perform=could)
            if runs
            else None
        ),
        plausibility=judged,
        choice=choice,
        proposals=ai_accelerators.proposals(filing) if runs else [],
        identifiers=ai_services.identifiers_of(filing),
        accesses=ai_services.access_summary(filing) if runs else None,
        ip_logs=ip_logs.attachments_of(filing),
        requests=ai_services.information_requests_of(filing),
        runs=runs,
        format_operations=ai_rules.format_operations,
        fields=kinds.kind_spec(filing.kind).fields,
        payment_methods=kinds.PAYMENT_METHOD_LABELS,
    )
    # The template engine escaped every value already; the result is safe HTML.
    return Markup(html)  # noqa: S704


# --- IP access logs (§7.308(d)(1)(i)(F)) ----------------------------------------------------------


@bp.route("/filings/<receipt_number>/ip-log", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def attach_ip_log(receipt_number: str) -> ResponseReturnValue:
    """The log is received here and checked by the job worker; its own page follows it."""
    filing = _report_or_404(receipt_number)
    form = IpLogUploadForm()

    def act() -> ResponseReturnValue:
        upload = form.ip_log.data
        attachment = ip_logs.attach_ip_log(
            # The name goes back out in a download's header: keep it to safe characters.
            filing, filename=secure_filename(upload.filename or "") or "ip-log.csv",
            content=upload.read(),
            actor=current_user,
        )  # fmt: skip
        return redirect(url_for("intake_ai.ip_log_attachment", ip_log_id=attachment.id))

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "intake/ip_log_upload.html", cui=CUI_FILINGS, filing=filing, form=form
        ),
        error_field="ip_log",
    )


@bp.get("/ip-logs/<int:ip_log_id>")
@roles_required(*STAFF)
def ip_log_attachment(ip_log_id: int) -> ResponseReturnValue:
    """How a log's check went: its progress while the job runs, then every row attached, or
    its problems by row (nothing attached), or why the job could not finish."""
    attachment = ip_logs.get_ip_log(ip_log_id) or abort(404)
    shown = ip_logs.ip_log_progress(attachment)
    return page_while_running(
        "intake/ip_log.html",
        running=shown.running,
        cui=CUI_FILINGS,
        filing=attachment.filing,
        attachment=attachment,
        shown=shown,
        is_status={each.name.lower(): shown.status is each for each in ip_log.IpLogStatus},
    )


@bp.get("/ip-log-template.csv")
@roles_required(*STAFF)
def ip_log_template() -> ResponseReturnValue:
    return exports.csv_download(
        ip_log.TEMPLATE_HEADER, ip_log.EXAMPLE_ROWS, filename="ip-access-log-template.csv"
    )


# --- Requests for additional information (§7.308(e)) ----------------------------------------


@bp.route("/filings/<receipt_number>/information-requests", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def request_information(receipt_number: str) -> ResponseReturnValue:
    filing = _report_or_404(receipt_number)
    form = InformationRequestForm()
    if not form.is_submitted():
        form.requested_on.data = clocks.office_today()
        if request.args.get("about") == "ip_addresses":
            form.note.data = ai_services.ip_addresses_request_note(filing)

    def act() -> ResponseReturnValue:
        sent = ai_services.request_information(
            filing, requested_on=form.requested_on.data, note=form.note.data or "",
            actor=current_user, today=clocks.office_today(),
            sent_by_hand=form.sent_by.data == HAND,
        )  # fmt: skip
        flash(sent_views.request_sent_message(sent, "the follow-up report"), "success")
        return redirect(url_for("intake.filing", receipt_number=receipt_number))

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "intake/information_request.html", cui=CUI_FILINGS, filing=filing, form=form,
            clock=clocks.get(ai_services.FOLLOW_UP_CLOCK),
        ),
    )  # fmt: skip


# --- Which catalogue accelerator a report names (§7.308(d)(1)(ii)(C)) ---------------------------


@bp.route("/filings/<receipt_number>/accelerator", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def confirm_accelerator(receipt_number: str) -> ResponseReturnValue:
    filing = _report_or_404(receipt_number)
    proposals = ai_accelerators.proposals(filing)
    choice = ai_accelerators.choice_of(filing)
    form = AcceleratorChoiceForm()
    form.accelerator.choices = [
        SelectChoice(str(entry.id), f"{entry.vendor} {entry.model}: "
                     f"{ai_rules.format_operations(entry.peak_dense_ops_per_second)} operations a "
                     f"second ({entry.number_format})")
        for entry in proposals
    ]  # fmt: skip
    if not form.is_submitted() and choice is not None:
        form.accelerator.data = str(choice.accelerator_id)

    def act() -> ResponseReturnValue:
        chosen = ai_accelerators.confirm(filing, int(form.accelerator.data), actor=current_user)
        flash(
            f"Recorded: the report's “{chosen.reported_model}” is the catalogue's "
            f"{chosen.accelerator.vendor} {chosen.accelerator.model}; the estimate is checked "
            "against it.",
            "success",
        )
        return redirect(
            url_for("intake.filing", receipt_number=receipt_number, _anchor="plausibility")
        )

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "intake/accelerator_choice.html", cui=CUI_FILINGS, filing=filing, form=form,
            proposals=proposals, choice=choice,
            reported=ai_accelerators.reported_model(filing),
        ),
    )  # fmt: skip


# --- A payment identifier, in full (docs/architecture.md §8) --------------------------------------


@bp.post("/filings/<receipt_number>/identifiers/<int:identifier_id>")
@roles_required(*CASE_WORKERS)
def reveal_identifier(receipt_number: str, identifier_id: int) -> ResponseReturnValue:
    filing = _report_or_404(receipt_number)
    try:
        path, value = ai_services.reveal_identifier(filing, identifier_id, actor=current_user)
    except DomainError:
        abort(404)
    response = make_response(
        render_template(
            "intake/identifier.html",
            cui=CUI_FILINGS,
            filing=filing,
            field=field_label(kinds.kind_spec(filing.kind).fields, path),
            value=value,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Where else does this appear? -----------------------------------------------------------


@bp.route("/search", methods=["GET", "POST"])
@roles_required(*STAFF)
def search() -> ResponseReturnValue:
    """The form posts, so that a payment identifier never sits in a URL, a browser's history or
    a server log; links from a report's page ask by GET."""
    asked = request.form if request.method == "POST" else request.args
    form = SearchForm(asked)
    form.kind.choices = [SelectChoice(key, label) for key, label in ai_services.SEARCH_KINDS]
    result = None
    status = 200
    if "q" in asked:
        if form.validate():
            try:
                result = ai_services.search(
                    form.q.data, form.kind.data or ai_services.SearchKind.ANYTHING
                )
            except InvalidInput as error:
                formerrors.attach(form, error)
                status = 422
            else:
                if result.secret:
                    form.q.data = ""
        else:
            status = 422
    return render_template("intake/search.html", cui=CUI_FILINGS, form=form, result=result), status


# --- Is it a covered transaction? (§7.308(b)) -----------------------------------------------------


@bp.get("/coverage")
@roles_required(*STAFF)
def coverage() -> ResponseReturnValue:
    form = CoverageForm(request.args)
    verdict, thresholds, status = None, None, 200
    if "relevant_on" not in request.args:
        form.relevant_on.data = clocks.office_today()
    elif form.validate():
        estimate = _estimate(form)
        try:
            thresholds = ai_services.thresholds_on(form.relevant_on.data)
        except ai_services.NoConditionsInForce as none:
            form.relevant_on.errors = [str(none)]
        if estimate is not False and thresholds is not None:
            verdict = ai_rules.assess_coverage(_coverage_facts(form, estimate), thresholds)
        else:
            status = 422
    else:
        status = 422
    return render_template(
        "intake/coverage.html", form=form, verdict=verdict, thresholds=thresholds,
        format_operations=ai_rules.format_operations,
    ), status  # fmt: skip


def _estimate(form: CoverageForm) -> float | bool | None:
    """The estimate as a number, None when not given, False (with the field's message) when it
    cannot be read."""
    text = (form.estimated_operations.data or "").strip()
    if not text:
        return None
    value = parse_number_text(text)
    if value is None:
        form.estimated_operations.errors = ["Write a number, e.g. 3.1e25 or 3.1 × 10^25."]
        return False
    return value


def _coverage_facts(form: CoverageForm, estimate: float | None) -> ai_rules.CoverageFacts:
    original = {"yes": True, "no": False}.get(form.original_met.data or "")
    return ai_rules.CoverageFacts(
        customer_is_foreign_person=form.customer_is_foreign_person.data,
        for_or_on_behalf_of_foreign_person=form.for_foreign_person.data,
        estimated_operations=estimate,
        trained_primarily_on_biological_sequence_data=form.biological.data,
        reason_to_believe_large_model=form.reason_to_believe.data,
        original_arrangements_met_conditions=original,
        later_change_meets_conditions=form.later_change.data,
        third_party_facility=form.third_party_facility.data,
        relevant_on=form.relevant_on.data,
    )


# --- The accelerator catalogue --------------------------------------------------------------------


@bp.get("/accelerators")
@roles_required(*STAFF)
def accelerators() -> ResponseReturnValue:
    return render_template(
        "intake/accelerators.html",
        accelerators=ai_accelerators.catalogue(),
        utilisation=ai_rules.UTILISATION_RANGE,
        format_operations=ai_rules.format_operations,
    )


def _accelerator_values(form: AcceleratorForm) -> dict[str, object]:
    peak = parse_number_text(form.peak_dense_ops_per_second.data or "")
    if not peak:
        raise InvalidInput(
            {"peak_dense_ops_per_second": ["Write a positive number, e.g. 989.4e12."]}
        )
    return {
        "model": form.model.data.strip(),
        "vendor": form.vendor.data.strip(),
        "peak_dense_ops_per_second": peak,
        "number_format": form.number_format.data.strip(),
        "source": form.source.data.strip(),
    }


def _accelerator_page(form: FlaskForm, accelerator: Accelerator | None) -> str:
    return render_template("intake/accelerator_form.html", form=form, accelerator=accelerator)


@bp.route("/accelerators/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_accelerator() -> ResponseReturnValue:
    form = AcceleratorForm()

    def act() -> ResponseReturnValue:
        ai_accelerators.add_accelerator(_accelerator_values(form), actor=current_user)
        flash("Accelerator added to the catalogue.", "success")
        return redirect(url_for("intake_ai.accelerators"))

    return formerrors.handle(form, act, page=lambda form: _accelerator_page(form, None))


@bp.route("/accelerators/<int:accelerator_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_accelerator(accelerator_id: int) -> ResponseReturnValue:
    accelerator = db.session.get(Accelerator, accelerator_id) or abort(404)
    form = AcceleratorForm(obj=accelerator)

    def act() -> ResponseReturnValue:
        ai_accelerators.update_accelerator(
            accelerator, _accelerator_values(form), actor=current_user
        )
        flash("Accelerator updated.", "success")
        return redirect(url_for("intake_ai.accelerators"))

    return formerrors.handle(form, act, page=lambda form: _accelerator_page(form, accelerator))
