"""What every domain module shares: a blueprint whose landing page lists the module's clocks
from the catalogue and its open deadlines."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core import clocks
from core.access import STAFF, roles_required
from core.deadlines import services as deadlines


def module_blueprint(module: str, *, title: str, summary: str, url_prefix: str) -> Blueprint:
    """A blueprint for ``module`` with its landing page at ``/``; the module adds its own pages."""
    blueprint = Blueprint(module, module, url_prefix=url_prefix)

    @blueprint.get("/", endpoint="index")
    @roles_required(*STAFF)
    def index() -> ResponseReturnValue:
        rows = deadlines.board(deadlines.BoardFilter(module=module), clocks.office_today())
        module_clocks = [clock for clock in clocks.CATALOGUE.values() if clock.module == module]
        return render_template(
            "module_home.html", title=title, summary=summary, clocks=module_clocks, rows=rows
        )

    return blueprint
