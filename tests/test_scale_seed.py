"""The list pages at office scale (`flask seed-scale`: 2,000 providers, 50,000 filings, 5,000
open deadlines), on SQLite and PostgreSQL: each page renders one page of rows at most and says
how many there are in all. The office is seeded once per back end, from a copy of the migrated
template (tests/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from casework import services as casework
from casework.rules import AssessmentOrigin
from core import clocks, transactions
from core.auth.models import User
from core.auth.rules import Role
from core.db import db
from core.deadlines.models import Deadline
from intake.models import Filing, ForeignReseller, Provider
from scale_seed import AlreadySeeded, Scale, seed_scale
from tests.conftest import (
    BACKENDS,
    _database_url_named,
    _new_postgres_database,
    make_app,
)
from tests.factories import log_in, log_in_admin, make_admin, make_user

pytestmark = pytest.mark.slow

OFFICE = Scale(providers=2_000, filings=50_000, deadlines=5_000, resellers=3_000, activity=300)
ANALYST_EMAIL, ADMIN_EMAIL = "scale.analyst@oicts.example", "scale.admin@oicts.example"


def _seed(url: str) -> None:
    application = make_app(url)
    with application.app_context():
        make_user(Role.ANALYST, email=ANALYST_EMAIL)
        make_admin(email=ADMIN_EMAIL)
        # In one transaction, as `flask seed-scale` runs it: the scores are kept before it commits.
        transactions.command(seed_scale)(OFFICE, today=clocks.office_today())
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_office(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("office") / "office.sqlite3"
    shutil.copyfile(sqlite_template, path)
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_office(postgres_template: str) -> Iterator[str]:
    """A database made from the migrated template and seeded, dropped at the end of the run."""
    with _new_postgres_database("oicts_office", template=postgres_template) as name:
        _seed(_database_url_named(name))
        yield name


@pytest.fixture(params=BACKENDS)
def office_app(request: pytest.FixtureRequest):
    """The application on the seeded office, which the test only reads (and signs in to)."""
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('sqlite_office')}"
    else:
        url = _database_url_named(request.getfixturevalue("postgres_office"))
    application = make_app(url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _rows_and_count(page: str, table: str) -> tuple[int, str]:
    soup = BeautifulSoup(page, "html.parser")
    body = soup.select_one(f'[data-testid="{table}"] tbody')
    assert body is not None, f"no table {table}"
    count = soup.select_one('[data-testid="list-count"], [data-testid="inbox-count"]')
    shown = count.get_text(" ", strip=True) if count else ""
    return len(body.find_all("tr", recursive=False)), shown


def _one_page(client, path: str, table: str, total: int, size: int) -> list[str]:
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: {response.status_code}"]
    rows, count = _rows_and_count(response.text, table)
    wrong = []
    if not 0 < rows <= size:
        wrong.append(f"{path}: {rows} rows")
    if f"{total:,}" not in count:
        wrong.append(f"{path}: the count reads {count!r}, not of {total:,}")
    return wrong


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _count_where(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(Filing).where(*conditions))


def test_the_office_seeded_and_every_list_page_shows_one_page_of_it_and_the_count(office_app):
    # One test a back end: each seeds its office once, in its own worker.
    assert _count(Provider) == 2_000 and _count(Filing) == 50_000
    assert _count(ForeignReseller) == 3_000
    assert db.session.scalar(select(func.count()).where(Deadline.met_on.is_(None))) == 5_000
    late = db.session.scalar(select(func.count()).where(Filing.timeliness == "late"))
    early = db.session.scalar(select(func.count()).where(Filing.timeliness == "too early"))
    flagged = db.session.scalar(
        select(func.count()).where(func.json_array_length(Filing.warnings_json) > 0)
    )
    assert 1_000 < late < 20_000 and 100 < early < late and flagged >= late + early
    with pytest.raises(AlreadySeeded):
        seed_scale(OFFICE, today=clocks.office_today())

    client = office_app.test_client()
    log_in(client, _user(ANALYST_EMAIL))
    largest, resellers = db.session.execute(
        select(ForeignReseller.provider_id, func.count())
        .group_by(ForeignReseller.provider_id)
        .order_by(func.count().desc(), ForeignReseller.provider_id)
        .limit(1)
    ).one()
    due = len(casework.assessments_due(clocks.office_today()))
    pages = [
        ("/intake/filings", "filings", 50_000, 50),
        ("/intake/filings?timeliness=late&per_page=100", "filings",
         _count_where(Filing.timeliness == "late"), 100),
        ("/intake/filings?sort=provider&page=400", "filings", 50_000, 50),
        ("/intake/providers", "providers", 2_000, 50),
        ("/intake/providers?sort=due&dir=desc", "providers", 2_000, 50),
        ("/intake/providers?sort=status&page=20", "providers", 2_000, 50),
        ("/deadlines/", "deadlines", 5_000, 50),
        ("/deadlines/?sort=assignee&dir=desc&page=60", "deadlines", 5_000, 50),
        ("/casework/risk", "risk-queue", 2_000, 50),
        ("/casework/assessments/due", "assessments-due", due, 50),
        (f"/intake/providers/{largest}/resellers", "resellers", resellers, 50),
        ("/jobs/", "jobs", OFFICE.activity, 50),
        ("/notifications/", "inbox", OFFICE.activity, 25),
    ]  # fmt: skip
    wrong = [problem for page in pages for problem in _one_page(client, *page)]
    admin = office_app.test_client()
    log_in_admin(admin, _user(ADMIN_EMAIL))
    wrong += _one_page(admin, "/admin/outbox", "outbox", OFFICE.activity, 50)
    assert wrong == []
    _the_search_box_finds_what_a_person_types(client, office_app)


def _search(client, typed: str):
    return client.get("/search", query_string={"q": typed})


def _first_result_of(page) -> str:
    found = BeautifulSoup(page.text, "html.parser").select_one("section.app-search-group ol a")
    return " ".join(found.get_text().split()) if found else ""


def _the_search_box_finds_what_a_person_types(client, office_app) -> None:
    """Among 2,000 providers and 50,000 filings (issue: the office's daily work): a receipt, a
    case reference, an accented name typed without its accents, and a contact email."""
    receipt = db.session.scalar(select(Filing.receipt_number).order_by(Filing.id.desc()).limit(1))
    answer = _search(client, receipt.lower())
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/intake/filings/{receipt}")

    accented = db.session.scalars(
        select(Provider).where(Provider.legal_name.contains("Québec")).order_by(Provider.id.desc())
    ).first()
    typed = accented.legal_name.replace("é", "e").replace(",", "").lower()
    assert _first_result_of(_search(client, typed)) == accented.legal_name

    other = db.session.get(Provider, accented.id - 1)
    assert _first_result_of(_search(client, other.contact_email.upper())) == other.legal_name

    # A case opened now, as an analyst opens one from the queue, is found by its reference.
    analyst = _user(ANALYST_EMAIL)
    assessment = transactions.command(casework.open_assessment)(
        accented, origin=AssessmentOrigin.REFERRAL, scope="The written CIP.", origin_note="",
        actor=analyst, today=clocks.office_today(),
    )  # fmt: skip
    answer = _search(client, assessment.reference)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/casework/assessments/{assessment.id}")
