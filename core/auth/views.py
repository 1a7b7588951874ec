"""Log-in, log-out and second-factor enrolment; a person's own account (password, sessions);
"Forgot password?" and the pages the one-time account links open (core/auth/links.py)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from core import clocks, formerrors
from core.access import ALL_ROLES, public, roles_required
from core.auth import links, services
from core.auth.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    EnrolSecondFactorForm,
    ForgotPasswordForm,
    LoginForm,
    SecondFactorForm,
)
from core.auth.rules import LinkPurpose, link_lifetime_phrase, needs_second_factor
from core.db import db, utcnow
from core.errors import InvalidInput
from core.input_hygiene import Form
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
    if user.must_set_up_second_factor:
        flash(
            "Administrators must set up a second factor before going on."
            if needs_second_factor(user.role_enum)
            else "Your second factor was reset: set up a new one before going on.",
            "warning",
        )
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


def _refused_again(form: Form, template: str, message: str) -> str:
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


# --- A person's own account ---------------------------------------------------------------------


def _account_page() -> str:
    return render_template(
        "auth/account.html",
        sessions=services.live_sessions(current_user),
        current_token=session.get(SESSION_TOKEN_KEY),
        is_current=services.is_current,
        end_form=Form(),
    )


@bp.get("/account")
@roles_required(*ALL_ROLES)
def account() -> ResponseReturnValue:
    return _account_page()


def _password_page(form: ChangePasswordForm) -> str:
    return render_template("auth/change_password.html", form=form)


def _account_signed_in() -> str:
    return current_user.email


# A wrong current password counts as a failed sign-in of the account, so that whoever holds
# someone's session cannot guess their password here faster than at the sign-in page.
@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
@limited(
    _per_account(_account_signed_in),
    page=lambda message: _refused_again(ChangePasswordForm(), "auth/change_password.html", message),
)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _password_page(form), (422 if form.is_submitted() else 200)
    try:
        ended = services.change_own_password(
            current_user, current=form.current_password.data, new=form.new_password.data,
            keep_token=session.get(SESSION_TOKEN_KEY),
        )  # fmt: skip
    except services.WrongPassword as wrong:
        # Answered below 400, so that the refused attempt's audit event is kept (core/
        # transactions.py), as the sign-in page keeps its failures.
        formerrors.attach(form, wrong)
        count_failure()
        return _password_page(form)
    except InvalidInput as refused:
        db.session.rollback()
        formerrors.attach(form, refused)
        return _password_page(form), 422
    flash(f"Your password is changed. {ended} other session(s) ended; this one goes on.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessions/<int:session_id>/end")
@roles_required(*ALL_ROLES)
def end_session(session_id: int) -> ResponseReturnValue:
    if not Form().validate_on_submit():
        abort(400)
    ended = services.end_own_session(
        current_user, session_id, current_token=session.get(SESSION_TOKEN_KEY)
    )
    if not ended:
        abort(404)
    flash("That session has ended: whoever used it must sign in again.", "success")
    return redirect(url_for("auth.account"))


# --- "Forgot password?" and the one-time account links -------------------------------------------


def _forgot_typed() -> str:
    return services.normalise_email(request.form.get("email", ""))[:254] or "-"


# Each request sends an email: limited per address (whoever tries many accounts) and per
# account typed (whoever fills one person's mailbox), counted whether or not it has an account.
FORGOT_FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_PASSWORD_RESET_PER_ADDRESS", scope="password-reset-address",
    key=client_address, refusal="Too many requests for a new password from this address",
    methods=("POST",),
)  # fmt: skip
FORGOT_FOR_ACCOUNT = RateLimit(
    setting="RATELIMIT_PASSWORD_RESET_PER_ACCOUNT", scope="password-reset-account",
    key=_forgot_typed, refusal="Too many requests for a new password for this email address",
    methods=("POST",),
)  # fmt: skip
# A link is the key to an account: guessing one is limited like the public feed, per address.
LINK_FROM_ADDRESS = RateLimit(
    setting="RATELIMIT_PUBLIC_FEED", scope="account-link", key=client_address,
    refusal="Too many requests for account links from this address",
)  # fmt: skip


@bp.route("/login/forgot", methods=["GET", "POST"])
@public
@limited(
    FORGOT_FROM_ADDRESS,
    FORGOT_FOR_ACCOUNT,
    page=lambda message: _refused_again(ForgotPasswordForm(), "auth/forgot.html", message),
)
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        links.request_password_reset(form.email.data)
        # The same words whether or not the address has an account (links.request_password_reset).
        return render_template(
            "auth/forgot_sent.html",
            works_for=link_lifetime_phrase(LinkPurpose.PASSWORD_RESET),
        )
    return render_template("auth/forgot.html", form=form), (422 if form.is_submitted() else 200)


LINK_PAGES = {
    LinkPurpose.ENROLMENT: "Choose your password",
    LinkPurpose.PASSWORD_RESET: "Choose a new password",
}


def _link_page(token: str, purpose: LinkPurpose) -> ResponseReturnValue:
    """The page of a link: a GET shows the form and spends nothing (mail scanners fetch every
    link); the POST chooses the password and spends the link."""
    found = links.link_for(token)
    if found is None or found.purpose is not purpose:
        return render_template(
            "auth/link_refused.html",
            heading="This link does not work",
            refusal="Check that the whole address from the email was opened, or ask for a new "
            'link: an administrator sends enrolment links, and "Forgot password?" on the '
            "sign-in page sends new-password links.",
        ), 404
    refusal = links.refusal_of(found)
    if refusal is not None:
        return render_template(
            "auth/link_refused.html", heading="This link no longer works", refusal=refusal
        ), 410
    form = ChoosePasswordForm()

    def act() -> ResponseReturnValue:
        user = links.choose_password(found, form.password.data)
        if current_user.is_authenticated and current_user.id == user.id:
            logout_user()
            session.clear()
        flash(
            "Your password is set. Sign in with it now."
            if purpose is LinkPurpose.ENROLMENT
            else "Your new password is set and every session of your account has ended. "
            "Sign in with the new password.",
            "success",
        )
        return redirect(url_for("auth.login"))

    def page(form: ChoosePasswordForm) -> str:
        return render_template(
            "auth/choose_password.html", form=form, heading=LINK_PAGES[purpose], link=found
        )

    # Two presses at once: the second is told at the top of the form that the link was used.
    return formerrors.handle(form, act, page=page)


@bp.route("/account/enrol/<token>", methods=["GET", "POST"])
@public
@limited(LINK_FROM_ADDRESS)
def enrol(token: str) -> ResponseReturnValue:
    return _link_page(token, LinkPurpose.ENROLMENT)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@public
@limited(LINK_FROM_ADDRESS)
def reset(token: str) -> ResponseReturnValue:
    return _link_page(token, LinkPurpose.PASSWORD_RESET)
