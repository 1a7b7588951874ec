"""Posting every step of a case against the case in every state: a step the state refuses answers
a message the person can read (field-level, or at the top of the case page), never a server
error and never a page that says nothing; and the page the person posts from offers the step
exactly where it is taken."""

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
    record to act on), what a person would type, and the page that offers it (from the case;
    the sweep's page when None)."""

    role: str
    url: Callable[[Any], str | None]
    data: Mapping[str, object] | Callable[[Any], Mapping[str, object]]
    page: Callable[[Any], str] | None = None


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
    return _post(client, url, data)[0]


def _post(client: FlaskClient, url: str, data: Mapping[str, object]) -> tuple[str, bool]:
    """The outcome, and whether a refusal named the fields at fault (the input, not the state)."""
    response = client.post(url, data=dict(data))
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    if response.status_code in (302, 303):
        page = client.get(response.location)
        assert page.status_code == 200, f"{url} led to {response.location}: {page.status_code}"
        if "usa-alert--error" in page.text:
            return REFUSED, False
        assert "usa-alert--success" in page.text, f"{url} redirected without saying anything"
        return TAKEN, False
    assert response.status_code == 422, f"{url} answered {response.status_code}"
    assert "usa-alert--error" in response.text or "usa-error-message" in response.text, (
        f"{url} was refused without a message on the page"
    )
    return REFUSED, "usa-error-message" in response.text


def offers(client: FlaskClient, page: str, url: str) -> bool:
    """Whether ``page``, as the person sees it, links to ``url`` or has a form posting to it
    that can be sent (a disabled button offers nothing)."""
    text = client.get(page).text
    if f'href="{url}"' in text:
        return True
    start = text.find(f'action="{url}"')
    return start >= 0 and "disabled" not in text[start : text.find("</form>", start)]


def sweep(
    clients: Mapping[str, FlaskClient],
    states: Mapping[str, Callable[[], Any]],
    steps: Mapping[str, Step],
    page: Callable[[Any], str] | None = None,
) -> dict[tuple[str, str], str]:
    """Every step against a case built in every state (a fresh one after a step was taken).
    Each step must be taken in at least one state, so that its data is known to be what the
    form accepts and the refusals seen elsewhere come from the state. With a ``page``, the page
    offers the step to the person who posts it exactly in the states where it is taken."""
    outcomes: dict[tuple[str, str], str] = {}
    offered_wrongly = []
    for state, build in states.items():
        case = build()
        for name, step in steps.items():
            url = step.url(case)
            if url is None:
                continue
            data = step.data(case) if callable(step.data) else step.data
            page_of_step = step.page or page
            shown = page_of_step is not None and offers(clients[step.role], page_of_step(case), url)
            outcomes[(state, name)], by_field = _post(clients[step.role], url, data)
            taken = outcomes[(state, name)] == TAKEN
            # A form offered may still refuse what was typed in it (a date too early).
            if page_of_step is not None and shown != taken and not (shown and by_field):
                offered_wrongly.append((state, name, "shown" if shown else "hidden"))
            if outcomes[(state, name)] == TAKEN:
                case = build()
    never_taken = set(steps) - {
        name for (_state, name), outcome in outcomes.items() if outcome == TAKEN
    }
    assert never_taken == set(), f"steps never accepted in any state: {never_taken}"
    assert offered_wrongly == [], f"shown where refused, or hidden where taken: {offered_wrongly}"
    return outcomes
