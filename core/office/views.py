"""Office settings: administrators name who signs the letters and whom CUI documents name."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core import formerrors
from core.access import roles_required
from core.auth.rules import Role
from core.office import services
from core.office.forms import OfficeSettingsForm
from core.office.rules import SETTINGS

bp = Blueprint("office", __name__, url_prefix="/admin/office-settings")


def _render(form: OfficeSettingsForm) -> str:
    return render_template("office/settings.html", form=form, settings=SETTINGS)


@bp.get("/")
@roles_required(Role.ADMIN)
def settings() -> ResponseReturnValue:
    return _render(OfficeSettingsForm(data=services.values()))


@bp.post("/")
@roles_required(Role.ADMIN)
def save() -> ResponseReturnValue:
    form = OfficeSettingsForm()

    def act() -> ResponseReturnValue:
        services.save(
            {definition.key: form[definition.key].data for definition in SETTINGS},
            actor=current_user,
        )
        flash("Office settings saved. Documents printed from now on use them.", "success")
        return redirect(url_for("office.settings"))

    return formerrors.handle(form, act, page=_render)
