"""The office at scale under gunicorn, each figure beside its floor measured in the same run.

    .venv/bin/python benchmarks/office_scale.py [--runs 30] [--backends sqlite,postgresql]
        [--no-bulk | --pages-only] [--no-pages] [--keep-alive] [--ip-rows 1000000]
        [--reseller-rows 50000]

Pages, for each back end: a fresh database, migrated, with `flask seed-scale`'s office
(benchmarks/office.py) is served as production serves it: ``gunicorn -c gunicorn.conf.py`` with
``OICTS_ENV=production``, the database and the keys in the environment, but 2 workers. Beside it,
under the same command and settings, a hello-world Flask application (benchmarks/hello.py) is the
floor. An analyst and an administrator sign in over HTTP as a person does (the form's CSRF token,
the acknowledgement, the administrator's code); each page (the analyst's, the outbox the
administrator's) is checked to be itself, asked once to warm it, then ``--runs`` times, each ask
of the page paired with an ask of the floor. Each ask opens its own connection, as nginx's
proxy does by default (HTTP/1.0 to the upstream, no upstream keep-alive; README "Web server");
``--keep-alive`` asks every page and the floor over one kept connection instead, as a browser
talking to gunicorn directly would. Each page's p50 and p95 are printed beside the floor's,
against the goals: p50 at most 5×, p95 at most 10×.

Bulk (``--bulk``, on by default), each benchmark on a fresh database of each back end: a compiled
reseller certification imported (benchmarks/reseller_import.py, at least 0.3× the rate of
writing its rows into a bare table) and a 1,000,000-row IP log attached by the job worker
(benchmarks/ip_search.py, at least 0.5× its floor's rate, the worker's peak memory under 300 MB).

Last, a Markdown table of each back end's figures, to paste into the README. The lines
``load`` are the machine's load averages (1, 5, 15 minutes) when they were measured: figures
are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pyotp
import requests
from bs4 import BeautifulSoup
from common import Figure, database_urls
from office import PASSWORD, Page, Person, SeededOffice, pages, percentiles, seed_office
from serving import gunicorn

from app import create_app

WEB_WORKERS = 2
PAGE_GOALS = {"p50": 5.0, "p95": 10.0}  # at most this many times the floor


@dataclass(frozen=True)
class BulkBenchmark:
    module: str
    rows_option: str
    rate_goal: float  # the least fraction of its floor's rate the project must reach


BULK = (
    BulkBenchmark("reseller_import", "reseller_rows", 0.3),
    BulkBenchmark("ip_search", "ip_rows", 0.5),
)


@dataclass(frozen=True)
class PageFigures:
    page: Page
    p50: Figure
    p95: Figure


@dataclass
class Report:
    """What one back end measured, for its table."""

    label: str
    floor: tuple[float, float] = (0.0, 0.0)
    pages: list[PageFigures] | None = None
    bulk: list[tuple[Figure, bool]] | None = None
    load: str = ""


def load_averages() -> str:
    return " ".join(f"{average:.2f}" for average in os.getloadavg())


def _production_env(url: str, folder: Path) -> dict[str, str]:
    """The environment production gives gunicorn (README "Configuration"); the keys are this
    run's (benchmarks/common.py)."""
    return {
        **os.environ,
        "OICTS_ENV": "production",
        "DATABASE_URL": url,
        "WEB_WORKERS": str(WEB_WORKERS),
        # The proxy's TLS is left out of the measure, and over plain HTTP a Secure cookie
        # would never be sent back.
        "SESSION_COOKIE_SECURE": "0",
        "AUDIT_CHECKPOINT_PATH": str(folder / "audit-checkpoints"),
    }


def _csrf_token(answer: requests.Response) -> str:
    field = BeautifulSoup(answer.text, "html.parser").select_one('input[name="csrf_token"]')
    if field is None:
        raise RuntimeError(f"{answer.url} ({answer.status_code}) shows no form with a CSRF token")
    return str(field["value"])


