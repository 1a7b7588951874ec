"""The search box in every staff page's header, and its results (docs/architecture.md §14).

A GET, so that what was asked is in the address to share and go back to. What it finds (names,
receipt numbers, contact emails) is what the records' own pages show; payment identifiers are
never searched here: the cross-filing identifier search posts its form (intake.ai.views.search).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue

from core.access import STAFF, roles_required, user_may
from core.search import rules, services
from core.search.forms import SearchForm

bp = Blueprint("search", __name__)


@bp.get("/search")
@roles_required(*STAFF)
def results() -> ResponseReturnValue:
    form = SearchForm(request.args)
    groups: list[rules.Group] | None = None
    status = 200
    if "q" in request.args:
        if form.validate():
            try:
                query = rules.parse_query(form.q.data)
            except rules.QueryProblem as problem:
                form.q.errors = [str(problem)]
            else:
                groups = services.search(query, may_open=user_may)
                # A whole receipt or reference that names one record, and nothing else, is
                # where the person meant to go; a name, however exact, may mean several.
                only = rules.only_exact(groups) if rules.looks_like_reference(query) else None
                if only is not None:
                    flash(f"“{query.text}” names one record, {only.label}: here it is.", "info")
                    return redirect(only.url, code=303)
        if form.q.errors:
            status = 422
    return render_template(
        "search/results.html",
        form=form,
        groups=groups,
        found=sum(group.total for group in groups or []),
    ), status
