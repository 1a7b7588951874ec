"""Log-in, log-out and second-factor enrolment."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from core import clocks
from core.access import ALL_ROLES, public, roles_required
from core.auth import services
from core.auth.forms import EnrolSecondFactorForm, LoginForm, SecondFactorForm
from core.auth.rules import needs_second_factor
from core.db import db, utcnow
from core.rate_limits.services import RateLimit, client_address, count_failure, limited

bp = Blueprint("auth", __name__)

SESSION_TOKEN_KEY = "session_token"  # noqa: S105 (a session key name, not a secret)
PENDING_USER_KEY = "pending_second_factor_user"
PENDING_SECRET_KEY = "pending_totp_secret"  # noqa: S105 (a session key name)
PENDING_LIFETIME = timedelta(minutes=5)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the log-in page cannot be used to send people elsewhere."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("dashboard.index")


def _tell_of_lockouts(user: services.User) -> None:
    for locked_at in services.lockouts_since_last_sign_in(user):
        flash(
            f"Your account was locked after repeated failed sign-ins on "
            f"{clocks.office_time(locked_at)}. If those attempts were not yours, tell an "
            "administrator.",
            "warning",
        )


def _complete_login(user: services.User, next_target: str | None) -> ResponseReturnValue:
    session.clear()
    session.permanent = True
    _tell_of_lockouts(user)  # before this sign-in is recorded
    session[SESSION_TOKEN_KEY] = services.start_session(user)
    login_user(user)
    if needs_second_factor(user.role_enum) and not user.totp_enabled:
        flash("Administrators must set up a second factor before going on.", "warning")
        return redirect(url_for("auth.two_factor_setup"))
    return redirect(_safe_next(next_target))


def _account_typed() -> str:
    return services.normalise_email(request.form.get("email", ""))[:254] or "-"


def _account_pending() -> str:
    user = _pending_user()
    return user.email if user is not None else "-"


# Failed passwords and codes count together: per address whatever the account, so that an
# address failing many accounts is slowed before it locks them all, and per account whatever
# the address (the lock-out of core/auth/rules.py stays as it is).
FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_SIGN_IN_PER_ADDRESS", scope="sign-in-address", key=client_address,
    refusal="Too many failed sign-in attempts from this address", failures_only=True,
    methods=("POST",),
)  # fmt: skip


def _per_account(key: Callable[[], str]) -> RateLimit:
    return RateLimit(
        setting="RATELIMIT_SIGN_IN_PER_ACCOUNT", scope="sign-in-account", key=key,
        refusal="Too many failed sign-in attempts for this account", failures_only=True,
        methods=("POST",),
    )  # fmt: skip


def _refused_again(form: LoginForm | SecondFactorForm, template: str, message: str) -> str:
    """The form again with what was typed (never a password or code) and the refusal."""
    for secret in ("password", "code"):
        if secret in form:
            form[secret].data = ""
    form.form_errors.append(message)
    return render_template(template, form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
@limited(
    FROM_ADDRESS,
    _per_account(_account_typed),
    page=lambda message: _refused_again(LoginForm(), "auth/login.html", message),
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = services.check_password(form.email.data, form.password.data)
        outcome = services.LoginOutcome
        if result.outcome is outcome.SIGNED_IN:
            return _complete_login(result.user, form.next.data)
        if result.outcome is outcome.NEEDS_SECOND_FACTOR:
            session.clear()
            session[PENDING_USER_KEY] = [result.user.id, utcnow().isoformat()]
            return redirect(url_for("auth.second_factor", next=form.next.data or None))
        # A locked account gets the same answer as a wrong password or an address with no
        # account, so that the page never tells whether an address has one; its owner is told
        # instead (services.tell_owner_of_lockout).
        form.password.errors.append("The email address or password is not correct.")
        form.password.data = ""
        count_failure()
    return render_template("auth/login.html", form=form)


def _pending_user() -> services.User | None:
    pending = session.get(PENDING_USER_KEY)
    if not pending:
        return None
    user_id, started = pending
    from datetime import datetime

    if utcnow() - datetime.fromisoformat(started) > PENDING_LIFETIME:
        session.pop(PENDING_USER_KEY, None)
        return None
    user = db.session.get(services.User, user_id)
    return user if user is not None and user.active else None


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limited(
    FROM_ADDRESS,
    _per_account(_account_pending),
    page=lambda message: _refused_again(SecondFactorForm(), "auth/second_factor.html", message),
)
def second_factor() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        flash("Your sign-in took too long or was not started. Sign in again.", "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        accepted = services.check_second_factor(user, form.code.data)
        if accepted:
            return _complete_login(user, request.args.get("next"))
        form.code.errors.append("That code is not correct or was already used. Try the next one.")
        count_failure()
    return render_template("auth/second_factor.html", form=form)


@bp.post("/logout")
@roles_required(*ALL_ROLES)
def logout() -> ResponseReturnValue:
    services.end_session(session.get(SESSION_TOKEN_KEY), current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


def _qr_data_uri(uri: str) -> str:
    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@bp.route("/account/two-factor", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def two_factor_setup() -> ResponseReturnValue:
    if current_user.totp_enabled:
        return render_template("auth/two_factor_done.html")
    secret = session.get(PENDING_SECRET_KEY) or services.new_totp_secret()
    session[PENDING_SECRET_KEY] = secret
    form = EnrolSecondFactorForm()
    if form.validate_on_submit():
        if services.enable_second_factor(current_user, secret, form.code.data):
            session.pop(PENDING_SECRET_KEY, None)
            flash("Second factor set up. You will be asked for a code at each sign-in.", "success")
            return redirect(url_for("dashboard.index"))
        form.code.errors.append("That code does not match. Check the app shows this account.")
    uri = services.provisioning_uri(current_user, secret)
    return render_template(
        "auth/two_factor_setup.html", form=form, qr=_qr_data_uri(uri), secret=secret
    )
