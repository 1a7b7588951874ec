"""Pages of the compiled foreign-reseller certification (§7.304(e)-(f)): the upload, the
import's progress and reports, and the template. They are routes of intake's blueprint, so
their endpoints and addresses are intake's."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.utils import secure_filename

from core import exports
from core.access import STAFF, roles_required
from core.db import db
from core.jobs.views import page_while_running
from intake import reports
from intake import services as intake_services
from intake.forms import ResellerUploadForm
from intake.models import ResellerImport
from intake.resellers import rules, services
from intake.views import CASE_WORKERS, CUI_FILINGS, bp

# --- Compiled foreign-reseller certifications (§7.304(e)-(f)) ---------------------------------


def _reseller_import_or_404(import_id: int) -> ResellerImport:
    return services.get_reseller_import(import_id) or abort(404)


@bp.route("/providers/<int:provider_id>/resellers/upload", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def upload_resellers(provider_id: int) -> ResponseReturnValue:
    record = intake_services.get_provider(provider_id) or abort(404)
    form = ResellerUploadForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            upload = form.compiled_file.data
            content = upload.read()
            try:
                started = services.start_reseller_import(
                    record,
                    # The name goes back out in a download's header: keep it to safe characters.
                    filename=secure_filename(upload.filename or "") or "upload",
                    content=content,
                    actor=current_user,
                )
            except services.UploadRefused as refused:
                db.session.rollback()
                form.compiled_file.errors.append(str(refused))
            else:
                return redirect(url_for("intake.reseller_import", import_id=started.id))
    return render_template(
        "intake/reseller_upload.html",
        cui=CUI_FILINGS,
        provider=record,
        form=form,
        columns=rules.RESELLER_COLUMNS,
        imports=services.reseller_imports_of(record),
    ), status


@bp.get("/reseller-imports/<int:import_id>")
@roles_required(*STAFF)
def reseller_import(import_id: int) -> ResponseReturnValue:
    record = _reseller_import_or_404(import_id)
    status = rules.ImportStatus(record.status)
    running = status in rules.RUNNING
    return page_while_running(
        "intake/reseller_import.html",
        running=running,
        cui=CUI_FILINGS,
        record=record,
        is_status={each.name.lower(): status is each for each in rules.ImportStatus},
        steps=rules.IMPORT_STEPS,
        step=rules.import_step(record.status, record.rows_total, record.rows_done),
        problems=services.error_preview(record),
        job=services.import_job_of(record),
    )


def _import_report_download(import_id: int, report: str) -> ResponseReturnValue:
    """One of an import's CSV reports: ``errors`` for a rejected file, ``results`` for an
    imported one."""
    record = _reseller_import_or_404(import_id)
    text = services.download_import_report(record, report, actor=current_user) or abort(404)
    return exports.csv_text_download(
        exports.spreadsheet_csv(text), filename=f"reseller-import-{record.id}-{report}.csv"
    )


@bp.get("/reseller-imports/<int:import_id>/errors.csv")
@roles_required(*STAFF)
def reseller_import_errors(import_id: int) -> ResponseReturnValue:
    return _import_report_download(import_id, "errors")


@bp.get("/reseller-imports/<int:import_id>/results.csv")
@roles_required(*STAFF)
def reseller_import_results(import_id: int) -> ResponseReturnValue:
    return _import_report_download(import_id, "results")


@bp.get("/reseller-imports/<int:import_id>/file")
@roles_required(*STAFF)
def reseller_import_file(import_id: int) -> ResponseReturnValue:
    record = _reseller_import_or_404(import_id)
    document = intake_services.download_document(record.document or abort(404), actor=current_user)
    return exports.document_download(document)


@bp.get("/resellers/template.csv")
@roles_required(*STAFF)
def reseller_template_csv() -> ResponseReturnValue:
    services.download_reseller_template("csv", actor=current_user)
    example = [rules.RESELLER_EXAMPLE[name] for name in rules.RESELLER_HEADER]
    return exports.csv_download(
        rules.RESELLER_HEADER, [example], filename="foreign-resellers-template.csv"
    )


@bp.get("/resellers/template.xlsx")
@roles_required(*STAFF)
def reseller_template_xlsx() -> ResponseReturnValue:
    services.download_reseller_template("xlsx", actor=current_user)
    return exports.download(
        reports.reseller_template_xlsx(),
        filename="foreign-resellers-template.xlsx",
        mimetype=exports.XLSX_MIMETYPE,
    )
