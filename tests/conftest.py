"""Fixtures: the application on a fresh, migrated database per test, on SQLite and PostgreSQL.

Each back end is migrated once per run into a template (a file for SQLite, a template database
for PostgreSQL); every test then gets its own copy, so no test sees another's data.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

# Keys for the test run, so that no test writes development secrets under instance/.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
os.environ.setdefault("SEARCH_HASH_KEY", secrets.token_urlsafe(32))
os.environ.setdefault("AUDIT_CHAIN_KEY", secrets.token_urlsafe(32))

from app import create_app
from core.db import db
from tests import api_contract
from tests.compilation import TEMPLATES, RuleWithSharedBuilders
from tests.mailcatcher import MailCatcher

BACKENDS = [
    name.strip() for name in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")
]
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
RUN_ID = uuid.uuid4().hex[:8]

Flask.url_rule_class = RuleWithSharedBuilders


def _migrate(database_url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _postgres_admin():
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _database_url_named(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the run's SQLite databases live: in memory where the machine offers it, since each
    commit on a disk waits for its writes to reach the disk (a test commits dozens of times), and
    no test is about surviving a power cut."""
    memory = Path("/dev/shm")  # noqa: S108 (mkdtemp below makes a directory only we can open)
    if memory.is_dir() and os.access(memory, os.W_OK):
        directory = Path(tempfile.mkdtemp(prefix=f"oicts-tests-{RUN_ID}-", dir=memory))
        yield directory
        shutil.rmtree(directory, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("sqlite")


@pytest.fixture(scope="session")
def sqlite_template(sqlite_directory: Path) -> Path:
    path = sqlite_directory / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    name = f"oicts_template_{RUN_ID}"
    admin = _postgres_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    _migrate(_database_url_named(name))
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class ReusedPostgresDatabase:
    """One PostgreSQL database a test process lends to each of its tests in turn, emptied back
    to the migrated template between them.

    Dropping a database makes PostgreSQL checkpoint the whole cluster, so a database made and
    dropped for every test cost each one over a second and slowed every other test's commits.
    Emptying is a DELETE of every table (triggers off, as the audit trail's refuse it), the
    rows the migrations seeded copied back and every sequence set back. A test that changed
    the schema (a downgrade, a table dropped) is seen by its fingerprint and the database is
    made again from the template."""

    def __init__(self, template: str):
        self.template = template
        self.name = f"oicts_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
        self.url = _database_url_named(self.name)
        self._create()
        with self._connect() as connection:
            self.fingerprint = self._fingerprint(connection)
            self._empty_all = self._emptying_script(connection)
            self._seeded = self._seeded_rows(connection)
            self._sequences = connection.execute(
                "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
                " WHERE last_value IS NOT NULL"
            ).fetchall()
        self.fresh = True

    def _create(self) -> None:
        with psycopg.connect(_psycopg_url(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
            # A commit need not wait for its WAL to reach the disk: only a crash of the server
            # could lose it, and no test is about that.
            admin.execute(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off')

    def drop(self) -> None:
        with psycopg.connect(_psycopg_url(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(_psycopg_url(self.url), autocommit=True)

    @staticmethod
    def _fingerprint(connection: psycopg.Connection) -> tuple[object, ...]:
        return connection.execute(
            "SELECT (SELECT md5(string_agg(c.relname || '.' || a.attname || ':'"
            "  || a.atttypid::text || ':' || a.attnotnull::text, ',' ORDER BY c.relname, a.attnum))"
            "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            "  WHERE n.nspname = 'public'),"
            " (SELECT md5(string_agg(tgname, ',' ORDER BY tgname)) FROM pg_trigger),"
            " (SELECT md5(string_agg(conname, ',' ORDER BY conname)) FROM pg_constraint),"
            " (SELECT string_agg(version_num, ',') FROM alembic_version)"
        ).fetchone()

    @staticmethod
    def _tables(connection: psycopg.Connection) -> list[str]:
        return [
            f'"{name}"'
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]

    def _emptying_script(self, connection: psycopg.Connection) -> str:
        sequences = [name for (name,) in connection.execute(
            "SELECT schemaname || '.' || sequencename FROM pg_sequences"
        )]  # fmt: skip
        return "; ".join(
            [
                "SET LOCAL session_replication_role = replica",
                *(f"DELETE FROM {table}" for table in self._tables(connection)),
                *(f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences),
            ]
        )

    def _seeded_rows(self, connection: psycopg.Connection) -> dict[str, bytes]:
        seeded = {}
        for table in self._tables(connection):
            if connection.execute(f"SELECT EXISTS (SELECT FROM {table})").fetchone()[0]:
                with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                    seeded[table] = b"".join(bytes(chunk) for chunk in copy)
        return seeded

    def lend(self) -> str:
        """The database as the template left it, for the next test."""
        if self.fresh:
            self.fresh = False
            return self.url
        with psycopg.connect(_psycopg_url(POSTGRES_ADMIN_URL), autocommit=True) as admin:
            # What a test left connected (a worker it started, a pool) would hold locks.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )
        with self._connect() as connection:
            intact = self._fingerprint(connection) == self.fingerprint
            if intact:
                with connection.transaction():
                    connection.execute(self._empty_all)
                    for table, rows in self._seeded.items():
                        with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                            copy.write(rows)
                    for sequence, value in self._sequences:
                        connection.execute("SELECT setval(%s, %s)", (sequence, value))
        if not intact:
            self.drop()
            self._create()
        return self.url


def _psycopg_url(sqlalchemy_url: str) -> str:
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def reused_postgres_database(postgres_template: str) -> Iterator[ReusedPostgresDatabase]:
    database = ReusedPostgresDatabase(postgres_template)
    yield database
    database.drop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = template.with_name(f"test-{uuid.uuid4().hex}.sqlite3")
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
        return
    yield request.getfixturevalue("reused_postgres_database").lend()


# A test marked `large` moves tens of thousands of rows; what it shows holds on either database,
# so it runs once, on the last back end named (PostgreSQL, as production runs, by default).
LARGE_TESTS_BACKEND = BACKENDS[-1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec else None
        if item.get_closest_marker("large") and backend not in (None, LARGE_TESTS_BACKEND):
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def audit_checkpoint_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps its audit checkpoints apart, as each has its own database."""
    path = tmp_path / "audit-checkpoints"
    monkeypatch.setenv("AUDIT_CHECKPOINT_PATH", str(path))
    return path


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, for tests that run the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    with _new_postgres_database("oicts_empty") as name:
        yield _database_url_named(name)


@contextlib.contextmanager
def _new_postgres_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """The name of a new PostgreSQL database, empty or a copy of ``template``, dropped
    afterwards."""
    name = f"{prefix}_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    admin = _postgres_admin()
    copied = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copied}'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- PostgreSQL roles as production has them (README: Running in production) ---------------

ROLES_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "postgres-roles.sql"


def _run_roles_script(**variables: str) -> None:
    psql_url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql")
    settings = [f"--variable={name}={value}" for name, value in variables.items()]
    subprocess.run(
        ["psql", "--quiet", psql_url.render_as_string(hide_password=False), *settings,
         "--file", str(ROLES_SCRIPT)],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.fixture(scope="session")
def postgres_roles() -> Iterator[tuple[str, str]]:
    """The owner and application roles: those scripts/test.sh made, or this run's own."""
    owner = os.environ.get("TEST_POSTGRES_OWNER_ROLE")
    application = os.environ.get("TEST_POSTGRES_APP_ROLE")
    made_here = not (owner and application)
    if made_here:
        owner, application = f"oicts_owner_{RUN_ID}", f"oicts_app_{RUN_ID}"
        _run_roles_script(owner=owner, app=application)
    yield owner, application
    if made_here:
        admin = _postgres_admin()
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{application}", "{owner}"'))
        admin.dispose()


@dataclass(frozen=True)
class ProductionDatabase:
    owner_url: str
    application_url: str
    application_role: str


@pytest.fixture
def production_database(postgres_roles: tuple[str, str]) -> Iterator[ProductionDatabase]:
    """A PostgreSQL database set up as the README says: made by the roles script, migrated by
    its owner role, then opened to the application role with `flask db grant-app-role`."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among TEST_DATABASES")
    owner, application = postgres_roles
    with _new_postgres_database("oicts_roles") as name:
        _run_roles_script(owner=owner, app=application, database=name)
        signed_in_as = make_url(_database_url_named(name))
        owner_url = signed_in_as.set(username=owner).render_as_string(hide_password=False)
        _migrate(owner_url)
        owner_app = make_app(owner_url)
        with owner_app.app_context():
            cli = owner_app.test_cli_runner()
            granted = cli.invoke(args=["db", "grant-app-role", application])
            db.session.remove()
            db.engine.dispose()
        assert granted.exit_code == 0, granted.output
        application_url = signed_in_as.set(username=application)
        yield ProductionDatabase(
            owner_url=owner_url,
            application_url=application_url.render_as_string(hide_password=False),
            application_role=application,
        )


class RequestIsolatingClient(FlaskClient):
    """Runs each request in its own application context, as in production: a fresh ``g`` (so
    Flask-Login loads the user again) and a fresh database session. The test's own session is
    expired afterwards, so it reads what the request committed. Every call under /api/ is
    checked against the published OpenAPI document (``tests/api_contract.py``)."""

    def open(self, *args: object, **kwargs: object):  # type: ignore[override]
        response = contextvars.Context().run(self._open_checked, *args, **kwargs)
        if has_app_context():  # redirects are followed from inside the request's own context
            db.session.expire_all()
        return response

    def _open_checked(self, *args: object, **kwargs: object):
        if not api_contract.is_api_call(args, kwargs):
            return super().open(*args, **kwargs)
        options = {
            name: kwargs.pop(name) for name in ("buffered", "follow_redirects") if name in kwargs
        }
        request = api_contract.replayable_request(self.application, args, kwargs)
        response = super().open(request, **options)
        api_contract.check(self.application, request, response)
        return response


# Every application a test builds, so that its connections (the engine's pool and the job
# queue's own) are closed when the test ends: a PostgreSQL connection left to the garbage
# collector warns in whichever later test it happens to be collected.
_APPLICATIONS_BUILT: list[Flask] = []


@pytest.fixture(autouse=True)
def _close_the_applications_built() -> Iterator[None]:
    yield
    while _APPLICATIONS_BUILT:
        application = _APPLICATIONS_BUILT.pop()
        with application.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        # Huey's PostgreSQL storage holds a connection of its own, outside the engine's pool.
        application.extensions["job_queue"].storage.close()


def make_app(database_url: str, **overrides: object) -> Flask:
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "oicts.test",
            **overrides,
        }
    )
    application.test_client_class = RequestIsolatingClient
    application.jinja_env.bytecode_cache = TEMPLATES
    _APPLICATIONS_BUILT.append(application)
    return application


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    application = make_app(database_url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def smtp_server() -> Iterator[MailCatcher]:
    """A real SMTP server on a free port, for the duration of the test."""
    catcher = MailCatcher().start()
    yield catcher
    catcher.stop()


@pytest.fixture
def mail_app(database_url: str, smtp_server: MailCatcher) -> Iterator[Flask]:
    """The application sending its mail to ``smtp_server`` (jobs run as soon as committed)."""
    application = make_app(database_url, **smtp_server.settings)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_app(database_url: str) -> Iterator[Flask]:
    """The application with CSRF protection on, as it runs in production."""
    application = make_app(database_url, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


# --- Browser tests ------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach the internet, which this machine refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # axe-core is injected as an inline script, which the pages' own CSP would block.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def live_server(database_url: str) -> Iterator[tuple[Flask, str]]:
    """The application served over HTTP on a free local port, with CSRF protection on."""
    application = make_app(database_url, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with application.app_context():
            yield application, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


# --- The job queue and a real worker ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# A worker silent this long is taken to have died (JOB_LEASE_SECONDS); short, so that a test
# that kills one sees its job taken up again within seconds.
TEST_JOB_LEASE_SECONDS = 3


def queue_settings(database_url: str) -> dict[str, object]:
    """The queue production uses on this database: Huey's SQLite file beside an SQLite database,
    Huey's tables inside a PostgreSQL one."""
    backend = make_url(database_url).get_backend_name()
    return {"JOB_QUEUE": backend, "JOB_LEASE_SECONDS": TEST_JOB_LEASE_SECONDS}


@pytest.fixture
def queued_app(database_url: str) -> Iterator[Flask]:
    """The application with a real job queue: jobs wait for a worker (``job_worker``)."""
    application = make_app(database_url, **queue_settings(database_url))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    # Huey's own connection to the queue ends with the test: left to the garbage collector, its
    # warning would fail whichever test happens to be running then.
    application.extensions["job_queue"].storage.close()


class WorkerProcess:
    """``flask jobs worker`` (or ``scheduler``) in a process of its own, as production runs it."""

    def __init__(self, database_url: str, log_path: Path, command: str = "worker", *options: str):
        self.database_url, self.log_path = database_url, log_path
        self.arguments = ["jobs", command, *options]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, **environment: str) -> WorkerProcess:
        settings = {name: str(value) for name, value in queue_settings(self.database_url).items()}
        env = {**os.environ, "DATABASE_URL": self.database_url, **settings, **environment}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", *self.arguments],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def kill(self) -> None:
        """Ends the worker as a crash or a lost machine does: no chance to finish or tidy up."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_until_started(self, seconds: float = 60) -> WorkerProcess:
        deadline = time.monotonic() + seconds
        while "consumer started" not in self.log().lower():
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start:\n{self.log()}")
            time.sleep(0.1)
        return self


@pytest.fixture
def job_worker(queued_app: Flask, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A started worker on the test's database and queue, stopped afterwards."""
    url = queued_app.config["SQLALCHEMY_DATABASE_URI"]
    worker = WorkerProcess(url, tmp_path / "worker.log").start()
    yield worker
    worker.stop()
