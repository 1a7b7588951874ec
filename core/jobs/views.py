"""The jobs' pages: the list of recent jobs, each job's progress and outcome, and the retry of a
failed one."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
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

from core.access import STAFF, roles_required
from core.auth.rules import Role
from core.jobs import registry, rules, services
from core.jobs.forms import JobFilterForm
from core.jobs.models import Job
from core.jobs.rules import JobState
from core.listing import Listing, SortColumn, page_of

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
# While a job runs its page reloads itself this often (an HTTP header: the page's
# Content-Security-Policy forbids inline scripts).
REFRESH_SECONDS = 2


def page_while_running(template: str, *, running: bool, **context: Any) -> Response:
    """A page that reloads itself while its work runs, unless the person asked it to stop
    (``?refresh=off``): an HTTP header rather than a script, which the page's
    Content-Security-Policy forbids inline. Every page that follows a job is one."""
    refreshing = running and request.args.get("refresh") != "off"
    response = make_response(
        render_template(
            template,
            running=running,
            refreshing=refreshing,
            refresh_seconds=REFRESH_SECONDS,
            **context,
        )
    )
    if refreshing:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


def _job_or_404(job_id: int) -> Job:
    return services.get_job(job_id) or abort(404)


def subject_link(job: Job) -> str | None:
    kind = registry.kind_named(job.kind) if job.kind else None
    page = kind.subject_page(job) if kind and kind.subject_page else None
    return url_for(page[0], **page[1]) if page else None


# Newest first; a job's id is the order it was queued in.
JOBS = Listing(
    "jobs",
    columns=(
        SortColumn("job", "Job", (Job.id,), descending_first=True),
        SortColumn("state", "State", (Job.state,)),
        SortColumn("queued", "Queued (Eastern)", (Job.created_at,), descending_first=True),
    ),
    default_sort="job",
    default_descending=True,
    tiebreak=(Job.id,),
)


@bp.get("/")
@roles_required(*STAFF)
def job_list() -> ResponseReturnValue:
    form = JobFilterForm(request.args)
    # A filter that is not one (a kind since removed) is named beside its field; all jobs show.
    filtered = form.validate() and bool(form.kind.data or form.state.data)
    query = services.jobs_query(
        state=JobState(form.state.data) if filtered and form.state.data else None
    )
    if filtered and (kinds := form.kinds()) is not None:
        query = query.where(Job.kind.in_(kinds))
    return render_template(
        "jobs/list.html",
        form=form,
        page=page_of(JOBS, query),
        filtered=filtered,
        label_of=registry.label_of,
        progress_of=lambda job: rules.progress_text(**services.live_progress(job)),
    )


@bp.get("/<int:job_id>")
@roles_required(*STAFF)
def job(job_id: int) -> ResponseReturnValue:
    record = _job_or_404(job_id)
    progress = services.live_progress(record)
    return page_while_running(
        "jobs/job.html",
        running=record.state not in rules.FINISHED,
        job=record,
        label=registry.label_of(record.kind),
        subject_url=subject_link(record),
        progress=progress,
        progress_text=rules.progress_text(**progress),
    )


@bp.post("/<int:job_id>/retry")
@roles_required(Role.ANALYST, Role.ADMIN)
def retry(job_id: int) -> ResponseReturnValue:
    # A job that is not failed (a second click) is refused by core.errorpages with the reason.
    record = services.retry(_job_or_404(job_id), actor=current_user)
    flash("The job is queued again; this page shows its progress.", "success")
    return redirect(url_for("jobs.job", job_id=record.id))
