"""The list of accounts, for administrators, with deactivation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from core.access import roles_required
from core.auth import services
from core.auth.models import User
from core.auth.rules import CONSULTED_AGENCIES, Role
from core.db import db

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    return render_template(
        "users/index.html",
        users=services.list_users(),
        form=FlaskForm(),
        agencies=CONSULTED_AGENCIES,
    )


@bp.post("/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("users.index"))
    ended = services.deactivate_user(user, actor=current_user)
    flash(f"{user.email} deactivated; {ended} open session(s) ended.", "success")
    return redirect(url_for("users.index"))
