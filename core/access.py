"""Route access: every view declares the roles that may use it; anything undeclared is denied.

``@roles_required(Role.ANALYST, ...)`` and ``@public`` only mark the view; ``enforce_route_roles``
runs before every request and decides, so no route can forget to check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.rules import Role

PUBLIC = "public"
# Routes for providers' systems: no web session; the view checks a bearer token instead.
PROVIDER_SYSTEM = "provider-system"
ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.VIEWER})

View = TypeVar("View", bound=Callable[..., Any])

# Pages a signed-in administrator may reach before enrolling the required second factor.
ENROLMENT_ENDPOINTS = frozenset(
    {"auth.two_factor_setup", "auth.logout", "auth.system_use", "static"}
)


def roles_required(*roles: Role) -> Callable[[View], View]:
    if not roles:
        raise ValueError("name at least one role")

    def mark(view: View) -> View:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return mark


def public(view: View) -> View:
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return view


def provider_system(view: View) -> View:
    view.allowed_roles = PROVIDER_SYSTEM  # type: ignore[attr-defined]
    return view


def _is_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def allowed_roles_of(endpoint: str | None) -> frozenset[Role] | str | None:
    if endpoint is None:
        return None
    if _is_static(endpoint):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def enforce_route_roles() -> ResponseReturnValue | None:
    if request.endpoint is None:  # no route matched: let Flask answer 404/405
        return None
    allowed = allowed_roles_of(request.endpoint)
    if allowed == PROVIDER_SYSTEM or _is_static(request.endpoint):
        return None
    # The signed-in user is loaded here, before any view runs, public pages included: resuming
    # a session may commit (it records activity, ends expired sessions), and that commit must
    # never carry a view's unfinished work.
    signed_in = current_user.is_authenticated
    if allowed == PUBLIC:
        return None
    if allowed is None:
        current_app.logger.error("route %s declares no roles: denied", request.endpoint)
        abort(403)
    if not signed_in:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    role = current_user.role_enum
    # Administrators, and anyone whose second factor was reset, set one up before going on.
    if current_user.must_set_up_second_factor and request.endpoint not in ENROLMENT_ENDPOINTS:
        return redirect(url_for("auth.two_factor_setup"))
    if role not in allowed:
        abort(403)
    return None


def role_may(role: Role | None, endpoint: str) -> bool:
    """Whether someone of ``role`` (None: nobody signed in) may use ``endpoint``."""
    allowed = allowed_roles_of(endpoint)
    if allowed == PUBLIC:
        return True
    if allowed is None or role is None:
        return False
    return role in allowed


def current_role() -> Role | None:
    """The signed-in user's role; None when nobody is signed in."""
    return current_user.role_enum if current_user.is_authenticated else None


def user_may(endpoint: str) -> bool:
    """Whether the signed-in user may use ``endpoint`` (to show only the links that work);
    answered once per endpoint in a request, since a page asks of the same links many times."""
    answered = g.setdefault("endpoints_the_user_may_use", {})
    asked = (current_role(), endpoint)
    if asked not in answered:
        answered[asked] = role_may(*asked)
    return answered[asked]
