"""The landing page every module shares: its clocks from the catalogue and its open deadlines."""

from __future__ import annotations

from flask import render_template

from core import clocks
from core.deadlines import services as deadlines


def module_home(module: str, *, title: str, summary: str, template: str) -> str:
    rows = deadlines.board(deadlines.BoardFilter(module=module), clocks.office_today())
    module_clocks = [clock for clock in clocks.CATALOGUE.values() if clock.module == module]
    return render_template(
        template, title=title, summary=summary, module=module, clocks=module_clocks, rows=rows
    )
