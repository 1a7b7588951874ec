"""The application's rate limiter (Flask-Limiter) and the limits the modules declare.

A view declares its limits with ``@limited(...)``, as it declares its roles (core/access.py);
``init_app`` gives each application a limiter of its own, after the blueprints are registered,
and applies every declared limit to its routes. A refused request answers 429 with
``Retry-After``: a problem document under ``/api/``, elsewhere the page the view names (its
form again, with what was typed) or the error page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many

from core import errorpages, problems
from core.config import ConfigurationError
from core.db import utcnow
from core.rate_limits import (
    rules,
    storage,  # noqa: F401 (registers oicts-database://)
)

View = TypeVar("View", bound=Callable[..., Any])
EXTENSION = "oicts_rate_limits"
STORAGE_SETTING = "RATELIMIT_STORAGE_URI"
_FAILED = "rate_limit_failure"


@dataclass(frozen=True)
class RateLimit:
    """One limit: the setting that holds its figure ("20 per 15 minutes"), the counter it
    counts on (every route naming the same scope counts together), whom it counts, and what a
    refused client is told (the time to wait is added)."""

    setting: str
    scope: str
    key: Callable[[], str]
    refusal: str | Callable[[], str]
    # Only requests the view marks with count_failure() are counted (a wrong password), but
    # every request is refused once the figure is reached.
    failures_only: bool = False
    methods: tuple[str, ...] | None = None


def limited(*limits: RateLimit, page: Callable[[str], str] | None = None) -> Callable[[View], View]:
    """Marks a view with its limits; ``page`` shows the view's own page with the refusal."""

    def mark(view: View) -> View:
        view.rate_limits = (*getattr(view, "rate_limits", ()), *limits)  # type: ignore[attr-defined]
        if page is not None:
            view.rate_limit_page = page  # type: ignore[attr-defined]
        return view

    return mark


def count_failure() -> None:
    """Counts this request against the limits that count failures only."""
    setattr(g, _FAILED, True)


def _failed(_response: Response) -> bool:
    return bool(g.get(_FAILED))


def client_address() -> str:
    """The client's address, as the trusted proxies report it (TRUSTED_PROXIES, app.py)."""
    return request.remote_addr or "unknown"


def _storage_uri(app: Flask) -> str:
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    uri = app.config.setdefault(STORAGE_SETTING, rules.default_storage_uri(database))
    if uri.startswith(rules.DATABASE) and database.startswith("sqlite"):
        raise ConfigurationError(
            f"{STORAGE_SETTING}={uri} needs PostgreSQL: on SQLite a counter written beside the "
            "request's open transaction waits for it. Leave it unset to count in memory."
        )
    return uri


def _figure(app: Flask, setting: str) -> Callable[[], str]:
    try:
        parse_many(app.config[setting])
    except (KeyError, ValueError) as error:
        raise ConfigurationError(
            f"{setting} must be a rate such as '20 per 15 minutes': {error}"
        ) from None
    return lambda: current_app.config[setting]


def init_app(app: Flask) -> None:
    """The application's limiter, and every declared limit on its routes. Call it once the
    blueprints are registered."""
    limiter = Limiter(
        key_func=client_address,
        storage_uri=_storage_uri(app),
        strategy="fixed-window",
        key_prefix="oicts",
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    wrapped: dict[int, Callable[..., Any]] = {}
    for endpoint, view in list(app.view_functions.items()):
        if not getattr(view, "rate_limits", ()):
            continue
        if id(view) not in wrapped:
            limiting = view
            for limit in view.rate_limits:
                limiting = limiter.shared_limit(
                    _figure(app, limit.setting),
                    scope=limit.scope,
                    key_func=limit.key,
                    methods=list(limit.methods) if limit.methods else None,
                    error_message=limit.refusal,
                    deduct_when=_failed if limit.failures_only else None,
                )(limiting)
            wrapped[id(view)] = limiting
        app.view_functions[endpoint] = wrapped[id(view)]
    app.register_error_handler(RateLimitExceeded, too_many_requests)


def _wait_seconds() -> int:
    limiter: Limiter = current_app.extensions[EXTENSION]
    breached = limiter.current_limit
    if breached is None:
        return 60
    return rules.retry_after(breached.window.reset_time, utcnow().timestamp())


def too_many_requests(error: RateLimitExceeded) -> ResponseReturnValue:
    """429 with Retry-After; the refusal says how long to wait."""
    wait = _wait_seconds()
    headers = {"Retry-After": str(wait)}
    message = f"{error.description}; try again in {rules.wait_phrase(wait)}."
    current_app.logger.warning(
        "rate limit reached on %s: %s", request.endpoint, error.limit.scope or ""
    )
    if problems.is_api_request():
        return problems.problem(429, message, kind="rate-limited", headers=headers)
    view = current_app.view_functions.get(request.endpoint or "")
    page = getattr(view, "rate_limit_page", None)
    if page is not None:
        return page(message), 429, headers
    body, status = errorpages.render_error(429, "Too many attempts", message)
    return body, status, headers
