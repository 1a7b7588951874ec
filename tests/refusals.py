"""Posting every step of a case against the case in every state: a step the state refuses answers
a message the person can read (field-level, or at the top of the case page), never a server
error and never a page that says nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from core.auth.models import User
from core.db import db
from tests.factories import log_in

TAKEN, REFUSED = "taken", "refused"


@dataclass(frozen=True)
class Step:
    """A state-changing form: who posts it, where (from the case; None when the case has no such
    record to act on) and what a person would type."""

    role: str
    url: Callable[[Any], str | None]
    data: Mapping[str, object] | Callable[[Any], Mapping[str, object]]


def then(previous: Callable[[], Any], step: Callable[[Any], object]) -> Callable[[], Any]:
    """Builds the record as ``previous`` does, takes ``step`` on it and commits."""

    def build() -> Any:
        record = previous()
        step(record)
        db.session.commit()
        return record

    return build


def signed_in(app: Flask, **people: User) -> dict[str, FlaskClient]:
    """A client signed in for each person, by the name the steps give their role."""
    clients = {}
    for role, person in people.items():
        clients[role] = app.test_client()
        log_in(clients[role], person)
    return clients


def post_step(client: FlaskClient, url: str, data: Mapping[str, object]) -> str:
    """TAKEN when the step was done, REFUSED when the answer says why it was not."""
    response = client.post(url, data=dict(data))
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    if response.status_code in (302, 303):
        page = client.get(response.location)
        assert page.status_code == 200, f"{url} led to {response.location}: {page.status_code}"
        if "usa-alert--error" in page.text:
            return REFUSED
        assert "usa-alert--success" in page.text, f"{url} redirected without saying anything"
        return TAKEN
    assert response.status_code == 422, f"{url} answered {response.status_code}"
    assert "usa-alert--error" in response.text or "usa-error-message" in response.text, (
        f"{url} was refused without a message on the page"
    )
    return REFUSED


def sweep(
    clients: Mapping[str, FlaskClient],
    states: Mapping[str, Callable[[], Any]],
    steps: Mapping[str, Step],
) -> dict[tuple[str, str], str]:
    """Every step against a case built in every state (a fresh one after a step was taken).
    Each step must be taken in at least one state, so that its data is known to be what the
    form accepts and the refusals seen elsewhere come from the state."""
    outcomes: dict[tuple[str, str], str] = {}
    for state, build in states.items():
        case = build()
        for name, step in steps.items():
            url = step.url(case)
            if url is None:
                continue
            data = step.data(case) if callable(step.data) else step.data
            outcomes[(state, name)] = post_step(clients[step.role], url, data)
            if outcomes[(state, name)] == TAKEN:
                case = build()
    never_taken = set(steps) - {
        name for (_state, name), outcome in outcomes.items() if outcome == TAKEN
    }
    assert never_taken == set(), f"steps never accepted in any state: {never_taken}"
    return outcomes
