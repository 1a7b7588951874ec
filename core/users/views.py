"""The administrators' pages of accounts: the list, a new account (by enrolment link), and each
account's page with its role, status, second factor, sign-ins and history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import formerrors
from core.access import roles_required
from core.auth import links
from core.auth.models import User
from core.auth.rules import CONSULTED_AGENCIES, LinkPurpose, Role, link_lifetime_phrase
from core.auth.services import live_sessions
from core.input_hygiene import Form
from core.listing import Listing, SortColumn, page_of
from core.users import services
from core.users.forms import NewAccountForm, RoleForm

bp = Blueprint("users", __name__, url_prefix="/admin/users")

USERS = Listing(
    "users",
    columns=(
        SortColumn("name", "Name", (User.full_name,)),
        SortColumn("email", "Email", (User.email,)),
        SortColumn("role", "Role", (User.role,)),
        SortColumn("status", "Status", (User.active,), descending_first=True),
        SortColumn("last_sign_in", "Last sign-in (Eastern)", (User.last_sign_in_at,),
                   descending_first=True),
    ),
    default_sort="name",
    tiebreak=(User.id,),
)  # fmt: skip


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    page = page_of(USERS, services.users_query())
    return render_template("users/index.html", page=page, agencies=CONSULTED_AGENCIES)


def _link_shown_once(user: User, address: str) -> str:
    """The enrolment link where no mail server is set: on this answer only, kept nowhere."""
    return render_template(
        "users/link_shown_once.html",
        user=user,
        address=address,
        works_for=link_lifetime_phrase(LinkPurpose.ENROLMENT),
    )


def _emailed(user: User) -> ResponseReturnValue:
    flash(
        f"An enrolment link was emailed to {user.email}; it works once, for "
        f"{link_lifetime_phrase(LinkPurpose.ENROLMENT)}.",
        "success",
    )
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new() -> ResponseReturnValue:
    form = NewAccountForm()

    def act() -> ResponseReturnValue:
        made = services.create_account(
            email=form.email.data, full_name=form.full_name.data, role=Role(form.role.data),
            agency=form.agency.data, actor=current_user,
        )  # fmt: skip
        if made.link_to_hand_over is not None:
            return _link_shown_once(made.user, made.link_to_hand_over)
        return _emailed(made.user)

    return formerrors.handle(
        form,
        act,
        page=lambda form: render_template(
            "users/new.html", form=form, mail_configured=links.mail_configured()
        ),
    )


def _or_404(user_id: int) -> User:
    return services.get_user(user_id) or abort(404)


def _detail_page(user: User, role_form: RoleForm | None = None) -> str:
    return render_template(
        "users/detail.html",
        user=user,
        role_form=role_form or RoleForm(role=str(user.role), agency=user.agency or ""),
        action_form=Form(),
        sessions=live_sessions(user),
        history=services.history_of(user),
        own=user.id == current_user.id,
        agencies=CONSULTED_AGENCIES,
        history_shown=services.HISTORY_SHOWN,
    )


@bp.get("/<int:user_id>")
@roles_required(Role.ADMIN)
def detail(user_id: int) -> ResponseReturnValue:
    return _detail_page(_or_404(user_id))


def _back(user: User, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<int:user_id>/role")
@roles_required(Role.ADMIN)
def change_role(user_id: int) -> ResponseReturnValue:
    user = _or_404(user_id)
    form = RoleForm()

    def act() -> ResponseReturnValue:
        changed = services.change_role(
            user, role=Role(form.role.data), agency=form.agency.data, actor=current_user
        )
        label = user.role_enum.label + (f" ({user.agency})" if user.agency else "")
        return _back(user, f"Role changed to {label}." if changed else "Nothing was changed.")

    return formerrors.handle(form, act, page=lambda form: _detail_page(user, form))


def _checked_action(user_id: int) -> User:
    user = _or_404(user_id)
    if not Form().validate_on_submit():
        abort(400)
    return user


@bp.post("/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    user = _checked_action(user_id)
    ended = services.deactivate(user, actor=current_user)
    return _back(user, f"{user.email} deactivated; {ended} open session(s) ended.")


@bp.post("/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate(user_id: int) -> ResponseReturnValue:
    user = _checked_action(user_id)
    services.reactivate(user, actor=current_user)
    return _back(user, f"{user.email} reactivated: the person may sign in again.")


@bp.post("/<int:user_id>/second-factor/reset")
@roles_required(Role.ADMIN)
def reset_second_factor(user_id: int) -> ResponseReturnValue:
    user = _checked_action(user_id)
    ended = services.reset_second_factor(user, actor=current_user)
    return _back(
        user,
        f"Second factor reset; {ended} open session(s) ended. {user.full_name} sets up a new "
        "one at the next sign-in.",
    )


@bp.post("/<int:user_id>/enrolment-link")
@roles_required(Role.ADMIN)
def new_enrolment_link(user_id: int) -> ResponseReturnValue:
    user = _checked_action(user_id)
    address = services.send_new_enrolment_link(user, actor=current_user)
    if address is not None:
        return _link_shown_once(user, address)
    return _emailed(user)