def signed_in(base: str, person: Person) -> requests.Session:
    """A keep-alive session signed in as ``person`` through the sign-in pages."""
    session = requests.Session()
    form = session.get(f"{base}/login")
    answer = session.post(
        f"{base}/login",
        data={
            "csrf_token": _csrf_token(form),
            "acknowledge": "y",
            "email": person.email,
            "password": PASSWORD,
        },
    )
    if person.totp_secret:
        code = pyotp.TOTP(person.totp_secret).now()
        answer = session.post(
            f"{base}/login/code", data={"csrf_token": _csrf_token(answer), "code": code}
        )
    if answer.status_code != 200 or "/login" in answer.url:
        raise RuntimeError(f"{person.email} was not signed in ({answer.status_code} {answer.url})")
    return session


def _check_is_the_page(answer: requests.Response, page: Page) -> None:
    if answer.status_code != 200:
        where = answer.headers.get("Location", "")
        raise RuntimeError(f"{page.path} answered {answer.status_code} {where}")
    heading = BeautifulSoup(answer.text, "html.parser").h1
    shown = heading.get_text(" ", strip=True) if heading else ""
    if page.heading not in shown:
        raise RuntimeError(f"{page.path} shows the heading {shown!r}, not {page.heading!r}")


def _seconds(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    answer = session.get(url, allow_redirects=False)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"{url} answered {answer.status_code} while measured")
    return elapsed


def _page_figures(page: Page, seconds: list[float], floor: tuple[float, float]) -> PageFigures:
    p50, p95 = percentiles(seconds)
    return PageFigures(
        page, Figure(f"{page.path} p50", p50, floor[0], "ms"),
        Figure(f"{page.path} p95", p95, floor[1], "ms"),
    )  # fmt: skip


def measure_pages(
    base: str, hello: str, office: SeededOffice, runs: int, *, keep_alive: bool = False
) -> tuple[tuple[float, float], list[tuple[Page, list[float]]]]:
    """The floor's p50 and p95 over every ask of it, and each page's times. Each ask of a page
    follows an ask of the floor, so that both see the same load of the machine."""
    analyst, admin = signed_in(base, office.analyst), signed_in(base, office.admin)
    floor_session = requests.Session()
    if not keep_alive:
        for session in (analyst, admin, floor_session):
            session.headers["Connection"] = "close"
    floor_seconds = [_seconds(floor_session, hello)]  # warms its connection
    measured = []
    for page in pages(office):
        session = admin if page.by_admin else analyst
        url = base + page.path
        _check_is_the_page(session.get(url, allow_redirects=False), page)
        page_seconds = []
        for _ in range(runs):
            floor_seconds.append(_seconds(floor_session, hello))
            page_seconds.append(_seconds(session, url))
        measured.append((page, page_seconds))
    for session in (analyst, admin, floor_session):
        session.close()
    return percentiles(floor_seconds[1:]), measured


def _goal_mark(figure: Figure, goal: float) -> str:
    return "PASS" if figure.ratio <= goal else f"over {goal:g}×"


def page_report(url: str, label: str, runs: int, *, keep_alive: bool = False) -> Report:
    connections = "one kept connection" if keep_alive else "a connection an ask"
    print(f"[{label}] pages, {connections}  (load {load_averages()})")
    office = seed_office(create_app({"SQLALCHEMY_DATABASE_URI": url}))
    with tempfile.TemporaryDirectory() as folder:
        env, log = _production_env(url, Path(folder)), Path(folder) / "gunicorn.log"
        with (
            gunicorn(env, log, ready_path="/readyz") as base,
            gunicorn(env, log, app="benchmarks.hello:app") as hello,
        ):
            floor, measured = measure_pages(base, hello + "/", office, runs, keep_alive=keep_alive)
    report = Report(label, floor, [_page_figures(p, s, floor) for p, s in measured])
    report.load = load_averages()
    print(f"  floor (hello world, same gunicorn): p50 {floor[0]:.2f} ms, p95 {floor[1]:.2f} ms")
    for figures in report.pages:
        for which, figure in (("p50", figures.p50), ("p95", figures.p95)):
            print(f"  {figure.line()}  {_goal_mark(figure, PAGE_GOALS[which])}")
    print(f"  (load {report.load})")
    return report


