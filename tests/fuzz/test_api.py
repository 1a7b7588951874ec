"""The provider API fuzzed by schemathesis against the OpenAPI document it publishes, on
PostgreSQL: every phase (examples, coverage, fuzzing, and stateful runs that follow the
document's links from a receipt to its status, PDF and IP log), every check, both valid and
invalid requests, and a bounded run of at least a thousand requests with not one answer of 500
or more and not one answer the document does not describe."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from werkzeug.serving import make_server

from core.auth.rules import Role
from core.db import db
from intake import services
from intake.api_document import VALIDATE_ONLY_VALUES
from tests.conftest import BACKENDS, make_app
from tests.factories import make_provider, make_user

MINIMUM_REQUESTS = 1_000
DOCUMENT = "/api/v1/openapi.json"

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="the API is fuzzed on PostgreSQL, as in production"
)


@dataclass
class Counted:
    """The application, counting the requests that reach it and the answers of 500 or more."""

    app: Flask
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.lock:
            self.requests += 1

        def counted(status: str, headers: Any, exc_info: Any = None) -> Any:
            if int(status.split(" ", 1)[0]) >= 500:
                with self.lock:
                    self.server_errors.append(
                        f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO')} {status}"
                    )
            return start_response(status, headers, exc_info)

        return self.app(environ, counted)


@pytest.fixture
def served(database_url: str) -> Iterator[tuple[Counted, str, str]]:
    """The application over HTTP on a free port, and a provider system's bearer token.

    Over HTTP rather than in-process: schemathesis's in-process (WSGI) transport hands a
    redirect setting to werkzeug in its stateful phase, which werkzeug refuses."""
    # More than a thousand requests a minute with one token and from one address: the limits
    # would answer most of them 429 (tests/intake/test_api_rate_limits.py tests that answer).
    application = make_app(
        database_url,
        SERVER_NAME=None,
        RATELIMIT_FILING_API="1000000 per minute",
        RATELIMIT_PUBLIC_FEED="1000000 per minute",
    )
    with application.app_context():
        _, token = services.issue_token(
            make_provider("Redwood GPU Cloud, Inc."), label="fuzzing", actor=make_user(Role.ADMIN)
        )
        db.session.commit()
        db.session.remove()
    counted = Counted(application)
    server = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield counted, f"http://127.0.0.1:{server.server_port}", token
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with application.app_context():
            db.engine.dispose()


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 14,
            "headers": {"Authorization": f"Bearer {token}"},
            "continue-on-failure": True,
            # Each run starts from the document alone, not from what an earlier run learned.
            "cache": {"enabled": False},
            # How fast examples are made depends on the machine's load, not on the API.
            "suppress-health-check": ["too_slow"],
            "generation": {"mode": "all", "max-examples": 20, "database": "none"},
            "phases": {"stateful": {"max-steps": 10}},
            "checks": {
                # 422: a valid document that breaks a rule the schema cannot state (a date
                # against today, a field another field's answer requires, an IP log for a
                # filing that is not a training report); its answer is still checked.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]
                },
            },
        }
    )


def _key_unless_checking(context: Any, case: Any, kwargs: Any) -> None:
    """A valid filing carries an Idempotency-Key unless it is a check (validate_only=true): the
    document says so in words, as OpenAPI cannot make one parameter's need depend on another."""
    if case.operation.definition.raw.get("operationId") != "fileFiling":
        return
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    checking = VALIDATE_ONLY_VALUES.get(str(case.query.get("validate_only")).lower(), False)
    if "Idempotency-Key" not in case.headers and not checking:
        case.headers["Idempotency-Key"] = hashlib.sha256(repr(case.body).encode()).hexdigest()


def _failures(event: events.ScenarioFinished) -> Iterator[tuple[str, str]]:
    """Each failed check of a scenario: what failed where, and the request and answer."""
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            case = event.recorder.cases[case_id].value
            interaction = event.recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            status = response.status_code if response else "no answer"
            sent = {name: value for name, value in case.headers.items() if name != "Authorization"}
            yield (
                f"{case.method} {case.operation.path}: {check.name}, answered {status}",
                f"{check.failure_info.failure.message[:300]}\n  sent query={case.query} "
                f"headers={sent} path={case.path_parameters} body={str(case.body)[:300]}\n"
                f"  answer={response.content[:300] if response else None!r}",
            )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_api_answers_every_generated_request_as_its_document_says(served):
    counted, base_url, token = served
    schema = schemathesis.openapi.from_url(base_url + DOCUMENT, config=_config(token))
    failures: Counter[str] = Counter()
    examples: dict[str, str] = {}
    errors: list[str] = []
    requests_by_phase: Counter[str] = Counter()
    schemathesis.hook("before_call")(_key_unless_checking)
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.PhaseStarted):
                requests_by_phase[event.phase.name.value] -= counted.requests
            elif isinstance(event, events.PhaseFinished):
                requests_by_phase[event.phase.name.value] += counted.requests
            elif isinstance(event, events.ScenarioFinished):
                for failure, example in _failures(event):
                    failures[failure] += 1
                    examples.setdefault(failure, example)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                errors.append(f"{getattr(event, 'label', '')}: {getattr(event, 'info', event)}")
    finally:
        schemathesis.hooks.unregister(_key_unless_checking)
    print(f"{counted.requests} requests by phase: {dict(requests_by_phase)}")
    report = "\n".join(f"{count} x {failure}\n{examples[failure]}" for failure, count in
                       failures.most_common())  # fmt: skip
    assert errors == []
    assert counted.server_errors == []
    assert not failures, report
    assert counted.requests >= MINIMUM_REQUESTS
