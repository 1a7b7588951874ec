"""Reports of suspected violations (§7.310): the public page anyone may send one from, with
no sign-in, and the office's triage queue and report pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from core import exports, formerrors
from core.access import STAFF, public, roles_required
from core.db import db
from core.errors import InvalidInput
from core.listing import SortColumn
from core.modules import module_blueprint
from core.ownership.views import case_list_page, case_listing
from core.rate_limits.services import RateLimit, client_address, limited
from intake.models import Provider
from violation_reports import rules, services
from violation_reports.forms import (
    ButtonForm,
    CloseForm,
    LinkCaseForm,
    LinkProviderForm,
    LinkResellerForm,
    QueueFilterForm,
    ReportForm,
)
from violation_reports.models import ViolationReport
from violation_reports.rules import Outcome, ReportState, Requirement, Timing

bp = module_blueprint(
    "violation_reports",
    title="Violation reports",
    url_prefix="/violation-reports",
    summary=(
        "Reports of suspected violations of subpart D that anyone may send (§7.310), triaged, "
        "linked to a provider, a foreign reseller or a case, and closed with an outcome."
    ),
)
public_bp = Blueprint("report_violation", __name__, url_prefix="/report-a-violation")

# The acknowledgement shown once the report is kept, after the redirect (a reload shows it again).
ACKNOWLEDGED_KEY = "violation_report_acknowledged"

# Per address, counting sends only: the page stays readable, and a stranger cannot flood the
# queue (the figure is RATELIMIT_VIOLATION_REPORTS, core/config.py).
REPORTS_FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_VIOLATION_REPORTS", scope="violation-report-address", key=client_address,
    refusal="Too many reports have been sent from this address", methods=("POST",),
)  # fmt: skip


def _report_page(form: ReportForm) -> str:
    return render_template("violation_reports/report_form.html", form=form)


def _refused_again(message: str) -> str:
    form = ReportForm()
    form.form_errors.append(message)
    return _report_page(form)


def _uploads(form: ReportForm) -> list[services.Upload]:
    return [
        services.Upload(secure_filename(upload.filename or "") or "document", upload.read())
        for upload in form.attachments.data or []
        if upload and upload.filename
    ]


@public_bp.route("", methods=["GET", "POST"])
@public
@limited(REPORTS_FROM_ADDRESS, page=_refused_again)
def send_report() -> ResponseReturnValue:
    form = ReportForm()
    if not form.is_submitted():
        return _report_page(form)
    # The shape of the form and the rule's checks are both named at once, each at its field.
    shaped = form.validate()
    uploads = _uploads(form)
    contact = services.Contact(form.name.data or "", form.email.data or "", form.phone.data or "")
    problems, _ = services.submission_problems(form.description.data or "", contact, uploads)
    formerrors.attach(form, InvalidInput(problems))
    if not shaped or problems:
        return _shown_again(form), 422
    kept = services.submit(
        requirement=Requirement(form.requirement.data), timing=Timing(form.timing.data),
        concerns=form.concerns.data or "", description=form.description.data or "",
        contact=contact, uploads=uploads,
    )  # fmt: skip
    session[ACKNOWLEDGED_KEY] = [kept.acknowledgement, kept.received_on.isoformat(),
                                 len(kept.attachments)]  # fmt: skip
    return redirect(url_for("report_violation.received"), code=303)


def _shown_again(form: ReportForm) -> str:
    """The form with what was typed; a browser never fills a file field again, so the page
    says so beside it when files were sent."""
    if _uploads_sent(form) and (form.errors or form.form_errors):
        form.attachments.errors = [*form.attachments.errors, FILES_AGAIN]
    return _report_page(form)


FILES_AGAIN = "Your files were not kept: choose them again."


def _uploads_sent(form: ReportForm) -> bool:
    return any(upload and upload.filename for upload in form.attachments.data or [])


@public_bp.get("/received")
@public
def received() -> ResponseReturnValue:
    acknowledged = session.get(ACKNOWLEDGED_KEY)
    if not acknowledged:
        return redirect(url_for("report_violation.send_report"))
    number, received_on, attachments = acknowledged
    return render_template(
        "violation_reports/received.html",
        acknowledgement=number, received_on=received_on, attachments=attachments,
    )  # fmt: skip


# --- The office's triage ----------------------------------------------------------------------

QUEUE = case_listing(
    "violation-reports", ViolationReport, "Acknowledgement",
    SortColumn("received", "Received", (ViolationReport.received_at,), descending_first=True),
    SortColumn("state", "State", (ViolationReport.state,)),
)  # fmt: skip
OPEN = (ReportState.RECEIVED, ReportState.IN_TRIAGE)


def _states_asked(form: QueueFilterForm) -> tuple[ReportState, ...]:
    if not form.validate() or not form.state.data:
        return OPEN
    return () if form.state.data == "all" else (ReportState(form.state.data),)


@bp.get("/queue")
@roles_required(*STAFF)
def queue() -> ResponseReturnValue:
    filter_form = QueueFilterForm(request.args)
    states = _states_asked(filter_form)
    owner_form, page = case_list_page(
        QUEUE, ViolationReport, lambda owned: services.queue_query(owned, states)
    )
    return render_template(
        "violation_reports/queue.html", page=page, owner_form=owner_form, filter_form=filter_form,
        requirements=rules.REQUIREMENT_LABELS,
    )  # fmt: skip


def _report_or_404(report_id: int) -> ViolationReport:
    return services.get_report(report_id) or abort(404)


def _provider_form(report: ViolationReport, formdata: Any = None) -> LinkProviderForm:
    form = LinkProviderForm(formdata, data={"provider": str(report.provider_id or "")})
    providers = db.session.execute(
        select(Provider.id, Provider.legal_name).order_by(Provider.legal_name, Provider.id)
    )
    form.provider.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(pid), name) for pid, name in providers
    ]
    return form


def _reseller_form(report: ViolationReport, formdata: Any = None) -> LinkResellerForm:
    form = LinkResellerForm(formdata, data={"reseller": str(report.reseller_id or "")})
    form.reseller.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(r.id), f"{r.name} ({r.jurisdiction})")
        for r in services.resellers_of(report)
    ]
    return form


def _case_form(report: ViolationReport, formdata: Any = None) -> LinkCaseForm:
    linked = services.linked_case(report)
    form = LinkCaseForm(formdata, data={"case": services.case_choice(*linked) if linked else ""})
    form.case.choices = [SelectChoice("", "None")] + [
        SelectChoice(
            services.case_choice(kind, case), f"{kind.reference(case)} ({kind.label}, {case.state})"
        )
        for kind, case in services.candidate_cases(report)
    ]
    return form


def _render(report: ViolationReport, status: int = 200, **forms: Any) -> ResponseReturnValue:
    actions = services.actions_for(report, current_user.role_enum)
    shown = {
        "provider_form": forms.get("provider_form") or _provider_form(report),
        "reseller_form": forms.get("reseller_form") or _reseller_form(report),
        "case_form": forms.get("case_form") or _case_form(report),
        "close_form": forms.get("close_form") or CloseForm(formdata=None),
    }
    return render_template(
        "violation_reports/report.html", report=report, actions=actions,
        requirement=Requirement(report.requirement).label, timing=Timing(report.timing).label,
        outcome=Outcome(report.outcome).label if report.outcome else None,
        linked_case=services.linked_case(report), contact=forms.get("contact"),
        button_form=ButtonForm(), **shown,
    ), status  # fmt: skip


@bp.get("/<int:report_id>")
@roles_required(*STAFF)
def report(report_id: int) -> ResponseReturnValue:
    return _render(_report_or_404(report_id))


def _done(report: ViolationReport, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("violation_reports.report", report_id=report.id), code=303)


@bp.post("/<int:report_id>/triage")
@roles_required(*rules.TRIAGERS)
def start_triage(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.start_triage(report, actor=current_user)
    return _done(report, f"{report.acknowledgement} is in triage, and yours.")


def _chosen_id(value: str | None, field: str, message: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput({field: [message]})
    return int(value)


@bp.post("/<int:report_id>/provider")
@roles_required(*rules.TRIAGERS)
def link_provider(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    form = _provider_form(report, request.form)

    def act() -> ResponseReturnValue:
        chosen = _chosen_id(
            form.provider.data, "provider", "Choose one of the providers on record."
        )
        services.link_provider(report, chosen, actor=current_user)
        return _done(report, "The provider is linked." if chosen else "No provider is linked.")

    return formerrors.handle(form, act, page=lambda bound: _render(report, provider_form=bound)[0])


@bp.post("/<int:report_id>/reseller")
@roles_required(*rules.TRIAGERS)
def link_reseller(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    form = _reseller_form(report, request.form)

    def act() -> ResponseReturnValue:
        chosen = _chosen_id(form.reseller.data, "reseller",
                            "Choose one of the linked provider's foreign resellers.")  # fmt: skip
        services.link_reseller(report, chosen, actor=current_user)
        return _done(report, "The reseller is linked." if chosen else "No reseller is linked.")

    return formerrors.handle(form, act, page=lambda bound: _render(report, reseller_form=bound)[0])


@bp.post("/<int:report_id>/case")
@roles_required(*rules.TRIAGERS)
def link_case(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    form = _case_form(report, request.form)

    def act() -> ResponseReturnValue:
        services.link_case(report, (form.case.data or "").strip(), actor=current_user)
        return _done(report, "The case is linked." if report.case_id else "No case is linked.")

    return formerrors.handle(form, act, page=lambda bound: _render(report, case_form=bound)[0])


@bp.post("/<int:report_id>/close")
@roles_required(*rules.TRIAGERS)
def close(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    form = CloseForm()

    def act() -> ResponseReturnValue:
        services.close(
            report, outcome=Outcome(form.outcome.data), reasons=form.reasons.data,
            actor=current_user,
        )  # fmt: skip
        return _done(
            report, f"{report.acknowledgement} is closed: {Outcome(report.outcome).label}."
        )

    return formerrors.handle(form, act, page=lambda bound: _render(report, close_form=bound)[0])


@bp.post("/<int:report_id>/contact")
@roles_required(*rules.CONTACT_READERS)
def read_contact(report_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    # Shown on this answer only, never kept in a page anyone can reload; the reading is audited.
    return _render(report, contact=services.contact_of(report, actor=current_user))


@bp.get("/<int:report_id>/attachments/<int:attachment_id>")
@roles_required(*rules.CONTACT_READERS)
def attachment(report_id: int, attachment_id: int) -> ResponseReturnValue:
    report = _report_or_404(report_id)
    document = services.attachment_of(report, attachment_id, actor=current_user)
    if document is None:
        abort(404)
    return exports.document_download(
        document, filename=secure_filename(document.filename) or "document"
    )