def _bulk_goal_met(figure: Figure, benchmark: BulkBenchmark) -> bool:
    """A rate must reach its fraction of the floor's; a figure that is no rate (the worker's
    peak memory) has the goal's limit as its floor, and must stay under it."""
    if figure.higher_is_better:
        return figure.ratio >= benchmark.rate_goal
    return figure.ratio < 1


def bulk_figures(
    benchmark: BulkBenchmark, backends: str, rows: int
) -> dict[str, list[tuple[Figure, bool]]]:
    """Each back end's figures of one bulk benchmark with whether each meets its goal; none when
    the benchmark does not offer ``figures(url, label, rows=...)``."""
    measure = getattr(importlib.import_module(benchmark.module), "figures", None)
    if measure is None:
        print(f"benchmarks/{benchmark.module}.py has no figures(url, label, rows): left out")
        return {}
    found: dict[str, list[tuple[Figure, bool]]] = {}
    with closing(database_urls(backends)) as databases:
        for label, url in databases:
            print(f"[{label}] {benchmark.module}, {rows:,} rows  (load {load_averages()})")
            for figure in measure(url, label, rows=rows):
                met = _bulk_goal_met(figure, benchmark)
                print(f"  {figure.line()}  {'PASS' if met else 'short of the goal'}")
                found.setdefault(label, []).append((figure, met))
            print(f"  (load {load_averages()})")
    return found


def _markdown_pages(report: Report) -> list[str]:
    lines = [
        "| page | p50 ms | p95 ms | p50 × floor | p95 × floor | goal met |",
        "|---|---:|---:|---:|---:|---|",
        f"| hello world (the floor) | {report.floor[0]:.1f} | {report.floor[1]:.1f} | 1 | 1 | |",
    ]
    for row in report.pages or []:
        met = row.p50.ratio <= PAGE_GOALS["p50"] and row.p95.ratio <= PAGE_GOALS["p95"]
        lines.append(
            f"| `{row.page.path}` | {row.p50.value:.1f} | {row.p95.value:.1f} "
            f"| {row.p50.ratio:.1f}× | {row.p95.ratio:.1f}× | {'yes' if met else 'no'} |"
        )
    return lines


def _markdown_bulk(report: Report) -> list[str]:
    lines = ["| figure | value | floor | ratio | goal met |", "|---|---:|---:|---:|---|"]
    for figure, met in report.bulk or []:
        lines.append(
            f"| {figure.name} | {figure.value:,.0f} {figure.unit} | {figure.floor:,.0f} "
            f"| {figure.ratio:.2f}× | {'yes' if met else 'no'} |"
        )
    return lines


def print_markdown(report: Report, runs: int) -> None:
    print(f"\n**{report.label}** (load {report.load})\n")
    if report.pages:
        print(f"Pages under gunicorn ({WEB_WORKERS} workers), {runs} asks each:\n")
        print("\n".join(_markdown_pages(report)) + "\n")
    if report.bulk:
        print("\n".join(_markdown_bulk(report)))


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep-alive", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pages", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--pages-only", dest="bulk", action="store_false")
    parser.add_argument("--ip-rows", type=int, default=1_000_000)
    parser.add_argument("--reseller-rows", type=int, default=50_000)
    options = parser.parse_args()
    reports: dict[str, Report] = {}
    if options.pages:
        # closing: a database is dropped even when a page fails its check.
        with closing(database_urls(options.backends)) as databases:
            for label, url in databases:
                reports[label] = page_report(
                    url, label, options.runs, keep_alive=options.keep_alive
                )
    if options.bulk:
        for benchmark in BULK:
            rows = getattr(options, benchmark.rows_option)
            for label, figures in bulk_figures(benchmark, options.backends, rows).items():
                report = reports.setdefault(label, Report(label, load=load_averages()))
                report.bulk = (report.bulk or []) + figures
    for report in reports.values():
        print_markdown(report, options.runs)


if __name__ == "__main__":
    main()
